#pragma once

#include "CsvExportable.h"
#include "RunsTableModel.h"

#include <QFileSystemWatcher>
#include <QTimer>
#include <QWidget>

#include <functional>

class QChartView;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace twb {

/// The runs of a workspace: a sortable, filterable table (RunsTableModel behind a
/// QSortFilterProxyModel; the filter matches any column, case-insensitive) above a chart that
/// overlays the loss curves (metrics.jsonl: train solid, validation dashed, one colour per run)
/// of the selected runs. Delete moves the selected run folders to the trash
/// (QFile::moveToTrash) after a confirmation. The list refreshes itself when sub-folders of the
/// workspace appear or vanish (QFileSystemWatcher) and on refresh().
///
/// The loss chart follows a dark palette (followPaletteTheme, Theme.h).
/// The columns are sized to their contents when the list is (re)read, none wider than
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

    void setWorkspace(const QString &workspace);
    QString workspace() const { return m_model->workspace(); }

    void setDeleteConfirmation(DeleteConfirmation confirm);
    void setFilterText(const QString &text);

    /// The run folders selected in the table, in table order.
    QStringList selectedRunDirs() const;
    /// Selects exactly these run folders (those listed and shown).
    void selectRunDirs(const QStringList &dirs);

    RunsTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QChartView *lossChart() const { return m_chart; }
    /// The curves drawn for the selection: train and validation loss of each selected run
    /// with metrics, in selection order (named "<run> train" and "<run> val").
    QList<QLineSeries *> lossCurves() const { return m_curves; }

    CsvTable csvTable() const override;
    /// The widest a column is made by fitting to contents, in pixels (about 24 characters).
    int maxColumnWidth() const;

public Q_SLOTS:
    void refresh();
    /// Asks for confirmation, then moves the selected runs to the trash. Returns how many were
    /// moved; failures are reported through errorOccurred and the status line.
    int deleteSelected();

Q_SIGNALS:
    /// A run was double-clicked (its folder).
    void openRequested(const QString &runDir);
    void selectionChanged(const QStringList &runDirs);
    void errorOccurred(const QString &message);

private:
    void updateCurves();
    void updateWatcher();
    void fitColumns();
    void showMessage(const QString &text);

    RunsTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QLabel *m_status = nullptr;
    QChartView *m_chart = nullptr;
    QList<QLineSeries *> m_curves; ///< owned by the chart
    QFileSystemWatcher m_watcher;
    QTimer m_refreshTimer;
    DeleteConfirmation m_confirm;
};

} // namespace twb
