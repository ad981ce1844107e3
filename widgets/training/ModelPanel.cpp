#include "ModelPanel.h"

#include "client/LaunchCommands.h"
#include "data/ChannelSelection.h"
#include "plugin/ModelPlugin.h"
#include "widgets/training/FineTuneBox.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <optional>

namespace twb {

ModelPanel::ModelPanel(QWidget *parent)
    : QWidget(parent)
{
    m_list = new ModelListWidget;
    connect(m_list, &ModelListWidget::modelSelected, this, &ModelPanel::onModelSelected);

    m_form = new HyperparameterForm;
    m_form->setObjectName(QStringLiteral("hyperparameterForm"));
    auto *reset = new QPushButton(tr("Reset to defaults"));
    reset->setObjectName(QStringLiteral("resetButton"));
    connect(reset, &QPushButton::clicked, m_form, &HyperparameterForm::resetToDefaults);
    auto *hpBox = new QGroupBox(tr("Hyperparameters"));
    auto *hpLayout = new QVBoxLayout(hpBox);
    hpLayout->addWidget(m_form);
    hpLayout->addWidget(reset, 0, Qt::AlignRight);

    m_task = new HyperparameterForm;
    m_task->setObjectName(QStringLiteral("taskForm"));
    m_data = new QLabel;
    m_data->setObjectName(QStringLiteral("dataLabel"));
    m_data->setWordWrap(true);
    m_taskBox = new QGroupBox;
    m_taskBox->setObjectName(QStringLiteral("taskBox"));
    auto *taskBox = m_taskBox;
    showTaskForm(Task::Forecast);
    auto *taskLayout = new QVBoxLayout(taskBox);
    taskLayout->addWidget(m_data);
    taskLayout->addWidget(m_task);

    auto *settings = new QWidget;
    auto *settingsLayout = new QVBoxLayout(settings);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    m_fineTune = new FineTuneBox;
    settingsLayout->addWidget(m_fineTune);
    settingsLayout->addWidget(hpBox);
    settingsLayout->addWidget(taskBox);
    settingsLayout->addStretch(1);
    auto *scroll = m_scroll = new QScrollArea;
    scroll->setWidget(settings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_hint = new QLabel;
    m_hint->setObjectName(QStringLiteral("trainHint"));
    m_hint->setWordWrap(true);
    // Short labels: the dock's minimum width is the widest row of the panel.
    m_copy = new QPushButton(tr("Copy command"));
    m_copy->setObjectName(QStringLiteral("copyCommandButton"));
    m_copy->setToolTip(tr("Copies the twb-cli command line that runs the same training headless"));
    connect(m_copy, &QPushButton::clicked, this, &ModelPanel::copyCommand);
    m_copyLaunch = new QToolButton;
    m_copyLaunch->setObjectName(QStringLiteral("copyLaunchButton"));
    m_copyLaunch->setText(tr("Cluster"));
    m_copyLaunch->setToolTip(tr("The same training data-parallel on several processes: "
                                "--batch-size is per process"));
    m_copyLaunch->setPopupMode(QToolButton::InstantPopup);
    auto *launchMenu = new QMenu(m_copyLaunch);
    QAction *torchrun = launchMenu->addAction(tr("Copy as torchrun (2 processes)"));
    torchrun->setObjectName(QStringLiteral("copyTorchrunAction"));
    connect(torchrun, &QAction::triggered, this, &ModelPanel::copyTorchrunCommand);
    QAction *sbatch = launchMenu->addAction(tr("Copy as sbatch script"));
    sbatch->setObjectName(QStringLiteral("copySbatchAction"));
    connect(sbatch, &QAction::triggered, this, &ModelPanel::copySbatchScript);
    m_copyLaunch->setMenu(launchMenu);
    m_train = new QPushButton(tr("Train"));
    m_train->setObjectName(QStringLiteral("trainButton"));
    m_train->setDefault(true);
    m_train->setToolTip(tr("Start a training run (Ctrl+T); runs queue up in the dashboard"));
    connect(m_train, &QPushButton::clicked, this, &ModelPanel::train);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_copyLaunch);
    buttons->addStretch(1);
    buttons->addWidget(m_train);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_list);
    split->addWidget(scroll);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split, 1);
    layout->addWidget(m_hint);
    layout->addLayout(buttons);

    connect(m_form, &HyperparameterForm::valuesChanged, this, &ModelPanel::updateState);
    connect(m_task, &HyperparameterForm::valuesChanged, this, &ModelPanel::followObjective);
    connect(m_task, &HyperparameterForm::valuesChanged, this, &ModelPanel::updateState);
    connect(m_fineTune, &FineTuneBox::changed, this, &ModelPanel::updateState);
    updateState();
}

