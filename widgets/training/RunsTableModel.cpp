#include "RunsTableModel.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <limits>

namespace twb {

namespace {

/// The shuffled split (lesson 3's deliberate mistake).
bool leaksFuture(const RunSummary &run)
{
    return run.split.startsWith(QLatin1String("shuffled"));
}

QString metricText(double value)
{
    return std::isnan(value) ? QString() : QString::number(value, 'f', 4);
}

/// A level in dB, to a hundredth.
QString decibelText(double value)
{
    return std::isnan(value) ? QString() : QString::number(value, 'f', 2);
}

/// Missing metrics sort after every number (ascending).
double sortable(double value)
{
    return std::isnan(value) ? std::numeric_limits<double>::max() : value;
}

} // namespace

RunsTableModel::RunsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RunsTableModel::setRuns(std::vector<RunSummary> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int RunsTableModel::rowOfDir(const QString &dir) const
{
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].dir == absolute)
            return int(i);
    return -1;
}

int RunsTableModel::sourceRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    const QString &from = m_runs[std::size_t(row)].initFrom;
    if (from.isEmpty())
        return -1;
    const QFileInfo info(QDir(QFileInfo(m_runs[std::size_t(row)].dir).path()), from);
    int found = rowOfDir(info.absoluteFilePath());
    if (found < 0) {
        // Written relative to wherever twb-cli was started: the folder's name in this list.
        const QString name = QFileInfo(QDir::cleanPath(from)).fileName();
        for (std::size_t i = 0; i < m_runs.size() && found < 0; ++i)
            if (m_runs[i].name == name)
                found = int(i);
    }
    return found == row ? -1 : found;
}

int RunsTableModel::fineTuneDepth(int row) const
{
    int depth = 0;
    for (int r = sourceRow(row); r >= 0 && depth < rowCount(); r = sourceRow(r))
        ++depth;
    return depth;
}

int RunsTableModel::groupRoot(int row) const
{
    int root = row;
    for (int steps = 0, r = sourceRow(row); r >= 0 && steps < rowCount(); r = sourceRow(r), ++steps)
        root = r;
    return root;
}

int RunsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const RunSummary &run = m_runs[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == ModelColumn && run.readable) {
            const int depth = fineTuneDepth(index.row());
            if (depth > 0)
                return QString(2 * (depth - 1), QLatin1Char(' ')) + QStringLiteral("\u21b3 ") +
                       run.model;
        }
        return displayData(run, index.column());
    case SortRole:
        return sortData(run, index.column());
    case RunDirRole:
        return run.dir;
    case Qt::ToolTipRole:
        if (!run.readable)
            return run.problem;
        if (index.column() == ModelColumn && !run.initFrom.isEmpty())
            return tr("Fine-tuned from %1").arg(run.initFrom);
        if (index.column() == TestMseColumn || index.column() == TestMaeColumn)
            return tr("Original units: MSE %1, MAE %2")
                .arg(metricText(run.testMseOriginal), metricText(run.testMaeOriginal));
        if (index.column() == SiSnriColumn && !std::isnan(run.testSiSnri))
            return tr("Improvement over the mixture, mean of the test mixtures' sources: SI-SNRi "
                      "%1 dB (SI-SNR %2 dB), SDRi %3 dB (SDR %4 dB)")
                .arg(decibelText(run.testSiSnri), decibelText(run.testSiSnr),
                     decibelText(run.testSdri), decibelText(run.testSdr));
        if (index.column() == HyperparametersColumn || run.crossValidation)
            return run.hyperparameters; // a cross-validation: each fold's accuracy
        if (index.column() == DataColumn)
            return run.split.isEmpty()
                       ? run.dataPath
                       : tr("%1\nsplit: %2%3")
                             .arg(run.dataPath, run.split,
                                  leaksFuture(run) ? tr(" (windows assigned at random: the "
                                                        "test score leaks the future)")
                                                   : QString());
        return run.dir;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case LookbackColumn:
        case HorizonColumn:
        case LrColumn:
        case BatchSizeColumn:
        case BestEpochColumn:
        case TestMseColumn:
        case TestMaeColumn:
        case AccuracyColumn:
        case MacroF1Column:
        case SiSnriColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant RunsTableModel::displayData(const RunSummary &run, int column) const
{
    if (column == RunColumn)
        return run.name;
    if (!run.readable)
        return column == StateColumn ? tr("unreadable: %1").arg(run.problem) : QVariant();
    switch (column) {
    case ModelColumn:
        return run.model;
    case DataColumn:
        // A shuffled split is the teaching mistake: its scores must not pass for honest ones.
        return leaksFuture(run) ? tr("shuffled: %1").arg(run.dataFile) : run.dataFile;
    case TaskColumn:
        return run.crossValidation ? tr("%1 \u00b7 cv").arg(run.task) : run.task;
    case LookbackColumn:
        return run.lookback > 0 ? QVariant(qint64(run.lookback)) : QVariant();
    case HorizonColumn:
        return run.horizon > 0 ? QVariant(qint64(run.horizon)) : QVariant();
    case HyperparametersColumn:
        return run.hyperparameters;
    case LrColumn:
        return QString::number(run.lr, 'g', 4);
    case BatchSizeColumn:
        return qint64(run.batchSize);
    case StateColumn:
        return run.state;
    case BestEpochColumn:
        return run.bestEpoch > 0 ? QVariant(qint64(run.bestEpoch)) : QVariant();
    case TestMseColumn:
        return metricText(run.testMse);
    case TestMaeColumn:
        return metricText(run.testMae);
    case AccuracyColumn:
        return metricText(run.testAccuracy);
    case MacroF1Column:
        return metricText(run.testMacroF1);
    case SiSnriColumn:
        return decibelText(run.testSiSnri);
    case CreatedColumn:
        return run.created.isValid()
                   ? run.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                   : QString();
    default:
        return {};
    }
}

QVariant RunsTableModel::sortData(const RunSummary &run, int column) const
{
    switch (column) {
    case LookbackColumn:
        return qint64(run.lookback);
    case HorizonColumn:
        return qint64(run.horizon);
    case LrColumn:
        return run.lr;
    case BatchSizeColumn:
        return qint64(run.batchSize);
    case BestEpochColumn:
        return qint64(run.bestEpoch);
    case TestMseColumn:
        return sortable(run.testMse);
    case TestMaeColumn:
        return sortable(run.testMae);
    case AccuracyColumn:
        return sortable(run.testAccuracy);
    case MacroF1Column:
        return sortable(run.testMacroF1);
    case SiSnriColumn:
        return sortable(run.testSiSnri);
    case CreatedColumn:
        return run.created;
    default:
        return displayData(run, column).toString();
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RunColumn:
        return tr("Run");
    case ModelColumn:
        return tr("Model");
    case DataColumn:
        return tr("Data");
    case TaskColumn:
        return tr("Task");
    case LookbackColumn:
        return tr("Lookback");
    case HorizonColumn:
        return tr("Horizon");
    case HyperparametersColumn:
        return tr("Hyperparameters");
    case LrColumn:
        return tr("LR");
    case BatchSizeColumn:
        return tr("Batch");
    case StateColumn:
        return tr("State");
    case BestEpochColumn:
        return tr("Best epoch");
    case TestMseColumn:
        return tr("Test MSE");
    case TestMaeColumn:
        return tr("Test MAE");
    case AccuracyColumn:
        return tr("Accuracy");
    case MacroF1Column:
        return tr("Macro-F1");
    case SiSnriColumn:
        return tr("SI-SNRi (dB)");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace twb
