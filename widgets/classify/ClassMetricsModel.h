#pragma once

#include "runs/ClassificationMetrics.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace twb {

/// Per-class scores of a classifier as a table: class, precision, recall, F1, support, one row
/// per class in class order and a last "macro" row (the unweighted mean of precision, recall
/// and F1 over the classes that have cases - recall's mean is the balanced accuracy, F1's the
/// macro-F1 of ClassificationMetrics - and the total support).
///
/// DisplayRole: text (scores with 3 decimals); SortRole: the number (class: its index);
/// Qt::TextAlignmentRole: numbers right-aligned. Sort with ClassMetricsSortProxy, which keeps
/// the macro row last. Threading: GUI thread.
class ClassMetricsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ClassColumn,
        PrecisionColumn,
        RecallColumn,
        F1Column,
        SupportColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IsMacroRole = Qt::UserRole + 1; ///< bool

    explicit ClassMetricsModel(QObject *parent = nullptr);

    /// metrics.perClass.size() must equal classNames.size() (else the model is emptied).
    void setMetrics(const ClassificationMetrics &metrics, const QStringList &classNames);
    void clear();

    /// The macro row's values (mean over classes with support > 0).
    ClassScores macro() const { return m_macro; }
    int macroRow() const { return int(m_scores.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<ClassScores> m_scores;
    QStringList m_names;
    ClassScores m_macro;
};

/// Sorts a ClassMetricsModel by SortRole with the macro row always at the bottom.
class ClassMetricsSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ClassMetricsSortProxy(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace twb
