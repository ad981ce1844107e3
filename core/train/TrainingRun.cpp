#include "TrainingRun.h"
#include "Environment.h"
#include "FineTune.h"
#include "ForecastPipeline.h"
#include "MemoryEstimate.h"
#include "ProgressReporter.h"
#include "Provenance.h"
#include "TrainControl.h"
#include "common/Errors.h"
#include "data/DatasetLoader.h"
#include "nn/Model.h"
#include "nn/OnePassFit.h"
#include "plugin/ModelPlugin.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace twb {

namespace {

QString checkpointOf(const QString &initFrom)
{
    const QFileInfo info(initFrom);
    return info.isDir() ? QDir(initFrom).filePath(QStringLiteral("checkpoints/best.pt")) : initFrom;
}

void makePathsAbsolute(TrainConfig &config)
{
    const SeriesPathSpec spec = parseSeriesPathSpec(config.dataPath);
    config.dataPath = QFileInfo(spec.file).absoluteFilePath();
    if (!spec.dataset.isEmpty())
        config.dataPath += QLatin1Char(':') + spec.dataset;
    if (!config.testData.isEmpty())
        config.testData = QFileInfo(config.testData).absoluteFilePath();
    if (!config.initFrom.isEmpty())
        config.initFrom = QFileInfo(config.initFrom).absoluteFilePath();
    for (QString &path : config.extraTrain)
        path = QFileInfo(path).absoluteFilePath();
}

/// The provenance saved in config.json when the run started (empty when it cannot be read).
QJsonObject savedProvenance(const RunStore &store)
{
    if (Expected<QJsonObject> saved = store.readConfig())
        return saved->value(QStringLiteral("provenance")).toObject();
    return {};
}

TrainerOptions trainerOptions(const TrainConfig &config, const TaskPipeline &pipeline,
                              const QString &checkpointDir)
{
    TrainerOptions options;
    options.epochs = config.epochs;
    options.batchSize = config.batchSize;
    options.patience = config.patience;
    options.checkpointEvery = config.checkpointEvery;
    options.swaStart = config.swa;
    options.clipGradNorm = config.clipGrad;
    options.seed = config.seed;
    options.dropLastTrainBatch = config.dropLast;
    options.optimizer = config.optimizerOptions();
    options.schedule = config.scheduleOptions();
    options.checkpointDir = checkpointDir;
    options.loss = pipeline.loss();
    options.scoredChannel = pipeline.scoredChannel();
    return options;
}

/// The progress reporter's start summary: the pipeline's, with the run's common settings.
QJsonObject startSummary(const TaskPipeline &pipeline, const TrainConfig &config, int threads,
                         const QString &runDir, bool resuming)
{
    QJsonObject summary = pipeline.startSummary();
    const QJsonObject common{{QStringLiteral("task"), config.task},
                             {QStringLiteral("model"), config.modelId},
                             {QStringLiteral("data"), config.dataPath},
                             {QStringLiteral("split"), config.split},
                             {QStringLiteral("batch_size"), qint64(config.batchSize)},
                             {QStringLiteral("lr"), config.lr},
                             {QStringLiteral("seed"), qint64(config.seed)},
                             {QStringLiteral("threads"), threads},
                             {QStringLiteral("run_dir"), runDir},
                             {QStringLiteral("resumed"), resuming}};
    for (auto it = common.begin(); it != common.end(); ++it)
        summary.insert(it.key(), it.value());
    return summary;
}

} // namespace

TrainingRun::TrainingRun(PluginLookup lookup, ProgressReporter *reporter, TrainControl *control)
    : m_lookup(std::move(lookup))
    , m_reporter(reporter)
    , m_control(control)
{}

int TrainingRun::applyThreads(int threads)
{
    const int n = threads > 0 ? threads : physicalCoreCount();
    torch::set_num_threads(n);
    return n;
}

RunResult TrainingRun::fail(const QString &message)
{
    RunResult result;
    result.outcome = TrainOutcome::Failed;
    result.message = message;
    if (m_store) {
        result.runDir = m_store->dir();
        m_store->log(QStringLiteral("error: ") + message);
        // A resume that cannot even start leaves the run as it was (interrupted).
        if (!m_keepStatus)
            m_store->writeStatus(RunState::Failed, message);
    }
    if (m_reporter)
        m_reporter->error(message);
    return result;
}

RunResult TrainingRun::start(const TrainConfig &config, const QString &runDir)
{
    if (Status s = config.validate(); !s)
        return fail(s.error().toString());
    Expected<RunStore> store = createStore(runDir);
    if (!store)
        return fail(store.error().toString());
    return execute(std::move(*store), config, false);
}

