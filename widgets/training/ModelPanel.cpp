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

namespace twb {

namespace {

using Spec = HyperparameterSpec;

const QString defaultSplit = QStringLiteral("auto");

/// The optimisation settings both tasks share (epochs ... patience), in form order.
std::vector<Spec> trainingSpecs(const QString &unit)
{
    return {Spec::integer(QStringLiteral("epochs"), QObject::tr("Epochs"), 10, 1, 100000,
                          QObject::tr("Passes over the training %1.").arg(unit)),
            Spec::integer(QStringLiteral("batch_size"), QObject::tr("Batch size"), 32, 1, 65536,
                          QObject::tr("Training %1 per optimiser step.").arg(unit)),
            Spec::real(QStringLiteral("lr"), QObject::tr("Learning rate"), 1e-3, 1e-9, 10.0,
                       QObject::tr("Adam learning rate.")),
            Spec::integer(QStringLiteral("seed"), QObject::tr("Seed"), 2021, 0, 2147483647,
                          QObject::tr("Seed of initialisation, %1 order and dropout.").arg(unit)),
            Spec::integer(QStringLiteral("patience"), QObject::tr("Patience"), 3, 0, 1000,
                          QObject::tr("Early stopping after this many epochs without a better "
                                      "validation loss; 0 = off.")),
            Spec::integer(QStringLiteral("swa"), QObject::tr("Average from epoch"), 0, 0, 100000,
                          QObject::tr("Weight averaging (SWA): the result is the mean of the "
                                      "weights after every epoch from this one on (BatchNorm "
                                      "statistics recomputed); early stopping only ends the "
                                      "run before it. 0 = off."))};
}

/// The labelled share: the same field in both task forms.
Spec trainFractionSpec(const QString &unit, const QString &order)
{
    return Spec::real(QStringLiteral("train_fraction"), QObject::tr("Labelled share"), 1.0, 0.001,
                      1.0,
                      QObject::tr("Train on this share of the training %1 only (%2), to measure "
                                  "what pretraining gives when labels are few; 1 = all.")
                          .arg(unit, order));
}

Spec textSpec(const QString &key, const QString &label, const QString &help)
{
    Spec spec;
    spec.key = key;
    spec.label = label;
    spec.type = Spec::Type::Text;
    spec.defaultValue = QString();
    spec.help = help;
    return spec;
}

} // namespace

HyperparameterSchema ModelPanel::classifySchema(double audioRate)
{
    std::vector<Spec> specs{
        textSpec(QStringLiteral("test_data"), QObject::tr("Test data"),
                 QObject::tr("A file with the test part (UCR/UEA _TEST.ts), same classes. Empty: "
                             "a stratified test part of the data, or the test glob.")),
        textSpec(QStringLiteral("test_glob"), QObject::tr("Test files"),
                 QObject::tr("Audio files whose name matches this pattern form the test part "
                             "(FSDD: *_[0-4].wav).")),
        textSpec(QStringLiteral("extra_train"), QObject::tr("Extra training data"),
                 QObject::tr("More labelled data (a file or folder, same classes) that joins the "
                             "training part only: other speakers, rooms or devices. Empty: none.")),
        textSpec(QStringLiteral("group_by"), QObject::tr("Group by"),
                 QObject::tr("What groups the cases, so that no group (speaker, session, device) "
                             "lies in two parts: speaker (FSDD names LABEL_SPEAKER_TAKE), field:N, "
                             "manifest (its group column) or regex:PATTERN. Empty: no groups.")),
        textSpec(QStringLiteral("test_groups"), QObject::tr("Test groups"),
                 QObject::tr("With Group by: these groups (comma separated) are the test part, "
                             "e.g. one speaker the model never hears while training.")),
        textSpec(QStringLiteral("val_groups"), QObject::tr("Validation groups"),
                 QObject::tr("With Group by: these groups are the validation part. Empty: whole "
                             "groups drawn at random when three or more remain.")),
        Spec::choice(QStringLiteral("features"), QObject::tr("Features"),
                     {QStringLiteral("auto"), QStringLiteral("raw"), QStringLiteral("fbank"),
                      QStringLiteral("logmel"), QStringLiteral("mfcc")},
                     QStringLiteral("auto"),
                     QObject::tr("What the model reads: auto = Kaldi fbank for audio, the raw "
                                 "series otherwise; mfcc = 20 cepstral coefficients.")),
        Spec::choice(QStringLiteral("feature_norm"), QObject::tr("Feature normalisation"),
                     {QStringLiteral("none"), QStringLiteral("cmvn"), QStringLiteral("pcen")},
                     QStringLiteral("none"),
                     QObject::tr("Per case, before the scaler: cmvn = each band or channel to mean "
                                 "0 and variance 1 over the case (removes the microphone and much "
                                 "of the speaker); pcen = per-channel energy normalisation "
                                 "(spectrograms).")),
        textSpec(QStringLiteral("augment"), QObject::tr("Augmentation"),
                 QObject::tr("While training, seeded: audio shift[:s], gain[:dB], speed[:p], "
                             "noise[:SNR] (white), silence[:SNR] (noise from the clips' own quiet "
                             "parts), vtlp[:p] (mel filters warped, as if another "
                             "vocal tract); series and features jitter, scale, warp, slice; "
                             "mixup[:alpha] of whole batches. "
                             "E.g. shift,gain,speed,noise:20")),
        textSpec(QStringLiteral("cv"), QObject::tr("Cross-validation"),
                 QObject::tr("Empty = one run. groups = leave one group out (needs Group by), one "
                             "fold per group; a number K = stratified K-fold. Each fold is a run "
                             "of its own under one folder; the Classification tab shows the "
                             "fold table.")),
        Spec::real(QStringLiteral("val_fraction"), QObject::tr("Validation share"), 0.2, 0.01, 0.9,
                   QObject::tr("Stratified share of the training cases kept for validation.")),
        Spec::real(QStringLiteral("test_fraction"), QObject::tr("Test share"), 0.2, 0.01, 0.9,
                   QObject::tr("Stratified test share when there is no test data or pattern.")),
        Spec::integer(QStringLiteral("frames"), QObject::tr("Length"), 0, 0, 10000000,
                      QObject::tr("Pad or cut every case to this many steps or frames; 0 = the "
                                  "longest training case."))};
    if (audioRate > 0.0) {
        specs.push_back(Spec::real(
            QStringLiteral("sample_rate"), QObject::tr("Sample rate (Hz)"), 0.0, 0.0, 384000.0,
            QObject::tr("Resample every clip to this rate before its features are computed; 0 "
                        "= keep the files' rate (%1 Hz).")
                .arg(audioRate)));
        specs.push_back(Spec::choice(
            QStringLiteral("level_norm"), QObject::tr("Level normalisation"),
            {QStringLiteral("none"), QStringLiteral("peak"), QStringLiteral("rms")},
            QStringLiteral("none"),
            QObject::tr("Each clip's level before its features: peak to 1, or RMS to -20 dBFS.")));
        specs.push_back(Spec::integer(
            QStringLiteral("mel_bins"), QObject::tr("Mel bins"), 64, 1, 512,
            QObject::tr("Mel bands of the fbank or log-mel features the model reads.")));
        specs.push_back(Spec::integer(
            QStringLiteral("freq_mask"), QObject::tr("Frequency mask F"), 0, 0, 512,
            QObject::tr("SpecAugment while training: mask up to F consecutive mel bands of "
                        "each case; 0 = off.")));
        specs.push_back(Spec::integer(
            QStringLiteral("time_mask"), QObject::tr("Time mask T"), 0, 0, 100000,
            QObject::tr("SpecAugment while training: mask up to T consecutive frames of each "
                        "case; 0 = off.")));
    }
    specs.push_back(
        trainFractionSpec(QObject::tr("cases"), QObject::tr("stratified by class, seeded")));
    for (Spec &spec : trainingSpecs(QObject::tr("cases")))
        specs.push_back(std::move(spec));
    return HyperparameterSchema(std::move(specs));
}

HyperparameterSchema ModelPanel::taskSchema()
{
    std::vector<Spec> specs{
        Spec::choice(QStringLiteral("objective"), QObject::tr("Objective"),
                     {QStringLiteral("forecast"), QStringLiteral("pretrain")},
                     QStringLiteral("forecast"),
                     QObject::tr("forecast: learn the horizon from the lookback. pretrain: "
                                 "self-supervised, no labels — hide patches (or spans) of the "
                                 "series and learn to reconstruct them; fine-tune the run "
                                 "afterwards (Runs tab, Fine-tune). For PatchTST and TST.")),
        Spec::integer(QStringLiteral("lookback"), QObject::tr("Lookback L"), 96, 1, 100000,
                      QObject::tr("Input length in rows: the model sees this many past steps.")),
        Spec::integer(QStringLiteral("horizon"), QObject::tr("Horizon H"), 24, 1, 100000,
                      QObject::tr("Forecast length in rows.")),
        textSpec(QStringLiteral("channels"), QObject::tr("Channels"),
                 QObject::tr("The channels the model reads and forecasts, comma separated "
                             "(empty = all). OT alone is the papers' univariate setting.")),
        textSpec(QStringLiteral("target"), QObject::tr("Scored channel"),
                 QObject::tr("Only this channel counts in the loss and the metrics while the "
                             "model reads all of the above (the papers' MS setting); empty = "
                             "all count.")),
        Spec::choice(QStringLiteral("split"), QObject::tr("Split"),
                     {defaultSplit, QStringLiteral("ett-hour"), QStringLiteral("ett-minute"),
                      QStringLiteral("ratio"), QStringLiteral("shuffled")},
                     defaultSplit,
                     QObject::tr("Train/validation/test split: auto = 12/4/4 months for ETT "
                                 "files, else 70/10/20 % by position. shuffled is the common "
                                 "mistake, for teaching: 70/10/20 % of the overlapping windows "
                                 "at random and the scaler fitted on all rows, so the test "
                                 "score leaks the future and looks better than it deserves.")),
        trainFractionSpec(QObject::tr("windows"), QObject::tr("the first ones, in time order"))};
    for (Spec &spec : trainingSpecs(QObject::tr("windows")))
        specs.push_back(std::move(spec));
    return HyperparameterSchema(std::move(specs));
}

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
    connect(m_task, &HyperparameterForm::valuesChanged, this, &ModelPanel::updateState);
    connect(m_fineTune, &FineTuneBox::changed, this, &ModelPanel::updateState);
    updateState();
}

