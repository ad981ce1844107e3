#pragma once

#include <QSortFilterProxyModel>

namespace twb {

class RunsTableModel;

/// Sorts and filters the runs table (RunsTableModel::SortRole; the filter matches any column)
/// and keeps each fine-tuned run right below the run it was fine-tuned from, whatever the sort
/// column and order: groups (a source run with its fine-tunes) are ordered by their source's
/// value, the runs of one group by depth, then by their own value.
/// Threading: GUI thread only.
class RunsSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit RunsSortProxy(RunsTableModel *runs, QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    RunsTableModel *m_runs;
};

} // namespace twb
