#pragma once

#include "client/FineTuneSource.h"
#include "client/TrainRequest.h"
#include "common/Expected.h"
#include "plugin/Hyperparameters.h"
#include "plugin/ModelRegistry.h"

#include <QWidget>

#include <functional>

class QGroupBox;
class QLabel;
class QPushButton;
class QToolButton;
class QScrollArea;

namespace twb {

class FineTuneBox;
class HyperparameterForm;
class ModelListWidget;

/// The model panel: the registry's models (ModelListWidget: description and paper of the
/// selected one), the hyperparameter form of the selected model, the task settings of the data's
/// task (forecast or classify, see setDataPath; for sound clips also separate, see chooseTask;
/// validated as you type like the hyperparameters), "Copy as twb-cli command" and "Train".
///
/// Train emits trainRequested() with a complete TrainRequest; it is enabled only with a data
/// set, a model for its task and valid values (otherwise a line says what is missing). The run
/// folder comes from the run-directory provider (default: runs/<runFolderName> relative to
/// the working directory).
///
/// The panel keeps a copy of the registry (plugin instances live for the whole process).
/// Threading: GUI thread only.
class ModelPanel : public QWidget
{
    Q_OBJECT

public:
    using RunDirProvider = std::function<QString(const TrainRequest &)>;

    explicit ModelPanel(QWidget *parent = nullptr);
    ~ModelPanel() override;

    void setRegistry(const ModelRegistry &registry, const QStringList &searched = {});
    /// The data set to train on (a path spec as in TrainRequest::dataPath); empty = none.
    /// `task` is what the data is for (a series: forecast; labelled cases: classify): the
    /// model list then selects a model for it unless the selected one supports it.
    /// The task form follows `task`: lookback, horizon, channels and split for forecasting;
    /// test data, test files, features, validation/test shares and length for
    /// classification; epochs, batch size, learning rate, seed and patience for both.
    /// A new data set starts with the form of `task` (a separation form becomes classify).
    void setDataPath(const QString &pathSpec, Task task = Task::Forecast);
    QString dataPath() const { return m_dataPath; }
    Task task() const { return m_taskKind; }
    /// One line about the data shown after its name ("50 cases, 2 classes"); cleared by
    /// setDataPath.
    void setDataSummary(const QString &summary);
    /// Labelled data that are sound clips at `hz` (0: not sound): the classify form then adds
    /// the audio settings (sample rate, mel bins, SpecAugment masks) and the objective
    /// (classify or separate, see chooseTask). Reset by setDataPath; call it after setDataPath
    /// and before filling the form (the form is rebuilt).
    void setAudioRate(double hz);
    /// What to learn from sound clips (setAudioRate > 0): Task::Classify, or Task::Separate
    /// (speech separation of mixtures of the clips' utterances: separateSchema()). Rebuilds the
    /// task form with that task's defaults and selects a model for it (convtasnet for
    /// separation); the form's Objective field does the same once the event loop runs. False,
    /// and nothing changes, for other data or tasks.
    bool chooseTask(Task task);
    /// The data set's channels, against which the task's "channels" field is checked (empty:
    /// not checked).
    void setChannelNames(const QStringList &names);
    void setRunDirProvider(RunDirProvider provider) { m_runDir = std::move(provider); }

    /// Fine-tuning from `source`'s weights: selects its model, sets the hyperparameters to its
    /// architecture and shows the fine-tune box (recipe, what to freeze) above them; the
    /// request then carries `--init-from` and the box's settings until Stop fine-tuning. The
    /// box's freeze tree is filled by whoever lists the parameters (fineTuneBox()).
    void setFineTuneSource(const FineTuneSource &source);
    FineTuneBox *fineTuneBox() const { return m_fineTune; }