void ModelPanel::selectFineTuneModel(const FineTuneSource &source)
{
    // Sound clips: a separation run fine-tunes to separate, a classifier to classify (the
    // objective first, so that the list offers the source's model).
    if (const std::optional<Task> task = taskFromName(source.task))
        chooseTask(*task);
    m_list->selectModel(source.modelId); // onModelSelected: the model's form
    for (auto it = source.hyperparameters.constBegin(); it != source.hyperparameters.constEnd();
         ++it)
        m_form->setValue(it.key(), it.value());
}

void ModelPanel::setFineTuneSource(const FineTuneSource &source)
{
    selectFineTuneModel(source);
    // A fine-tune learns a task: forecasting again, whatever the source was trained for.
    if (m_taskKind == Task::Forecast)
        m_task->setValue(QStringLiteral("objective"), QStringLiteral("forecast"));
    m_fineTune->setSource(source);
    QTimer::singleShot(0, this, [this] {
        if (m_scroll->widget())
            m_scroll->ensureWidgetVisible(m_fineTune, 0, 0);
    });
    updateState();
}

ModelPanel::~ModelPanel() = default;

void ModelPanel::setRegistry(const ModelRegistry &registry, const QStringList &searched)
{
    m_registry = registry;
    m_list->setRegistry(registry, searched);
    onModelSelected(m_list->selectedModel());
}

void ModelPanel::setDataPath(const QString &pathSpec, Task task)
{
    m_dataPath = pathSpec;
    m_dataSummary.clear();
    const bool hadAudioForm =
        m_audioRate > 0.0 && (m_taskKind == Task::Classify || m_taskKind == Task::Separate);
    m_audioRate = 0.0;
    if (task != m_taskKind || hadAudioForm)
        showTaskForm(task);
    if (!pathSpec.isEmpty())
        m_list->setPreferredTask(task); // may select another model (onModelSelected)
    updateState();
}

void ModelPanel::setDataSummary(const QString &summary)
{
    m_dataSummary = summary;
    updateState();
}

void ModelPanel::setAudioRate(double hz)
{
    if (hz == m_audioRate)
        return;
    m_audioRate = hz;
    if (m_taskKind == Task::Classify || m_taskKind == Task::Separate) {
        const Task task = hz > 0.0 ? m_taskKind : Task::Classify; // separation needs sound
        showTaskForm(task);
        m_list->setPreferredTask(task, hz > 0.0); // AST for sound clips
        // Sound opened for a fine-tune (the source's own data, opened after it): its objective
        // and model again.
        if (hz > 0.0 && m_fineTune->hasSource())
            selectFineTuneModel(m_fineTune->source());
    }
    updateState();
}

