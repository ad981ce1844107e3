#pragma once

#include "runs/ClassPredictionsFile.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace twb {

/// The test cases of a classification run as a filterable table: case index, source, true
/// class, predicted class, confidence (the probability of the predicted class) and the
/// probability of the true class. Rows are the cases that pass the filter, in case order
/// (sort with a QSortFilterProxyModel on SortRole).
///
/// Filters: every case, the misclassified ones (the default), or one confusion cell (truth,
/// predicted) - e.g. from ConfusionMatrixView::cellActivated; a diagonal cell lists the
/// correct cases of that class.
///
/// DisplayRole: text (probabilities with 3 decimals); SortRole: numbers (class columns: the
/// class index); CaseIndexRole: the case's row in the predictions; SourceRole: its source as
/// stored. Threading: GUI thread.
class MisclassifiedModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        CaseColumn,
        SourceColumn,
        TruthColumn,
        PredictedColumn,
        ConfidenceColumn,
        TruthProbabilityColumn,
        ColumnCount
    };
    enum class Filter { All, Misclassified, Cell };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int CaseIndexRole = Qt::UserRole + 1;
    static constexpr int SourceRole = Qt::UserRole + 2;

    explicit MisclassifiedModel(QObject *parent = nullptr);

    /// Shows `predictions` (shared, not copied; nullptr clears) with the current filter.
    void setPredictions(std::shared_ptr<const ClassPredictions> predictions);
    const ClassPredictions *predictions() const { return m_predictions.get(); }

    void showAll();
    void showMisclassified();
    /// Only the cases with this truth and prediction (out-of-range classes list nothing).
    void showCell(int truth, int predicted);
    Filter filter() const { return m_filter; }
    int filterTruth() const { return m_truth; }
    int filterPredicted() const { return m_predicted; }
    /// "misclassified: 12 of 250 cases", "truth 3, predicted 8: 4 cases", "all 250 cases".
    QString filterDescription() const;

    /// The case shown in `row` (this model's rows), -1 when out of range.
    std::int64_t caseAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void applyFilter(Filter filter, int truth, int predicted);
    QString className(int c) const;

    std::shared_ptr<const ClassPredictions> m_predictions;
    std::vector<std::int64_t> m_rows; ///< case index of each row
    Filter m_filter = Filter::Misclassified;
    int m_truth = -1;
    int m_predicted = -1;
};

} // namespace twb
