#include "MisclassifiedModel.h"

namespace twb {

MisclassifiedModel::MisclassifiedModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MisclassifiedModel::setPredictions(std::shared_ptr<const ClassPredictions> predictions)
{
    m_predictions = std::move(predictions);
    applyFilter(m_filter, m_truth, m_predicted);
}

void MisclassifiedModel::showAll()
{
    applyFilter(Filter::All, -1, -1);
}

void MisclassifiedModel::showMisclassified()
{
    applyFilter(Filter::Misclassified, -1, -1);
}

void MisclassifiedModel::showCell(int truth, int predicted)
{
    applyFilter(Filter::Cell, truth, predicted);
}

void MisclassifiedModel::applyFilter(Filter filter, int truth, int predicted)
{
    beginResetModel();
    m_filter = filter;
    m_truth = truth;
    m_predicted = predicted;
    m_rows.clear();
    if (m_predictions) {
        const ClassPredictions &p = *m_predictions;
        for (std::int64_t i = 0; i < p.cases; ++i) {
            const int t = p.labels[std::size_t(i)], q = p.predicted[std::size_t(i)];
            const bool keep = filter == Filter::All ||
                              (filter == Filter::Misclassified && t != q) ||
                              (filter == Filter::Cell && t == truth && q == predicted);
            if (keep)
                m_rows.push_back(i);
        }
    }
    endResetModel();
}

QString MisclassifiedModel::className(int c) const
{
    if (!m_predictions)
        return {};
    const QString name = m_predictions->classNames.value(c);
    return name.isEmpty() ? QString::number(c) : name;
}

QString MisclassifiedModel::filterDescription() const
{
    const qint64 total = m_predictions ? m_predictions->cases : 0;
    const qint64 shown = qint64(m_rows.size());
    switch (m_filter) {
    case Filter::All:
        return tr("all %1 cases").arg(total);
    case Filter::Misclassified:
        return tr("misclassified: %1 of %2 cases").arg(shown).arg(total);
    case Filter::Cell:
        return tr("truth %1, predicted %2: %3 %4")
            .arg(className(m_truth), className(m_predicted))
            .arg(shown)
            .arg(shown == 1 ? tr("case") : tr("cases"));
    }
    return {};
}

std::int64_t MisclassifiedModel::caseAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)] : -1;
}

int MisclassifiedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MisclassifiedModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MisclassifiedModel::data(const QModelIndex &index, int role) const
{
    const std::int64_t i = caseAt(index.isValid() ? index.row() : -1);
    if (i < 0)
        return {};
    const ClassPredictions &p = *m_predictions;
    const int truth = p.labels[std::size_t(i)], predicted = p.predicted[std::size_t(i)];
    const double confidence = p.probability(i, predicted);
    const double truthProbability = p.probability(i, truth);
    if (role == CaseIndexRole)
        return qint64(i);
    if (role == SourceRole)
        return p.sources.value(int(i));
    if (role == Qt::TextAlignmentRole)
        return index.column() == SourceColumn ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                              : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case CaseColumn:
            return QString::number(i);
        case SourceColumn:
            return p.sources.value(int(i));
        case TruthColumn:
            return className(truth);
        case PredictedColumn:
            return className(predicted);
        case ConfidenceColumn:
            return QString::number(confidence, 'f', 3);
        case TruthProbabilityColumn:
            return QString::number(truthProbability, 'f', 3);
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case CaseColumn:
            return qint64(i);
        case SourceColumn:
            return p.sources.value(int(i));
        case TruthColumn:
            return truth;
        case PredictedColumn:
            return predicted;
        case ConfidenceColumn:
            return confidence;
        case TruthProbabilityColumn:
            return truthProbability;
        }
    }
    return {};
}

QVariant MisclassifiedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case CaseColumn:
        return tr("Case");
    case SourceColumn:
        return tr("Source");
    case TruthColumn:
        return tr("Truth");
    case PredictedColumn:
        return tr("Predicted");
    case ConfidenceColumn:
        return tr("Confidence");
    case TruthProbabilityColumn:
        return tr("P(truth)");
    }
    return {};
}

} // namespace twb
