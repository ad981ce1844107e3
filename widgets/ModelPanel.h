#pragma once

#include "TrainRequest.h"
#include "common/Expected.h"
#include "plugin/Hyperparameters.h"
#include "plugin/ModelRegistry.h"

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;

namespace twb {

class HyperparameterForm;
class ModelListWidget;

/// The model panel: the registry's models (ModelListWidget: description and paper of the
/// selected one), the hyperparameter form of the selected model, the task settings (lookback,
/// horizon, split, epochs, batch size, learning rate, seed, patience; validated as you type
/// like the hyperparameters), "Copy as twb-cli command" and "Train".
///
/// Train emits trainRequested() with a complete TrainRequest; it is enabled only with a data
/// set, a forecasting model and valid values (otherwise a line says what is missing). The run
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
    void setDataPath(const QString &pathSpec, Task task = Task::Forecast);
    QString dataPath() const { return m_dataPath; }
    /// The data set's channels, against which the task's "channels" field is checked (empty:
    /// not checked).
    void setChannelNames(const QStringList &names);
    void setRunDirProvider(RunDirProvider provider) { m_runDir = std::move(provider); }

    ModelListWidget *modelList() const { return m_list; }
    HyperparameterForm *hyperparameterForm() const { return m_form; }
    /// The task settings as a form: keys lookback, horizon, split, epochs, batch_size, lr,
    /// seed, patience.
    HyperparameterForm *taskForm() const { return m_task; }
    static HyperparameterSchema taskSchema();

    /// The request the current settings describe (with a new run folder), or why there is none.
    Expected<TrainRequest> request() const;
    /// The shell command that reproduces request(): "twb-cli train --data ... --run-dir DIR".
    Expected<QString> commandLine() const;

public Q_SLOTS:
    /// Emits trainRequested() if the settings are complete and valid.
    void train();
    /// Puts commandLine() on the clipboard.
    void copyCommand();

Q_SIGNALS:
    void trainRequested(const twb::TrainRequest &request);

private:
    void onModelSelected(const QString &id);
    void updateState();

    ModelRegistry m_registry;
    QString m_dataPath;
    QStringList m_channelNames;
    RunDirProvider m_runDir;
    ModelListWidget *m_list = nullptr;
    HyperparameterForm *m_form = nullptr;
    HyperparameterForm *m_task = nullptr;
    QLabel *m_data = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_train = nullptr;
};

} // namespace twb