void ModelPanel::showTaskForm(Task task)
{
    m_taskKind = task;
    switch (task) {
    case Task::Classify:
        m_task->setSchema(classifySchema(m_audioRate));
        m_taskBox->setTitle(tr("Task: classify"));
        break;
    case Task::Separate:
        m_task->setSchema(separateSchema(m_audioRate));
        m_taskBox->setTitle(tr("Task: separate (speech separation)"));
        break;
    case Task::Forecast:
    case Task::Reconstruct:
        m_task->setSchema(taskSchema());
        m_taskBox->setTitle(tr("Task: forecast"));
        break;
    }
    if (auto *channels = m_task->findChild<QLineEdit *>(QStringLiteral("hp_channels")))
        channels->setPlaceholderText(tr("all, or e.g. OT"));
    if (auto *target = m_task->findChild<QLineEdit *>(QStringLiteral("hp_target")))
        target->setPlaceholderText(tr("all, or e.g. OT"));
    if (auto *glob = m_task->findChild<QLineEdit *>(QStringLiteral("hp_test_glob")))
        glob->setPlaceholderText(tr("none, or e.g. *_[0-4].wav"));
    if (auto *test = m_task->findChild<QLineEdit *>(QStringLiteral("hp_test_data")))
        test->setPlaceholderText(tr("none, or a _TEST.ts file"));
    if (auto *extra = m_task->findChild<QLineEdit *>(QStringLiteral("hp_extra_train")))
        extra->setPlaceholderText(tr("none, or more labelled files"));
    if (auto *groupBy = m_task->findChild<QLineEdit *>(QStringLiteral("hp_group_by")))
        groupBy->setPlaceholderText(tr("none, or e.g. speaker"));
    if (auto *groups = m_task->findChild<QLineEdit *>(QStringLiteral("hp_test_groups")))
        groups->setPlaceholderText(task == Task::Separate ? tr("e.g. george,jackson")
                                                          : tr("none, or e.g. theo"));
    if (auto *groups = m_task->findChild<QLineEdit *>(QStringLiteral("hp_val_groups")))
        groups->setPlaceholderText(tr("drawn, or e.g. nicolas"));
    if (auto *augment = m_task->findChild<QLineEdit *>(QStringLiteral("hp_augment")))
        augment->setPlaceholderText(tr("none, or e.g. shift,gain,speed"));
    // A changed task: bring its settings into view (they sit below the hyperparameters).
    if (m_scroll && m_scroll->widget())
        QTimer::singleShot(0, this, [this] {
            if (m_scroll->widget()) {
                m_scroll->widget()->adjustSize();
                m_scroll->ensureWidgetVisible(m_taskBox, 0, 0);
            }
        });
}

void ModelPanel::setChannelNames(const QStringList &names)
{
    m_channelNames = names;
    updateState();
}

void ModelPanel::onModelSelected(const QString &id)
{
    const ModelPlugin *plugin = m_registry.find(id);
    m_form->setSchema(plugin ? plugin->hyperparameters() : HyperparameterSchema());
    updateState();
}

