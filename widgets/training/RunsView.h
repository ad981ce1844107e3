#pragma once

#include "widgets/common/CsvExportable.h"
#include "widgets/training/RunsTableModel.h"

#include <QWidget>

#include <functional>
#include <vector>

class QChartView;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace twb {

class RunsSortProxy;

/// The loss curves of one run: its epochs as metrics.jsonl holds them (readRunEpochs).
struct RunLossCurve
{
    QString name; ///< the run folder's name
    std::vector<EpochRecord> epochs;
};

/// The runs of a workspace: a sortable, filterable table (RunsTableModel behind a
/// QSortFilterProxyModel; the filter matches any column, case-insensitive) above a chart that
/// overlays the loss curves (train solid, validation dashed, one colour per run) of the
/// selected runs.
///
/// The view reads no file and changes none: it is given the runs (setRuns) and the curves of
/// the selection (setLossCurves), and asks for the rest with signals — refreshRequested (the
/// Refresh button, refresh()), selectionChanged (whoever owns the files answers with
/// setLossCurves), deleteRequested (Delete, after a confirmation; the answer is
/// showDeleteResult). app/gui's RunViewsController does all three with a RunWorkspace.
///
/// The loss chart follows a dark palette (followPaletteTheme, Theme.h).
/// The columns are sized to their contents when the list is (re)set, none wider than
/// maxColumnWidth() (longer text is elided in the middle; the tooltip has all of it: the full
/// data path, the run folder, the hyperparameters); the last column (hyperparameters) stretches
/// over the remaining width. The key columns (model to created time) fit 1400 px.
///
/// CSV export: the table as shown (filtered and sorted), one column per table column.
/// Threading: GUI thread only.
class RunsView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    /// Asked before deleting: the names of the runs; true goes ahead. The default asks with a
    /// QMessageBox; tests inject their own.
    using DeleteConfirmation = std::function<bool(const QStringList &runNames)>;

    explicit RunsView(QWidget *parent = nullptr);
    ~RunsView() override;

    /// Lists `runs`, keeping the selected runs that are still listed selected, and fits the
    /// columns. Emits selectionChanged once (the curves of a run still selected may have grown).
    void setRuns(std::vector<RunSummary> runs);
    /// Draws the loss curves of the selected runs; `problems` (metrics that could not be read)
    /// go to the status line.
    void setLossCurves(const std::vector<RunLossCurve> &curves, const QStringList &problems = {});
    /// What became of a deleteRequested: the status line says how many runs went to the trash;
    /// folders that could not be moved are named there and in errorOccurred.
    void showDeleteResult(int moved, const QStringList &failed);

    void setDeleteConfirmation(DeleteConfirmation confirm);
    void setFilterText(const QString &text);

    /// The run folders selected in the table, in table order.
    QStringList selectedRunDirs() const;
    /// Selects exactly these run folders (those listed and shown).
    void selectRunDirs(const QStringList &dirs);

    RunsTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const;
    QTableView *table() const { return m_table; }
    QChartView *lossChart() const { return m_chart; }
    /// The curves drawn for the selection: train and validation loss of each selected run
    /// with metrics, in selection order (named "<run> train" and "<run> val").
    QList<QLineSeries *> lossCurves() const { return m_curves; }

    CsvTable csvTable() const override;
    /// The widest a column is made by fitting to contents, in pixels (about 24 characters).
    int maxColumnWidth() const;

public Q_SLOTS:
    /// Asks for the list to be read again (refreshRequested).
    void refresh();
    /// Asks for confirmation, then emits deleteRequested with the selected run folders.
    /// Returns how many runs were handed over (0: nothing selected, or declined).
    int deleteSelected();
    /// Emits resumeRequested for the selected run if exactly one is selected and it can be
    /// resumed; returns whether it did. The Resume button is enabled exactly then.
    bool resumeSelected();
    /// Emits fineTuneRequested for the selected run if exactly one is selected and it has
    /// finished (a best epoch in its status; not a cross-validation's folder of folds); returns
    /// whether it did. The Fine-tune button is enabled exactly then.
    bool fineTuneSelected();

Q_SIGNALS:
    /// A run was double-clicked (its folder).
    void openRequested(const QString &runDir);
    /// The selected run folders, in table order (also after setRuns).
    void selectionChanged(const QStringList &runDirs);
    /// Refresh was asked for (the button, refresh()).
    void refreshRequested();
    /// Delete was confirmed for these run folders.
    void deleteRequested(const QStringList &runDirs);
    /// Resume was pressed for the selected run, which is interrupted (canResume).
    void resumeRequested(const twb::RunSummary &run);
    /// Fine-tune was pressed for the selected finished run: start a new run from its weights.
    void fineTuneRequested(const twb::RunSummary &run);
    void errorOccurred(const QString &message);

private:
    void onSelectionChanged();
    /// The one selected run if it can be resumed, else null (valid until setRuns).
    const RunSummary *resumableSelection() const;
    /// The one selected run if it can start a fine-tune, else null (valid until setRuns).
    const RunSummary *fineTunableSelection() const;
    void clearCurves();
    void fitColumns();
    void showMessage(const QString &text);

    RunsTableModel *m_model = nullptr;
    RunsSortProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QPushButton *m_resumeButton = nullptr;
    QPushButton *m_fineTuneButton = nullptr;
    QLabel *m_status = nullptr;
    QChartView *m_chart = nullptr;
    QList<QLineSeries *> m_curves; ///< owned by the chart
    DeleteConfirmation m_confirm;
    bool m_settingRuns = false; ///< setRuns emits selectionChanged once, at its end
};

} // namespace twb
