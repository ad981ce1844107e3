#include "ClassMetricsModel.h"

namespace twb {

ClassMetricsModel::ClassMetricsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ClassMetricsModel::setMetrics(const ClassificationMetrics &metrics,
                                   const QStringList &classNames)
{
    beginResetModel();
    m_scores.clear();
    m_names.clear();
    m_macro = {};
    if (metrics.perClass.size() == std::size_t(classNames.size())) {
        m_scores = metrics.perClass;
        m_names = classNames;
        int withCases = 0;
        for (const ClassScores &s : m_scores) {
            m_macro.support += s.support;
            if (s.support == 0)
                continue;
            ++withCases;
            m_macro.precision += s.precision;
            m_macro.recall += s.recall;
            m_macro.f1 += s.f1;
        }
        if (withCases > 0) {
            m_macro.precision /= withCases;
            m_macro.recall /= withCases;
            m_macro.f1 /= withCases;
        }
    }
    endResetModel();
}

void ClassMetricsModel::clear()
{
    setMetrics({}, {});
}

int ClassMetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || m_scores.empty() ? 0 : int(m_scores.size()) + 1;
}

int ClassMetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClassMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const bool isMacro = index.row() == macroRow();
    if (role == IsMacroRole)
        return isMacro;
    const ClassScores &s = isMacro ? m_macro : m_scores[std::size_t(index.row())];
    const int column = index.column();
    if (role == Qt::TextAlignmentRole)
        return column == ClassColumn ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                     : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case ClassColumn:
            return isMacro ? tr("macro") : m_names.at(index.row());
        case PrecisionColumn:
            return QString::number(s.precision, 'f', 3);
        case RecallColumn:
            return QString::number(s.recall, 'f', 3);
        case F1Column:
            return QString::number(s.f1, 'f', 3);
        case SupportColumn:
            return QString::number(s.support);
        }
    }
    if (role == SortRole) {
        switch (column) {
        case ClassColumn:
            return index.row();
        case PrecisionColumn:
            return s.precision;
        case RecallColumn:
            return s.recall;
        case F1Column:
            return s.f1;
        case SupportColumn:
            return qint64(s.support);
        }
    }
    return {};
}

QVariant ClassMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ClassColumn:
        return tr("Class");
    case PrecisionColumn:
        return tr("Precision");
    case RecallColumn:
        return tr("Recall");
    case F1Column:
        return tr("F1");
    case SupportColumn:
        return tr("Support");
    }
    return {};
}

ClassMetricsSortProxy::ClassMetricsSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ClassMetricsModel::SortRole);
}

bool ClassMetricsSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const bool leftMacro = left.data(ClassMetricsModel::IsMacroRole).toBool();
    const bool rightMacro = right.data(ClassMetricsModel::IsMacroRole).toBool();
    if (leftMacro != rightMacro) // the macro row is "largest" ascending, "smallest" descending
        return sortOrder() == Qt::AscendingOrder ? rightMacro : leftMacro;
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace twb