Expected<TrainConfig> TrainingRun::resumedConfig(const TrainConfig &saved, TrainConfig given,
                                                 const QString &configPath)
{
    makePathsAbsolute(given);
    if (given.split.isEmpty())
        given.split = defaultSplitFor(given.dataPath);
    if (given.freq.isEmpty()) // "from the data's step", which the saved run has resolved
        given.freq = saved.freq;
    // Both sides with the plugin's defaults filled in: a hyperparameter the plugin has gained
    // since the run was saved (absent from its config.json, so the model is built with its
    // default) is not a change.
    TrainConfig savedResolved = saved;
    Expected<ModelSource> source = m_lookup(given.modelId);
    if (source && source->plugin) {
        const HyperparameterSchema schema = source->plugin->hyperparameters();
        if (Expected<HyperparameterValues> values = schema.validate(given.hyperparameters))
            given.hyperparameters = values->toJson().toVariantMap();
        if (Expected<HyperparameterValues> values = schema.validate(saved.hyperparameters))
            savedResolved.hyperparameters = values->toJson().toVariantMap();
    }
    // never names threads: a resume may change it
    QStringList changed = savedResolved.differences(given);
    QString why;
    if (changed.contains(QLatin1String("epochs"))) {
        // More epochs continue the same run unless the schedule is laid out over the epochs.
        const bool scheduleUsesEpochs = saved.schedule == ScheduleKind::OneCycle ||
                                        (saved.schedule == ScheduleKind::Cosine && saved.tMax <= 0);
        if (given.epochs > saved.epochs && !scheduleUsesEpochs)
            changed.removeAll(QStringLiteral("epochs"));
        else if (given.epochs > saved.epochs)
            why = QStringLiteral(" (epochs: the %1 schedule is laid out over the epochs)")
                      .arg(scheduleName(saved.schedule));
        else
            why = QStringLiteral(" (epochs: a resume may add epochs, not remove them)");
    }
    if (!changed.isEmpty())
        return makeError(QStringLiteral("--resume continues the saved configuration, but these "
                                        "settings differ from it: %1%2; a resume may change "
                                        "only --threads, --progress, --control and add --epochs")
                             .arg(changed.join(QStringLiteral(", ")), why),
                         configPath);
    TrainConfig resumed = saved;
    resumed.threads = given.threads;
    resumed.epochs = given.epochs;
    return resumed;
}

void TrainingRun::note(const QString &text)
{
    onMessage(text);
    if (m_reporter)
        m_reporter->note(text);
}

RunResult TrainingRun::resume(const QString &runDir, const std::optional<TrainConfig> &expected)
{
    Expected<RunStore> store = RunStore::open(runDir);
    if (!store)
        return fail(store.error().toString());
    if (isFollower())
        store = RunStore::follower(runDir);
    m_store = *store;
    m_keepStatus = true; // a resume that cannot start leaves the run as it was
    // (a follower may find rank 0 already training the run)
    if (const qint64 pid = isFollower() ? 0 : store->livePid(); pid != 0)
        return fail(makeError(QStringLiteral("the run is being trained now by process %1; stop "
                                             "it (or wait) before resuming")
                                  .arg(pid),
                              store->dir())
                        .toString());
    const QString configPath = store->filePath(QStringLiteral("config.json"));
    Expected<TrainConfig> saved = TrainConfig::fromFile(configPath);
    if (!saved)
        return fail(saved.error().toString());
    TrainConfig config = *saved;
    if (expected) {
        Expected<TrainConfig> resumed = resumedConfig(*saved, *expected, configPath);
        if (!resumed)
            return fail(resumed.error().toString());
        config = *resumed;
    }
    for (const QString &name : store->removeStaleTemporaries())
        note(QStringLiteral("removed %1, left by a process killed while writing it").arg(name));
    if (config.epochs != saved->epochs) {
        Expected<QJsonObject> json = store->readConfig();
        if (!json)
            return fail(json.error().toString());
        (*json)[QStringLiteral("epochs")] = qint64(config.epochs);
        if (Status s = store->writeConfig(*json); !s)
            return fail(s.error().toString());
        note(QStringLiteral("epochs: %1 -> %2").arg(saved->epochs).arg(config.epochs));
    }
    if (Status s = updateWorldSize(); !s)
        return fail(s.error().toString());
    const int threadsBefore = savedProvenance(*store).value(QStringLiteral("threads_used")).toInt();
    const int threadsNow = config.threads > 0 ? config.threads : physicalCoreCount();
    if (threadsBefore > 0 && threadsBefore != threadsNow)
        note(QStringLiteral("resuming with %1 threads where the run used %2: the result may differ "
                            "in its last digits from an uninterrupted run (parallel sums depend "
                            "on the thread count)")
                 .arg(threadsNow)
                 .arg(threadsBefore));
    if (!QFile::exists(store->checkpointPath(QStringLiteral("last.pt")))) {
        // Killed before its first epoch ended: nothing to continue, so start over in place.
        note(QStringLiteral("no checkpoint yet (the run stopped before its first epoch ended): "
                            "starting it over from its saved configuration"));
        store->clearMetrics(); // rows of an epoch whose checkpoint was never written
        return execute(std::move(*store), config, false);
    }
    return execute(std::move(*store), config, true);
}

