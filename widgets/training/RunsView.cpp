#include "RunsView.h"

#include "RunsSortProxy.h"

#include "widgets/common/ChartTicks.h"
#include "widgets/common/Theme.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

QColor runColor(int index)
{
    static const QRgb palette[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                   0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    return QColor(palette[index % int(std::size(palette))]);
}

} // namespace

RunsView::RunsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunsTableModel(this))
    , m_proxy(new RunsSortProxy(m_model, this))
{

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter runs (model, data, state, ...)"));
    m_filter->setClearButtonEnabled(true);
    auto *refreshButton = new QPushButton(tr("Refresh"));
    m_deleteButton = new QPushButton(tr("Delete\u2026"));
    m_deleteButton->setToolTip(tr("Move the selected runs to the trash"));
    m_deleteButton->setEnabled(false);
    m_resumeButton = new QPushButton(tr("Resume"));
    m_resumeButton->setObjectName(QStringLiteral("resumeRunButton"));
    m_resumeButton->setToolTip(tr("Continue the selected interrupted run from its last "
                                  "checkpoint, with its saved settings"));
    m_resumeButton->setEnabled(false);
    m_fineTuneButton = new QPushButton(tr("Fine-tune\u2026"));
    m_fineTuneButton->setObjectName(QStringLiteral("fineTuneRunButton"));
    m_fineTuneButton->setToolTip(tr("Start a new run from the selected run's best weights (a "
                                    "pretraining run, or any finished run): choose the data, "
                                    "the recipe and what to freeze in the model panel"));
    m_fineTuneButton->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(refreshButton);
    bar->addWidget(m_resumeButton);
    bar->addWidget(m_fineTuneButton);
    bar->addWidget(m_deleteButton);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsTableModel::CreatedColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle); // keeps a file's extension and a run's date

    m_chart = new QChartView(new QChart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(160);
    m_chart->chart()->setMargins(QMargins(4, 4, 8, 4));
    m_chart->chart()->setBackgroundRoundness(0);
    m_chart->chart()->legend()->setAlignment(Qt::AlignRight);
    m_chart->chart()->setTitle(tr("Select runs to compare their loss curves"));
    followPaletteTheme(m_chart);

    m_status = new QLabel;
    m_status->setWordWrap(true);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chart);
    splitter->setSizes({300, 300});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    m_confirm = [this](const QStringList &names) {
        return QMessageBox::question(
                   this, tr("Delete runs"),
                   tr("Move %n run(s) to the trash?\n\n%1", nullptr, int(names.size()))
                       .arg(names.join(QLatin1Char('\n')))) == QMessageBox::Yes;
    };

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(refreshButton, &QPushButton::clicked, this, &RunsView::refresh);
    connect(m_deleteButton, &QPushButton::clicked, this, &RunsView::deleteSelected);
    connect(m_resumeButton, &QPushButton::clicked, this, &RunsView::resumeSelected);
    connect(m_fineTuneButton, &QPushButton::clicked, this, &RunsView::fineTuneSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_settingRuns)
            onSelectionChanged();
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(index.data(RunsTableModel::RunDirRole).toString());
    });
}

RunsView::~RunsView() = default;

void RunsView::setRuns(std::vector<RunSummary> runs)
{
    const QStringList selected = selectedRunDirs();
    m_settingRuns = true;
    m_model->setRuns(std::move(runs));
    fitColumns();
    selectRunDirs(selected);
    m_settingRuns = false;
    onSelectionChanged();
}

void RunsView::onSelectionChanged()
{
    const QStringList dirs = selectedRunDirs();
    m_deleteButton->setEnabled(!dirs.isEmpty());
    m_resumeButton->setEnabled(resumableSelection() != nullptr);
    m_fineTuneButton->setEnabled(fineTunableSelection() != nullptr);
    if (dirs.isEmpty())
        clearCurves();
    Q_EMIT selectionChanged(dirs);
}

void RunsView::setDeleteConfirmation(DeleteConfirmation confirm)
{
    m_confirm = std::move(confirm);
}

void RunsView::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void RunsView::refresh()
{
    Q_EMIT refreshRequested();
}

void RunsView::fitColumns()
{
    m_table->resizeColumnsToContents();
    const int widest = maxColumnWidth();
    for (int c = 0; c < RunsTableModel::ColumnCount; ++c)
        if (m_table->columnWidth(c) > widest)
            m_table->setColumnWidth(c, widest); // elided; the tooltip has the full text
    // The last column stretches over what is left: start it small so that it fits.
    const int last = RunsTableModel::ColumnCount - 1;
    m_table->setColumnWidth(last, std::min(m_table->columnWidth(last), widest / 2));
}

int RunsView::maxColumnWidth() const
{
    return m_table->fontMetrics().averageCharWidth() * 24;
}

const RunSummary *RunsView::resumableSelection() const
{
    const QStringList dirs = selectedRunDirs();
    if (dirs.size() != 1)
        return nullptr;
    const int row = m_model->rowOfDir(dirs.front());
    return row >= 0 && canResume(m_model->run(row)) ? &m_model->run(row) : nullptr;
}

