#include "RunsSortProxy.h"

#include "RunsTableModel.h"

namespace twb {

RunsSortProxy::RunsSortProxy(RunsTableModel *runs, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_runs(runs)
{
    setSourceModel(runs);
    setSortRole(RunsTableModel::SortRole);
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

bool RunsSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int rootLeft = m_runs->groupRoot(left.row());
    const int rootRight = m_runs->groupRoot(right.row());
    const bool descending = sortOrder() == Qt::DescendingOrder;
    if (rootLeft != rootRight) {
        const QModelIndex a = m_runs->index(rootLeft, left.column());
        const QModelIndex b = m_runs->index(rootRight, right.column());
        if (QSortFilterProxyModel::lessThan(a, b))
            return true;
        if (QSortFilterProxyModel::lessThan(b, a))
            return false;
        // Equal sources: keep the groups apart (by row), in the order the view will show.
        return descending ? rootLeft > rootRight : rootLeft < rootRight;
    }
    // One group: the source first in either order (a descending sort swaps the arguments).
    const int depthLeft = m_runs->fineTuneDepth(left.row());
    const int depthRight = m_runs->fineTuneDepth(right.row());
    if (depthLeft != depthRight)
        return descending ? depthLeft > depthRight : depthLeft < depthRight;
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace twb