Expected<TrainRequest> ModelPanel::request() const
{
    const QString id = m_list->selectedModel();
    const PluginRecord *record = m_registry.record(id);
    if (!record)
        return Error{tr("Choose a model."), {}, 0};
    const bool classify = m_taskKind == Task::Classify;
    const bool separate = m_taskKind == Task::Separate;
    const Expected<HyperparameterValues> taskValues = m_task->values();
    const bool pretrain =
        m_taskKind == Task::Forecast && taskValues &&
        taskValues->text(QStringLiteral("objective")) == QLatin1String("pretrain");
    // A plugin that can pretrain lists the "reconstruct" task (masked reconstruction).
    if (pretrain && !record->tasks.contains(QLatin1String("reconstruct")))
        return Error{tr("%1 cannot be pretrained by masked reconstruction; choose a model that "
                        "can (PatchTST, TST: their tasks list \"reconstruct\").")
                         .arg(record->name),
                     {},
                     0};
    if (!pretrain && !record->tasks.contains(taskName(m_taskKind)))
        return Error{separate ? tr("%1 does not separate speech; choose a separation model "
                                   "(Conv-TasNet, SepFormer: their tasks list \"separate\").")
                                    .arg(record->name)
                     : classify ? tr("%1 does not classify; choose a classification model for "
                                     "these labelled cases.")
                                      .arg(record->name)
                                : tr("%1 does not forecast; choose a forecasting model for this "
                                     "series.")
                                      .arg(record->name),
                     {},
                     0};
    if (m_dataPath.isEmpty())
        return Error{tr("Open a data set first (File \u25b8 Open or Sample Data)."), {}, 0};
    const Expected<HyperparameterValues> hp = m_form->values();
    if (!hp)
        return hp.error();
    const Expected<HyperparameterValues> task = m_task->values();
    if (!task)
        return task.error();

    TrainRequest r;
    r.dataPath = m_dataPath;
    r.modelId = id;
    r.epochs = task->integer(QStringLiteral("epochs"));
    r.batchSize = task->integer(QStringLiteral("batch_size"));
    r.lr = task->real(QStringLiteral("lr"));
    r.schedule = task->text(QStringLiteral("schedule"));
    r.gamma = task->real(QStringLiteral("gamma"));
    r.stepSize = task->integer(QStringLiteral("step_size"));
    r.hold = task->integer(QStringLiteral("hold"));
    r.seed = std::uint64_t(task->integer(QStringLiteral("seed")));
    r.patience = task->integer(QStringLiteral("patience"));
    r.swa = task->integer(QStringLiteral("swa"));
    r.threads = task->integer(QStringLiteral("threads"));
    if (r.swa > r.epochs)
        return Error{tr("Weight averaging starts at epoch %1, after the last epoch (%2).")
                         .arg(r.swa)
                         .arg(r.epochs),
                     {},
                     0};
    r.hyperparameters = hp->map();
    if (m_fineTune->hasSource()) {
        const FineTuneSource &source = m_fineTune->source();
        if (source.modelId != id)
            return Error{tr("Fine-tuning from %1 needs its model, %2: choose it, or stop "
                            "fine-tuning.")
                             .arg(source.name, source.modelId),
                         {},
                         0};
        r.initFrom = source.runDir;
        r.finetune = m_fineTune->recipe();
        r.freeze = m_fineTune->freezePrefixes();
    }
    if (separate)
        return separationRequest(std::move(r), *task);
    r.trainFraction = task->real(QStringLiteral("train_fraction"));
    if (classify) {
        r.task = QStringLiteral("classify");
        r.testData = task->text(QStringLiteral("test_data")).trimmed();
        r.testGlob = task->text(QStringLiteral("test_glob")).trimmed();
        r.extraTrain = task->text(QStringLiteral("extra_train")).trimmed();
        const QString features = task->text(QStringLiteral("features"));
        r.features = features == QLatin1String("auto") ? QString() : features;
        r.valFraction = task->real(QStringLiteral("val_fraction"));
        r.testFraction = task->real(QStringLiteral("test_fraction"));
        r.frames = task->integer(QStringLiteral("frames"));
        r.groupBy = task->text(QStringLiteral("group_by")).trimmed();
        r.testGroups = task->text(QStringLiteral("test_groups")).trimmed();
        r.valGroups = task->text(QStringLiteral("val_groups")).trimmed();
        const QString featureNorm = task->text(QStringLiteral("feature_norm"));
        r.featureNorm = featureNorm == QLatin1String("none") ? QString() : featureNorm;
        const QString scale = task->text(QStringLiteral("scale"));
        r.scale = scale == QLatin1String("channel") ? QString() : scale;
        r.augment = task->text(QStringLiteral("augment")).trimmed();
        r.cv = task->text(QStringLiteral("cv")).trimmed().toLower();
        bool isNumber = false;
        const int folds = r.cv.toInt(&isNumber);
        if (!r.cv.isEmpty() && r.cv != QLatin1String("groups") && !(isNumber && folds >= 2))
            return Error{tr("Cross-validation must be empty, groups or a number of folds (2 or "
                            "more), not \"%1\".")
                             .arg(r.cv),
                         {},
                         0};
        if (!r.cv.isEmpty() &&
            !(r.testData.isEmpty() && r.testGlob.isEmpty() && r.testGroups.isEmpty()))
            return Error{tr("Cross-validation makes each fold's test part: clear Test data, "
                            "Test files and Test groups."),
                         {},
                         0};
        if (r.cv == QLatin1String("groups") && r.groupBy.isEmpty())
            return Error{tr("Leave-one-group-out cross-validation needs Group by (where the "
                            "groups come from)."),
                         {},
                         0};
        if (r.groupBy.isEmpty() && !(r.testGroups.isEmpty() && r.valGroups.isEmpty()))
            return Error{tr("Test and validation groups need Group by (where the groups come "
                            "from)."),
                         {},
                         0};
        if (!r.testGroups.isEmpty() && !(r.testData.isEmpty() && r.testGlob.isEmpty()))
            return Error{tr("Give one of test data, test files and test groups."), {}, 0};
        if (m_audioRate > 0.0) {
            const QString levelNorm = task->text(QStringLiteral("level_norm"));
            r.levelNorm = levelNorm == QLatin1String("none") ? QString() : levelNorm;
            r.sampleRate = task->real(QStringLiteral("sample_rate"));
            r.melBins = task->integer(QStringLiteral("mel_bins"));
            r.freqMask = task->integer(QStringLiteral("freq_mask"));
            r.timeMask = task->integer(QStringLiteral("time_mask"));
        }
        if (!r.testData.isEmpty() && !QFileInfo(r.testData).isFile())
            return Error{tr("Test data: %1 is not a file.").arg(r.testData), {}, 0};
        if (!r.extraTrain.isEmpty() && !QFileInfo::exists(r.extraTrain))
            return Error{tr("Extra training data: %1 does not exist.").arg(r.extraTrain), {}, 0};
        if (!r.testData.isEmpty() && !r.testGlob.isEmpty())
            return Error{tr("Give test data or test files, not both."), {}, 0};
        r.runDir = newRunDir(r);
        return r;
    }
    if (pretrain)
        r.task = QStringLiteral("pretrain");
    const QString split = task->text(QStringLiteral("split"));
    r.split = split == defaultSplitName() ? QString() : split;
    r.lookback = task->integer(QStringLiteral("lookback"));
    r.horizon = task->integer(QStringLiteral("horizon"));
    r.channels = parseChannelList(task->text(QStringLiteral("channels")));
    r.target = task->text(QStringLiteral("target")).trimmed();
    for (const QString &name : std::as_const(r.channels))
        if (!m_channelNames.isEmpty() && !m_channelNames.contains(name))
            return Error{tr("Channels: the data has no channel \"%1\" (it has %2).")
                             .arg(name, m_channelNames.join(QStringLiteral(", "))),
                         {},
                         0};
    if (QStringList unique = r.channels; unique.removeDuplicates() > 0)
        return Error{tr("Channels: a channel is named twice."), {}, 0};
    const QStringList &read = r.channels.isEmpty() ? m_channelNames : r.channels;
    if (!r.target.isEmpty() && !read.isEmpty() && !read.contains(r.target))
        return Error{tr("Scored channel: \"%1\" is not among the channels read (%2).")
                         .arg(r.target, read.join(QStringLiteral(", "))),
                     {},
                     0};
    r.runDir = newRunDir(r);
    return r;
}