Status TrainingRun::initialise(Model &model, const TrainConfig &config, QJsonObject &provenance)
{
    if (!config.initFrom.isEmpty()) {
        const QString path = checkpointOf(config.initFrom);
        Expected<Checkpoint> source = loadCheckpoint(path);
        if (!source)
            return source.error();
        Expected<InitReport> report = initializeFrom(model, source->model, path);
        if (!report)
            return report.error();
        onMessage(QStringLiteral("initialised %1 tensors from %2; %3 kept fresh (%4), %5 ignored")
                      .arg(report->loaded.size())
                      .arg(path)
                      .arg(report->notInSource.size())
                      .arg(report->notInSource.join(QStringLiteral(", ")))
                      .arg(report->notInModel.size()));
        QJsonObject init = initSourceJson(config.initFrom, path);
        init[QStringLiteral("loaded")] = report->loaded.size();
        init[QStringLiteral("not_in_source")] = QJsonArray::fromStringList(report->notInSource);
        init[QStringLiteral("not_in_model")] = QJsonArray::fromStringList(report->notInModel);
        provenance[QStringLiteral("init_from")] = init;
        if (Status s = setUpRecipe(model, config, report->notInSource, path, provenance); !s)
            return s;
    }
    if (!config.freeze.isEmpty()) {
        Expected<QStringList> frozen = freezeParameters(model, config.freeze);
        if (!frozen)
            return frozen.error();
        onMessage(QStringLiteral("frozen: %1").arg(frozen->join(QStringLiteral(", "))));
        provenance[QStringLiteral("frozen")] = QJsonArray::fromStringList(*frozen);
    }
    return {};
}

Expected<std::unique_ptr<TaskPipeline>> TrainingRun::preparePipeline(TrainConfig &config,
                                                                     bool resuming)
{
    std::unique_ptr<TaskPipeline> pipeline = makeTaskPipeline(config.task);
    if (!pipeline)
        return makeError(QStringLiteral("task \"%1\" cannot be trained").arg(config.task));
    QJsonObject saved;
    if (resuming) {
        saved = savedProvenance(*m_store);
        pipeline->continueRun(saved);
    }
    if (Status s = pipeline->prepare(config, [this](const QString &text) { onMessage(text); }); !s)
        return s.error();
    if (resuming &&
        saved.value(QStringLiteral("data_fingerprint")).toString() != pipeline->dataFingerprint())
        return makeError(QStringLiteral("the data changed since the run started "
                                        "(fingerprint differs): cannot resume"),
                         config.dataPath);
    return pipeline;
}

Status TrainingRun::setUpModel(Model &model, TrainConfig &config, QJsonObject provenance,
                               bool resuming)
{
    if (resuming) {
        // Frozen parameters stay out of the optimizer, as when the run started.
        if (!config.freeze.isEmpty())
            if (Expected<QStringList> f = freezeParameters(model, config.freeze); !f)
                return f.error();
        return resumeRecipe(model, config, savedProvenance(*m_store));
    }
    // Absolute paths, so that the saved configuration replays from any folder.
    makePathsAbsolute(config);
    if (Status s = initialise(model, config, provenance); !s)
        return s;
    QJsonObject json = config.toJson();
    json[QStringLiteral("provenance")] = provenance;
    recordWorldSize(json);
    return m_store->writeConfig(json);
}

Status TrainingRun::resumeTrainer(Trainer &trainer)
{
    if (Status s = trainer.resume(m_store->checkpointPath(QStringLiteral("last.pt"))); !s)
        return s;
    return m_store->loadMetrics(trainer.state().epoch + 1);
}