void ModelPanel::setFineTuneSource(const FineTuneSource &source)
{
    m_list->selectModel(source.modelId); // onModelSelected: the model's form
    for (auto it = source.hyperparameters.constBegin(); it != source.hyperparameters.constEnd();
         ++it)
        m_form->setValue(it.key(), it.value());
    // A fine-tune learns a task: forecasting again, whatever the source was trained for.
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
    const bool hadAudioForm = m_audioRate > 0.0 && m_taskKind == Task::Classify;
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
    if (m_taskKind == Task::Classify) {
        showTaskForm(Task::Classify);
        m_list->setPreferredTask(Task::Classify, hz > 0.0); // AST for sound clips
    }
    updateState();
}

void ModelPanel::showTaskForm(Task task)
{
    m_taskKind = task;
    const bool classify = task == Task::Classify;
    m_task->setSchema(classify ? classifySchema(m_audioRate) : taskSchema());
    m_taskBox->setTitle(classify ? tr("Task: classify") : tr("Task: forecast"));
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
        groups->setPlaceholderText(tr("none, or e.g. theo"));
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
    const Expected<HyperparameterValues> taskValues = m_task->values();
    const bool pretrain =
        !classify && taskValues &&
        taskValues->text(QStringLiteral("objective")) == QLatin1String("pretrain");
    // A plugin that can pretrain lists the "reconstruct" task (masked reconstruction).
    if (pretrain && !record->tasks.contains(QLatin1String("reconstruct")))
        return Error{tr("%1 cannot be pretrained by masked reconstruction; choose a model that "
                        "can (PatchTST, TST: their tasks list \"reconstruct\").")
                         .arg(record->name),
                     {},
                     0};
    if (!pretrain &&
        !record->tasks.contains(classify ? QLatin1String("classify") : QLatin1String("forecast")))
        return Error{classify ? tr("%1 does not classify; choose a classification model for "
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
    r.seed = std::uint64_t(task->integer(QStringLiteral("seed")));
    r.patience = task->integer(QStringLiteral("patience"));
    r.swa = task->integer(QStringLiteral("swa"));
    if (r.swa > r.epochs)
        return Error{tr("Weight averaging starts at epoch %1, after the last epoch (%2).")
                         .arg(r.swa)
                         .arg(r.epochs),
                     {},
                     0};
    r.hyperparameters = hp->map();
    r.trainFraction = task->real(QStringLiteral("train_fraction"));
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
        r.runDir = m_runDir
                       ? m_runDir(r)
                       : QStringLiteral("runs/") + runFolderName(r, QDateTime::currentDateTime());
        return r;
    }
    if (pretrain)
        r.task = QStringLiteral("pretrain");
    const QString split = task->text(QStringLiteral("split"));
    r.split = split == defaultSplit ? QString() : split;
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
    r.runDir = m_runDir ? m_runDir(r)
                        : QStringLiteral("runs/") + runFolderName(r, QDateTime::currentDateTime());
    return r;
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
    const Expected<TrainRequest> r = request();
    m_train->setEnabled(bool(r));
    m_copy->setEnabled(bool(r));
    m_copyLaunch->setEnabled(bool(r));
    m_hint->setText(r ? QString() : r.error().reason);
    m_hint->setVisible(!r);
}

} // namespace twb
