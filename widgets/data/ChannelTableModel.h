#pragma once

#include "data/DatasetSummary.h"
#include "data/SeriesDataset.h"

#include <QAbstractTableModel>
#include <QList>

#include <vector>

namespace twb {

/// The channel summary of a data set as a table: name, count, missing, mean, std, min, max
/// (one row per channel, see summarize()). The name column is checkable: the checked channels
/// are the ones the series view draws.
///
/// Roles: DisplayRole is formatted text (NaN statistics of an all-missing channel show "–"),
/// SortRole the raw number (or name), ToolTipRole on "Missing" lists where values are missing,
/// CheckStateRole on "Name" the visibility.
///
/// Threading: GUI thread only (a Qt item model).
class ChannelTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Count, Missing, Mean, Std, Min, Max, ColumnCount };
    static constexpr int SortRole = Qt::UserRole;

    explicit ChannelTableModel(QObject *parent = nullptr);

    /// Replaces the table. `missing` gives the tooltip of the Missing column (may be empty).
    /// No channel is checked afterwards. `checkable`: whether the Name column carries check
    /// boxes (the series view's visible channels); the channels of labelled cases, drawn one at
    /// a time by the Cases view, have none.
    void setSummary(std::vector<ChannelStats> stats, const MissingReport &missing = {},
                    bool checkable = true);
    bool checkable() const { return m_checkable; }
    void clear();
    const std::vector<ChannelStats> &stats() const { return m_stats; }

    /// Ascending channel indices.
    QList<int> checkedChannels() const;
    void setCheckedChannels(const QList<int> &channels);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    /// The checked set changed (by the user or setCheckedChannels); ascending indices.
    void checkedChannelsChanged(const QList<int> &channels);

private:
    QVariant displayValue(const ChannelStats &s, int column) const;
    QVariant sortValue(const ChannelStats &s, int column) const;
    QString missingToolTip(int channel) const;

    std::vector<ChannelStats> m_stats;
    std::vector<bool> m_checked;
    bool m_checkable = true;
    std::vector<std::vector<MissingReport::Cell>> m_missingCells; ///< first cells per channel
};

} // namespace twb