RunResult TrainingRun::conclude(const TrainResult &trained, Model &model,
                                const TaskPipeline &pipeline, const TrainConfig &config)
{
    RunResult result;
    result.runDir = m_store->dir();
    result.outcome = trained.outcome;
    result.message = trained.message;
    result.bestEpoch = trained.state.bestEpoch;
    switch (trained.outcome) {
    case TrainOutcome::Finished:
    case TrainOutcome::EarlyStopped:
        if (isFollower()) { // the ranks share the test; rank 0 records the result
            if (Expected<TestOutcome> tested = pipeline.evaluate(model, config, *m_store, m_group);
                !tested)
                return fail(tested.error().toString());
            return result;
        }
        if (Status s = finish(model, pipeline, config, trained, result); !s)
            return fail(s.error().toString());
        return result;
    case TrainOutcome::Interrupted:
        m_store->log(QStringLiteral("interrupted: ") + trained.message);
        m_store->writeStatus(RunState::Interrupted, trained.message,
                             {{QStringLiteral("epoch"), qint64(trained.state.epoch + 1)},
                              {QStringLiteral("batch"), qint64(trained.state.batch)}});
        if (m_reporter)
            m_reporter->interrupted(trained.message);
        return result;
    case TrainOutcome::Diverged:
    case TrainOutcome::Failed:
        break;
    }
    RunResult failed = fail(trained.message);
    failed.outcome = trained.outcome;
    return failed;
}

Status TrainingRun::checkMemory(Model &model, const TaskPipeline &pipeline, std::int64_t batchSize)
{
    Expected<MemoryEstimate> estimate =
        estimateTrainingMemory(model, *pipeline.trainSet(), batchSize, pipeline.testSize());
    if (!estimate)
        return estimate.error();
    m_memory = *estimate;
    onMessage(QStringLiteral("memory: ") + m_memory.describe());
    const std::int64_t available = availableMemory();
    const std::int64_t more = m_memory.peak() - m_memory.resident;
    if (available >= 0 && more > available)
        return makeError(QStringLiteral("not enough memory: the run needs about %1 more than it "
                                        "holds now (%2), and the machine has %3 available; "
                                        "lower --batch-size, --lookback or the model's size")
                             .arg(formatBytes(more), m_memory.describe(), formatBytes(available)));
    // The estimate has come out up to a quarter below the measured peak (README): warn near
    // the limit rather than refuse a run that may fit.
    if (available >= 0 && more + m_memory.peak() / 4 > available)
        note(QStringLiteral("memory is tight: the run needs about %1 more and %2 are available "
                            "(%3)")
                 .arg(formatBytes(more), formatBytes(available), m_memory.describe()));
    return {};
}

RunResult TrainingRun::execute(RunStore store, TrainConfig config, bool resuming)
{
    m_store = std::move(store);
    m_keepStatus = resuming;
    try {
        Expected<ModelSource> source = m_lookup(config.modelId);
        if (!source)
            return fail(source.error().toString());
        Expected<std::unique_ptr<TaskPipeline>> prepared = preparePipeline(config, resuming);
        if (!prepared)
            return fail(prepared.error().toString());
        const TaskPipeline &pipeline = **prepared;
        const int threads = applyThreads(config.threads);
        if (!resuming)
            if (const QStringList taken = inheritHyperparameters(config); !taken.isEmpty())
                onMessage(QStringLiteral("hyperparameters from %1: %2")
                              .arg(config.initFrom, taken.join(QStringLiteral(", "))));
        Expected<CreatedModel> created = pipeline.createModel(*source->plugin, config);
        if (!created)
            return fail(created.error().toString());
        config.hyperparameters = created->values.toJson().toVariantMap();
        Model &model = *created->model;
        const QJsonObject provenance = runProvenance(pipeline, *source, threads);
        if (Status s = setUpModel(model, config, provenance, resuming); !s)
            return fail(s.error().toString());
        onMessage(QStringLiteral("%1 %2 (%3 %4) on %5")
                      .arg(resuming ? QStringLiteral("resuming") : QStringLiteral("training"),
                           config.modelId, source->name, source->version, pipeline.describe()));
        noteRanks(config.batchSize);

        // The estimate runs a training step, which a model fitted in one pass does not take.
        if (!onePassFit(model))
            if (Status s = checkMemory(model, pipeline, config.batchSize); !s)
                return fail(s.error().toString());

        TrainerOptions options = trainerOptions(config, pipeline, m_store->checkpointDir());
        options.distributed = m_group;
        options.thawLater = m_fineTune.thawLater;
        options.thawEpoch = m_fineTune.thawEpoch;
        Trainer trainer(created->model, pipeline.trainSet(), pipeline.validationSet(),
                        std::move(options));
        trainer.setObserver(this);
        trainer.setControl(m_control);
        if (resuming)
            if (Status s = resumeTrainer(trainer); !s)
                return fail(s.error().toString());
        if (m_reporter)
            m_reporter->setStartSummary(
                startSummary(pipeline, config, threads, m_store->dir(), resuming));
        m_keepStatus = false;
        m_store->writeRunningStatus();
        return conclude(trainer.run(), model, pipeline, config);
    } catch (const c10::Error &e) {
        return fail(QString::fromStdString(e.what_without_backtrace()));
    } catch (const std::exception &e) {
        return fail(QString::fromUtf8(e.what()));
    }
}

} // namespace twb