    ModelListWidget *modelList() const { return m_list; }
    HyperparameterForm *hyperparameterForm() const { return m_form; }
    /// The task settings as a form (taskSchema(), classifySchema() or separateSchema(), see
    /// setDataPath and chooseTask).
    HyperparameterForm *taskForm() const { return m_task; }
    /// Forecasting: objective (forecast, or pretrain: masked reconstruction without labels,
    /// for models that can), lookback, horizon, channels, target, split, train_fraction,
    /// epochs, batch_size, lr, seed, patience.
    static HyperparameterSchema taskSchema();
    /// Classification: test_data, test_glob, group_by, test_groups, val_groups, features,
    /// feature_norm, augment, val_fraction, test_fraction, frames, epochs, batch_size, lr, seed,
    /// patience, train_fraction; for sound clips at `audioRate` Hz (> 0) also objective
    /// (classify; separate switches to separateSchema()), sample_rate, level_norm, mel_bins,
    /// freq_mask and time_mask.
    static HyperparameterSchema classifySchema(double audioRate = 0.0);
    /// Speech separation of sound clips at `audioRate` Hz: objective (separate; classify
    /// switches back), held_out (takes: the files matching test_glob, default FSDD's
    /// *_[0-4].wav, are the test part; speakers: the speakers test_groups, named by
    /// speaker_by, are), test_glob, test_groups, speaker_by, val_fraction, sources, level_min,
    /// level_max, mix_seconds, train_mixtures, val_mixtures, test_mixtures, sample_rate,
    /// epochs, batch_size, lr, seed, patience, swa; defaults those of twb-cli train.
    static HyperparameterSchema separateSchema(double audioRate);
    /// The split choice that means "the data's default" (no --split on the command line).
    static QString defaultSplitName();

    /// The request the current settings describe (with a new run folder), or why there is none.
    Expected<TrainRequest> request() const;
    /// The shell command that reproduces request(): "twb-cli train --data ... --run-dir DIR".
    Expected<QString> commandLine() const;

public Q_SLOTS:
    /// Emits trainRequested() if the settings are complete and valid.
    void train();
    /// Puts commandLine() on the clipboard.
    void copyCommand();
    /// Put the same training as a data-parallel launch on the clipboard (docs/distributed.md):
    /// a torchrun command for 2 processes on this machine, or an sbatch script for Slurm.
    void copyTorchrunCommand();
    void copySbatchScript();

Q_SIGNALS:
    void trainRequested(const twb::TrainRequest &request);

private:
    void onModelSelected(const QString &id);
    void updateState();
    void showTaskForm(Task task);
    /// Sound clips: when the form's objective names the other task, switches to it (queued:
    /// the form's editors are rebuilt, the objective's own combo box among them).
    void followObjective();
    /// A fine-tune's model, architecture and (sound clips) objective from its source run;
    /// again when sound data opens after the fine-tune began.
    void selectFineTuneModel(const FineTuneSource &source);
    /// The separation part of request(): `r` holds the shared settings, `task` the form's.
    Expected<TrainRequest> separationRequest(TrainRequest r,
                                             const HyperparameterValues &task) const;
    /// Only the field of the chosen held-out kind (test files or test speakers) is editable.
    void enableHeldOutFields();
    QString newRunDir(const TrainRequest &request) const;

    ModelRegistry m_registry;
    QString m_dataPath;
    QString m_dataSummary;
    double m_audioRate = 0.0; ///< Hz of the labelled sound clips, 0 = not sound
    Task m_taskKind = Task::Forecast;
    QGroupBox *m_taskBox = nullptr;
    QScrollArea *m_scroll = nullptr;
    QStringList m_channelNames;
    RunDirProvider m_runDir;
    ModelListWidget *m_list = nullptr;
    HyperparameterForm *m_form = nullptr;
    HyperparameterForm *m_task = nullptr;
    FineTuneBox *m_fineTune = nullptr;
    QLabel *m_data = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_copy = nullptr;
    QToolButton *m_copyLaunch = nullptr; ///< "copy as torchrun" / "copy as sbatch"
    QPushButton *m_train = nullptr;
};

} // namespace twb
