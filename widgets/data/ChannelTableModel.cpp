#include "ChannelTableModel.h"

#include <QColor>

#include <cmath>

namespace twb {

namespace {

QString formatNumber(double v)
{
    return std::isnan(v) ? QStringLiteral("\u2013") : QString::number(v, 'g', 6);
}

} // namespace

ChannelTableModel::ChannelTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ChannelTableModel::setSummary(std::vector<ChannelStats> stats, const MissingReport &missing,
                                   bool checkable)
{
    beginResetModel();
    m_stats = std::move(stats);
    m_checkable = checkable;
    m_checked.assign(m_stats.size(), false);
    m_missingCells.assign(m_stats.size(), {});
    for (const MissingReport::Cell &cell : missing.firstCells)
        if (cell.channel >= 0 && std::size_t(cell.channel) < m_stats.size())
            m_missingCells[std::size_t(cell.channel)].push_back(cell);
    endResetModel();
    Q_EMIT checkedChannelsChanged({});
}

void ChannelTableModel::clear()
{
    setSummary({});
}

QList<int> ChannelTableModel::checkedChannels() const
{
    QList<int> channels;
    for (std::size_t c = 0; c < m_checked.size(); ++c)
        if (m_checked[c])
            channels << int(c);
    return channels;
}

void ChannelTableModel::setCheckedChannels(const QList<int> &channels)
{
    if (!m_checkable)
        return;
    std::vector<bool> checked(m_stats.size(), false);
    for (int c : channels)
        if (c >= 0 && std::size_t(c) < checked.size())
            checked[std::size_t(c)] = true;
    if (checked == m_checked)
        return;
    m_checked = std::move(checked);
    if (!m_stats.empty())
        Q_EMIT dataChanged(index(0, Name), index(rowCount() - 1, Name), {Qt::CheckStateRole});
    Q_EMIT checkedChannelsChanged(checkedChannels());
}

int ChannelTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_stats.size());
}

int ChannelTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const ChannelStats &s = m_stats[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(s, column);
    case SortRole:
        return sortValue(s, column);
    case Qt::CheckStateRole:
        if (column == Name && m_checkable)
            return m_checked[std::size_t(index.row())] ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Name)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == Missing && s.missing > 0)
            return QColor(0xb0, 0x30, 0x20);
        return {};
    case Qt::ToolTipRole:
        if (column == Missing && s.missing > 0)
            return missingToolTip(index.row());
        if (column == Name)
            return tr("Show or hide %1 in the series plot").arg(s.name);
        return {};
    default:
        return {};
    }
}

QVariant ChannelTableModel::displayValue(const ChannelStats &s, int column) const
{
    switch (column) {
    case Name:
        return s.name;
    case Count:
        return QString::number(s.count);
    case Missing:
        return QString::number(s.missing);
    case Mean:
        return formatNumber(s.mean);
    case Std:
        return formatNumber(s.std);
    case Min:
        return formatNumber(s.min);
    case Max:
        return formatNumber(s.max);
    default:
        return {};
    }
}

QVariant ChannelTableModel::sortValue(const ChannelStats &s, int column) const
{
    switch (column) {
    case Name:
        return s.name;
    case Count:
        return qlonglong(s.count);
    case Missing:
        return qlonglong(s.missing);
    case Mean:
        return s.mean;
    case Std:
        return s.std;
    case Min:
        return s.min;
    case Max:
        return s.max;
    default:
        return {};
    }
}

QString ChannelTableModel::missingToolTip(int channel) const
{
    const ChannelStats &s = m_stats[std::size_t(channel)];
    const auto &cells = m_missingCells[std::size_t(channel)];
    QString text = tr("%n missing value(s)", nullptr, int(s.missing));
    if (cells.empty())
        return text;
    QStringList where;
    for (const MissingReport::Cell &cell : cells)
        where << (cell.line > 0 ? tr("line %1").arg(cell.line) : tr("row %1").arg(cell.row + 1));
    text += tr(", first at ") + where.join(QLatin1String(", "));
    if (std::int64_t(cells.size()) < s.missing)
        text += QStringLiteral(", \u2026");
    return text;
}

QVariant ChannelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Channel");
        case Count:
            return tr("Count");
        case Missing:
            return tr("Missing");
        case Mean:
            return tr("Mean");
        case Std:
            return tr("Std");
        case Min:
            return tr("Min");
        case Max:
            return tr("Max");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Count:
            return tr("Values present");
        case Missing:
            return tr("Empty or NA cells");
        case Std:
            return tr("Population standard deviation, missing values excluded");
        default:
            return {};
        }
    }
    return {};
}

Qt::ItemFlags ChannelTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == Name && m_checkable)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool ChannelTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != Name || role != Qt::CheckStateRole || !m_checkable ||
        index.row() >= rowCount())
        return false;
    const bool checked = value.toInt() == Qt::Checked;
    if (m_checked[std::size_t(index.row())] == checked)
        return true;
    m_checked[std::size_t(index.row())] = checked;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT checkedChannelsChanged(checkedChannels());
    return true;
}

} // namespace twb
