#pragma once

#include "client/CrossValidationTable.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace twb {

/// The folds of a cross-validation (twb-cli train --cv) in one table: fold, accuracy, balanced
/// accuracy, macro-F1, log-loss, test cases and status, one row per fold, then the mean ± sd
/// row; the fold whose results the view below shows is marked. Activating a fold's row (double
/// click or Enter) emits foldActivated with its run folder; a fold without results (pending,
/// interrupted) says so and emits nothing.
///
/// Threading: GUI thread only. Reads no file (the table comes from readCrossValidation).
class FoldTable : public QWidget
{
    Q_OBJECT

public:
    enum Column {
        FoldColumn,
        AccuracyColumn,
        BalancedColumn,
        MacroF1Column,
        LogLossColumn,
        CasesColumn,
        StatusColumn,
        ColumnCount
    };

    explicit FoldTable(QWidget *parent = nullptr);

    /// Shows `table`; `shownRunDir` is the fold shown below (marked), may be empty.
    void setTable(const CrossValidationTable &table, const QString &shownRunDir);
    /// Marks another fold as the one shown.
    void setShownFold(const QString &runDir);
    const CrossValidationTable &table() const { return m_table; }
    /// The row of the fold shown, -1 when none.
    int shownRow() const { return m_shown; }

    QTableWidget *tableWidget() const { return m_view; }
    QString titleText() const;

Q_SIGNALS:
    void foldActivated(const QString &runDir);

private:
    void fill();

    CrossValidationTable m_table;
    int m_shown = -1;
    QLabel *m_title = nullptr;
    QTableWidget *m_view = nullptr;
};

} // namespace twb
