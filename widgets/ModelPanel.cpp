#include "ModelPanel.h"

#include "HyperparameterForm.h"
#include "ModelListWidget.h"
#include "data/ChannelSelection.h"
#include "plugin/ModelPlugin.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace twb {

namespace {

using Spec = HyperparameterSpec;

const QString defaultSplit = QStringLiteral("auto");

} // namespace

HyperparameterSchema ModelPanel::taskSchema()
{
    Spec channels;
    channels.key = QStringLiteral("channels");
    channels.label = QObject::tr("Channels");
    channels.type = Spec::Type::Text;
    channels.defaultValue = QString();
    channels.help = QObject::tr("The channels the model reads and forecasts, comma separated "
                                "(empty = all). OT alone is the papers' univariate setting.");
    return HyperparameterSchema(
        {Spec::integer(QStringLiteral("lookback"), QObject::tr("Lookback L"), 96, 1, 100000,
                       QObject::tr("Input length in rows: the model sees this many past steps.")),
         Spec::integer(QStringLiteral("horizon"), QObject::tr("Horizon H"), 24, 1, 100000,
                       QObject::tr("Forecast length in rows.")),
         channels,
         Spec::choice(QStringLiteral("split"), QObject::tr("Split"),
                      {defaultSplit, QStringLiteral("ett-hour"), QStringLiteral("ett-minute"),
                       QStringLiteral("ratio")},
                      defaultSplit,
                      QObject::tr("Train/validation/test split: auto = 12/4/4 months for ETT "
                                  "files, else 70/10/20 % by position.")),
         Spec::integer(QStringLiteral("epochs"), QObject::tr("Epochs"), 10, 1, 100000,
                       QObject::tr("Passes over the training windows.")),
         Spec::integer(QStringLiteral("batch_size"), QObject::tr("Batch size"), 32, 1, 65536,
                       QObject::tr("Windows per optimiser step.")),
         Spec::real(QStringLiteral("lr"), QObject::tr("Learning rate"), 1e-3, 1e-9, 10.0,
                    QObject::tr("Adam learning rate.")),
         Spec::integer(QStringLiteral("seed"), QObject::tr("Seed"), 2021, 0, 2147483647,
                       QObject::tr("Seed of initialisation, window order and dropout.")),
         Spec::integer(QStringLiteral("patience"), QObject::tr("Patience"), 3, 0, 1000,
                       QObject::tr("Early stopping after this many epochs without a better "
                                   "validation loss; 0 = off."))});
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
    m_task->setSchema(taskSchema());
    if (auto *channels = m_task->findChild<QLineEdit *>(QStringLiteral("hp_channels")))
        channels->setPlaceholderText(tr("all, or e.g. OT"));
    m_data = new QLabel;
    m_data->setObjectName(QStringLiteral("dataLabel"));
    m_data->setWordWrap(true);
    auto *taskBox = new QGroupBox(tr("Task: forecast"));
    auto *taskLayout = new QVBoxLayout(taskBox);
    taskLayout->addWidget(m_data);
    taskLayout->addWidget(m_task);

    auto *settings = new QWidget;
    auto *settingsLayout = new QVBoxLayout(settings);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    settingsLayout->addWidget(hpBox);
    settingsLayout->addWidget(taskBox);
    settingsLayout->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidget(settings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_hint = new QLabel;
    m_hint->setObjectName(QStringLiteral("trainHint"));
    m_hint->setWordWrap(true);
    m_copy = new QPushButton(tr("Copy as twb-cli command"));
    m_copy->setObjectName(QStringLiteral("copyCommandButton"));
    m_copy->setToolTip(tr("The command line that runs the same training headless"));
    connect(m_copy, &QPushButton::clicked, this, &ModelPanel::copyCommand);
    m_train = new QPushButton(tr("Train"));
    m_train->setObjectName(QStringLiteral("trainButton"));
    m_train->setDefault(true);
    m_train->setToolTip(tr("Start a training run (Ctrl+T); runs queue up in the dashboard"));
    connect(m_train, &QPushButton::clicked, this, &ModelPanel::train);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
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
    if (!pathSpec.isEmpty())
        m_list->setPreferredTask(task); // may select another model (onModelSelected)
    updateState();
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
    if (!record->tasks.contains(QLatin1String("forecast")))
        return Error{
            tr("%1 does not support forecasting, the task twb-cli trains.").arg(record->name),
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
    const QString split = task->text(QStringLiteral("split"));
    r.split = split == defaultSplit ? QString() : split;
    r.lookback = task->integer(QStringLiteral("lookback"));
    r.horizon = task->integer(QStringLiteral("horizon"));
    r.epochs = task->integer(QStringLiteral("epochs"));
    r.batchSize = task->integer(QStringLiteral("batch_size"));
    r.lr = task->real(QStringLiteral("lr"));
    r.seed = std::uint64_t(task->integer(QStringLiteral("seed")));
    r.patience = task->integer(QStringLiteral("patience"));
    r.channels = parseChannelList(task->text(QStringLiteral("channels")));
    for (const QString &name : std::as_const(r.channels))
        if (!m_channelNames.isEmpty() && !m_channelNames.contains(name))
            return Error{tr("Channels: the data has no channel \"%1\" (it has %2).")
                             .arg(name, m_channelNames.join(QStringLiteral(", "))),
                         {},
                         0};
    if (QStringList unique = r.channels; unique.removeDuplicates() > 0)
        return Error{tr("Channels: a channel is named twice."), {}, 0};
    r.hyperparameters = hp->map();
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

void ModelPanel::updateState()
{
    m_data->setText(m_dataPath.isEmpty() ? tr("Data: none \u2014 open a data set")
                                         : tr("Data: %1").arg(QFileInfo(m_dataPath).fileName()));
    m_data->setToolTip(m_dataPath);
    const Expected<TrainRequest> r = request();
    m_train->setEnabled(bool(r));
    m_copy->setEnabled(bool(r));
    m_hint->setText(r ? QString() : r.error().reason);
    m_hint->setVisible(!r);
}

} // namespace twb