QString ModelPanel::newRunDir(const TrainRequest &request) const
{
    return m_runDir
               ? m_runDir(request)
               : QStringLiteral("runs/") + runFolderName(request, QDateTime::currentDateTime());
}

Expected<QString> ModelPanel::commandLine() const
{
    const Expected<TrainRequest> r = request();
    if (!r)
        return r.error();
    return shellCommand(QStringLiteral("twb-cli"), r->arguments());
}

void ModelPanel::train()
{
    const Expected<TrainRequest> r = request();
    if (!r) {
        updateState();
        return;
    }
    Q_EMIT trainRequested(*r);
}

void ModelPanel::copyCommand()
{
    const Expected<QString> command = commandLine();
    if (command)
        QGuiApplication::clipboard()->setText(*command);
}

void ModelPanel::copyTorchrunCommand()
{
    if (const Expected<TrainRequest> r = request())
        QGuiApplication::clipboard()->setText(torchrunCommand(r->arguments()));
}

void ModelPanel::copySbatchScript()
{
    if (const Expected<TrainRequest> r = request())
        QGuiApplication::clipboard()->setText(sbatchScript(r->arguments()));
}

void ModelPanel::updateState()
{
    QString data = m_dataPath.isEmpty() ? tr("Data: none \u2014 open a data set")
                                        : tr("Data: %1").arg(QFileInfo(m_dataPath).fileName());
    if (!m_dataSummary.isEmpty())
        data += QStringLiteral(" \u2014 ") + m_dataSummary;
    m_data->setText(data);
    m_data->setToolTip(m_dataPath);
    if (m_taskKind == Task::Forecast) {
        const bool pretrain = m_task->rawValues().value(QStringLiteral("objective")).toString() ==
                              QLatin1String("pretrain");
        m_taskBox->setTitle(pretrain ? tr("Task: pretrain (masked reconstruction, no labels)")
                                     : tr("Task: forecast"));
    }
    if (m_taskKind == Task::Separate)
        enableHeldOutFields();
    const Expected<TrainRequest> r = request();
    m_train->setEnabled(bool(r));
    m_copy->setEnabled(bool(r));
    m_copyLaunch->setEnabled(bool(r));
    m_hint->setText(r ? QString() : r.error().reason);
    m_hint->setVisible(!r);
}

} // namespace twb
