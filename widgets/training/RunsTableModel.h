#pragma once

#include "client/RunSummary.h"

#include <QAbstractTableModel>

#include <vector>

namespace twb {

/// The runs of a workspace (RunSummary values, as readWorkspaceRuns reads them) as table rows.
/// Columns, key ones first: model, data file, task, state, best epoch, test MSE and MAE
/// (forecasting, normalised scale), test accuracy and macro-F1 (classification, fractions),
/// test SI-SNRi (separation, dB; SI-SNR, SDRi and SDR in its tooltip), lookback, horizon, created
/// time, then the run folder's name, learning rate, batch size and hyperparameters. Cells that do
/// not apply to a run's task are empty.
///
/// DisplayRole gives text; SortRole (Qt::UserRole) gives numbers and times for sorting
/// (missing metrics sort after every number); RunDirRole the run's folder. ToolTipRole gives
/// the full data path on the data column, the folder on the run column. An unreadable run
/// (RunSummary::readable false) is still listed: its State cell says "unreadable: <reason>" and
/// its other cells are empty.
///
/// A fine-tuned run (RunSummary::initFrom) whose source run is listed is that run's child: its
/// model cell reads "↳ model" and its tooltip names the source; RunsSortProxy keeps the
/// children right below their source whatever the sort column.
///
/// The model reads no file. Threading: GUI thread only.
class RunsTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ModelColumn,
        DataColumn,
        TaskColumn,
        StateColumn,
        BestEpochColumn,
        TestMseColumn,
        TestMaeColumn,
        AccuracyColumn,
        MacroF1Column,
        SiSnriColumn,
        LookbackColumn,
        HorizonColumn,
        CreatedColumn,
        RunColumn,
        LrColumn,
        BatchSizeColumn,
        HyperparametersColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int RunDirRole = Qt::UserRole + 1;

    explicit RunsTableModel(QObject *parent = nullptr);

    /// Lists `runs` (replacing the previous list: a model reset).
    void setRuns(std::vector<RunSummary> runs);
    const std::vector<RunSummary> &runs() const { return m_runs; }

    const RunSummary &run(int row) const { return m_runs[std::size_t(row)]; }
    /// The row of the run folder `dir` (absolute or not), -1 if not listed.
    int rowOfDir(const QString &dir) const;
    /// The row of the run that `row` was fine-tuned from (its init-from folder, matched by
    /// path, else by folder name in this list), -1 when there is none or it is not listed.
    int sourceRow(int row) const;
    /// How many fine-tunes deep `row` is: 0 for a run of its own, 1 for a fine-tune of a
    /// listed run, 2 for a fine-tune of that ... (cycles are cut).
    int fineTuneDepth(int row) const;
    /// The first row of `row`'s chain of sources (itself at depth 0).
    int groupRoot(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const RunSummary &run, int column) const;
    QVariant sortData(const RunSummary &run, int column) const;

    std::vector<RunSummary> m_runs;
};

} // namespace twb
