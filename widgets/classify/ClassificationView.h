#pragma once

#include "client/ClassificationRun.h"
#include "client/ExampleSources.h"
#include "widgets/common/CsvExportable.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace twb {

class NewDataPredictionsView;

class ClassMetricsModel;
class ClassMetricsSortProxy;
class ConfusionMatrixView;
class FoldTable;
struct CrossValidationTable;
class MisclassifiedModel;
class SoundPlayer;

/// The results of a classification run: a summary line (accuracy, balanced accuracy,
/// macro-F1, log-loss, number of cases), the confusion matrix, the per-class metrics and the
/// test cases (misclassified by default; clicking a matrix cell lists that cell's cases).
///
/// setRun() shows what readClassificationRun read (on a worker, by app/gui's
/// RunViewsController): the stored predictions and the metrics computed from them; the view
/// reads no file. Activating a case (double click or Enter) emits
/// exampleActivated: for audio the absolute path of the sound file (ExampleSources: relative
/// to the config's "test-data", else "data"), for a table row its absolute file and line
/// ("/data/GunPoint_TEST.ts:17"), otherwise the source as stored. "Play" or Space plays the
/// selected audio case with SoundPlayer; playback problems (no audio device, missing file) are
/// shown in the status line below the table, never fatal. CsvExportable: the confusion matrix.
///
/// Threading: GUI thread only.
class ClassificationView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ClassificationView(QWidget *parent = nullptr);
    ~ClassificationView() override;

    /// Shows a run read by readClassificationRun (its predictions are shared, read-only).
    /// The section under the results for the run's predictions on new data (owned; the
    /// window wires it to `twb-cli predict`).
    NewDataPredictionsView *newDataPredictions() const { return m_newData; }
    void setRun(const ClassificationRunData &run);
    /// Clears the view and shows why a run could not be shown (e.g. the reader's error).
    void showFailure(const QString &message);
    void clear();
    QString runDir() const { return m_runDir; }

    /// Valid after setRun.
    const ClassificationMetrics &metrics() const { return m_metrics; }
    const ClassPredictions *predictions() const { return m_predictions.get(); }
    const ExampleSources &sources() const { return m_sources; }
    /// "accuracy 0.9720 · balanced accuracy ... · macro-F1 ... · log-loss ... · 250 cases".
    QString summaryText() const;
    /// The absolute sound file of an audio case, the absolute "file:line" of a table row, else
    /// its source as stored; empty if out of range.
    QString exampleLocation(int caseIndex) const;

    /// The case selected in the examples table, -1 when none.
    int selectedCase() const;
    /// Selects the case in the examples table (if it is listed under the current filter).
    bool selectCase(int caseIndex);
    /// Plays the selected case (false with the reason in the status line when it cannot).
    bool playSelected();
    QString statusText() const;
    /// Shows the folds of the cross-validation the run belongs to above its results (the
    /// fold shown is `shownRunDir`); hidden again by clearCrossValidation(), for a run that is
    /// no fold. Activating a fold emits foldActivated.
    void setCrossValidation(const CrossValidationTable &table, const QString &shownRunDir);
    void clearCrossValidation();
    FoldTable *foldTable() const { return m_folds; }

    /// The matrix cells show row percentages instead of counts (the "Cells" selector).
    void setShowRowPercent(bool percent);

    ConfusionMatrixView *matrixView() const { return m_matrix; }
    ClassMetricsModel *metricsModel() const { return m_metricsModel; }
    MisclassifiedModel *examplesModel() const { return m_examplesModel; }
    QTableView *examplesTable() const { return m_examplesTable; }
    QPushButton *playButton() const { return m_play; }
    SoundPlayer *player() const { return m_player; }

    CsvTable csvTable() const override;

public Q_SLOTS:
    void showMisclassified();
    void showAllCases();
    void showCell(int truth, int predicted);
    void stopPlayback();

Q_SIGNALS:
    /// A case was activated: `source` = exampleLocation(caseIndex).
    void exampleActivated(const QString &source, int caseIndex);
    /// A fold of the cross-validation table was activated: show the run in `runDir`.
    void foldActivated(const QString &runDir);

private:
    void activateRow(const QModelIndex &proxyIndex);
    void updateFilterLabel();
    void updatePlayButton();
    void setStatus(const QString &text);

    QString m_runDir;
    std::shared_ptr<const ClassPredictions> m_predictions;
    ClassificationMetrics m_metrics;
    ExampleSources m_sources;

    QLabel *m_summary = nullptr;
    FoldTable *m_folds = nullptr;
    ConfusionMatrixView *m_matrix = nullptr;
    QComboBox *m_cellText = nullptr;
    ClassMetricsModel *m_metricsModel = nullptr;
    ClassMetricsSortProxy *m_metricsProxy = nullptr;
    QTableView *m_metricsTable = nullptr;
    MisclassifiedModel *m_examplesModel = nullptr;
    QSortFilterProxyModel *m_examplesProxy = nullptr;
    QTableView *m_examplesTable = nullptr;
    QLabel *m_filterLabel = nullptr;
    QPushButton *m_showMisclassified = nullptr;
    QPushButton *m_showAll = nullptr;
    QPushButton *m_play = nullptr;
    QLabel *m_status = nullptr;
    SoundPlayer *m_player = nullptr;
    NewDataPredictionsView *m_newData = nullptr;
};

} // namespace twb