const RunSummary *RunsView::fineTunableSelection() const
{
    const QStringList dirs = selectedRunDirs();
    if (dirs.size() != 1)
        return nullptr;
    const int row = m_model->rowOfDir(dirs.front());
    if (row < 0)
        return nullptr;
    const RunSummary &run = m_model->run(row);
    const bool finished = run.readable && !run.crossValidation && run.bestEpoch > 0;
    return finished ? &run : nullptr;
}

bool RunsView::fineTuneSelected()
{
    const RunSummary *run = fineTunableSelection();
    if (!run)
        return false;
    Q_EMIT fineTuneRequested(*run);
    return true;
}

QSortFilterProxyModel *RunsView::proxy() const
{
    return m_proxy;
}

bool RunsView::resumeSelected()
{
    const RunSummary *run = resumableSelection();
    if (!run)
        return false;
    Q_EMIT resumeRequested(*run);
    return true;
}

QStringList RunsView::selectedRunDirs() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList dirs;
    for (const QModelIndex &index : std::as_const(rows))
        dirs << index.data(RunsTableModel::RunDirRole).toString();
    return dirs;
}

void RunsView::selectRunDirs(const QStringList &dirs)
{
    QItemSelection selection;
    for (const QString &dir : dirs) {
        const int row = m_model->rowOfDir(dir);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(RunsTableModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
}

int RunsView::deleteSelected()
{
    const QStringList dirs = selectedRunDirs();
    if (dirs.isEmpty())
        return 0;
    QStringList names;
    for (const QString &dir : dirs)
        names << QDir(dir).dirName();
    if (m_confirm && !m_confirm(names))
        return 0;
    Q_EMIT deleteRequested(dirs);
    return int(dirs.size());
}

void RunsView::showDeleteResult(int moved, const QStringList &failed)
{
    if (!failed.isEmpty()) {
        const QString message =
            tr("Could not move to the trash: %1").arg(failed.join(QStringLiteral(", ")));
        showMessage(message);
        Q_EMIT errorOccurred(message);
    } else {
        showMessage(tr("Moved %n run(s) to the trash.", nullptr, moved));
    }
}

void RunsView::showMessage(const QString &text)
{
    m_status->setText(text);
}

void RunsView::clearCurves()
{
    QChart *chart = m_chart->chart();
    chart->removeAllSeries();
    m_curves.clear();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    chart->setTitle(tr("Select runs to compare their loss curves"));
}

void RunsView::setLossCurves(const std::vector<RunLossCurve> &curves, const QStringList &problems)
{
    clearCurves();
    QChart *chart = m_chart->chart();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double lastEpoch = 1.0;
    int colorIndex = 0;
    for (const RunLossCurve &curve : curves) {
        if (curve.epochs.empty())
            continue;
        const QColor color = runColor(colorIndex++);
        auto *train = new QLineSeries;
        auto *val = new QLineSeries;
        train->setName(tr("%1 train").arg(curve.name));
        val->setName(tr("%1 val").arg(curve.name));
        QPen pen(color);
        pen.setWidthF(1.6);
        train->setPen(pen);
        pen.setStyle(Qt::DashLine);
        val->setPen(pen);
        for (const EpochRecord &r : curve.epochs) {
            train->append(double(r.epoch), r.trainLoss);
            val->append(double(r.epoch), r.valLoss);
            for (double v : {r.trainLoss, r.valLoss})
                if (std::isfinite(v)) {
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
            lastEpoch = std::max(lastEpoch, double(r.epoch));
        }
        // One epoch is one point, which a line does not show: draw the points then.
        const bool single = curve.epochs.size() == 1;
        for (QLineSeries *s : {train, val}) {
            s->setPointsVisible(single);
            s->setMarkerSize(9.0);
        }
        m_curves << train << val;
    }
    if (!problems.isEmpty())
        showMessage(problems.join(QLatin1Char('\n')));
    if (m_curves.isEmpty()) {
        if (!selectedRunDirs().isEmpty())
            chart->setTitle(tr("The selected runs have no epochs yet"));
        return;
    }
    chart->setTitle(tr("Loss per epoch (solid: train, dashed: validation)"));
    auto *x = new QValueAxis;
    x->setTitleText(tr("Epoch"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    setRangeWithWholeTicks(x, 1.0, std::max(2.0, lastEpoch));
    auto *y = new QValueAxis;
    y->setTitleText(tr("Loss"));
    y->setLabelFormat(QStringLiteral("%.4g"));
    if (!(lo <= hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    const double pad = std::max((hi - lo) * 0.05, 1e-6);
    y->setRange(lo - pad, hi + pad);
    y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *s : std::as_const(m_curves)) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

CsvTable RunsView::csvTable() const
{
    CsvTable table;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        table.header << m_proxy->headerData(c, Qt::Horizontal).toString();
    table.header << QStringLiteral("Folder");
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m_proxy->columnCount(); ++c)
            row << m_proxy->index(r, c).data().toString();
        row << m_proxy->index(r, 0).data(RunsTableModel::RunDirRole).toString();
        table.rows << row;
    }
    return table;
}

} // namespace twb
