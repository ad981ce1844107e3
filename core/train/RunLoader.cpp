#include "RunLoader.h"
#include "Checkpoint.h"
#include "SeparatePipeline.h"
#include "common/Errors.h"
#include "nn/Model.h"
#include "runs/RunStore.h"

#include <QJsonArray>

namespace twb {

Expected<LoadedRun> loadRun(const QString &dir, const PluginLookup &lookup,
                            const QString &checkpoint)
{
    Expected<RunStore> store = RunStore::open(dir);
    if (!store)
        return store.error();
    LoadedRun run;
    run.dir = store->dir();
    const QString configPath = store->filePath(QStringLiteral("config.json"));
    Expected<QJsonObject> json = store->readConfig();
    if (!json)
        return json.error();
    run.configJson = *json;
    Expected<TrainConfig> config = TrainConfig::fromJson(
        *json, configPath, {}, {QStringLiteral("provenance"), QStringLiteral("world_size")});
    if (!config)
        return config.error();
    run.config = *config;
    run.provenance = json->value(QStringLiteral("provenance")).toObject();
    Expected<StandardScaler> scaler =
        StandardScaler::fromJson(run.provenance.value(QStringLiteral("scaler")).toObject());
    if (!scaler)
        return makeError(QStringLiteral("provenance.scaler: %1").arg(scaler.error().reason),
                         configPath);
    run.scaler = *scaler;
    for (const QJsonValue &name : run.provenance.value(QStringLiteral("channel_names")).toArray())
        run.channelNames << name.toString();
    if (run.channelNames.size() != run.scaler.channelCount())
        return makeError(QStringLiteral("provenance.channel_names does not match the scaler"),
                         configPath);

    Expected<ModelSource> source = lookup(run.config.modelId);
    if (!source)
        return source.error();
    run.source = *source;
    ModelSpec spec;
    spec.channels = run.channelNames.size();
    for (const QString &name : run.channelNames)
        spec.channelNames.push_back(name.toStdString());
    if (run.config.task == QLatin1String("classify")) {
        for (const QJsonValue &name : run.provenance.value(QStringLiteral("class_names")).toArray())
            run.classNames << name.toString();
        spec.task = Task::Classify;
        spec.lookback = run.provenance.value(QStringLiteral("length")).toInteger();
        spec.numClasses = run.classNames.size();
    } else if (run.config.task == QLatin1String("separate")) {
        Expected<SeparationShape> shape = separationShape(run.provenance, configPath);
        if (!shape)
            return shape.error();
        spec = separationSpec(shape->length, shape->sources, shape->sampleRate);
    } else if (run.config.task == QLatin1String("pretrain")) {
        // Masked reconstruction: the model maps a lookback window to itself (no horizon).
        spec.task = Task::Reconstruct;
        spec.lookback = run.config.lookback;
        spec.horizon = 0;
    } else {
        spec.task = Task::Forecast;
        spec.lookback = run.config.lookback;
        spec.horizon = run.config.horizon;
        spec.markFeatures = run.provenance.value(QStringLiteral("calendar_features"))
                                .toObject()
                                .value(QStringLiteral("names"))
                                .toArray()
                                .size();
    }
    Expected<CreatedModel> created =
        createModel(*source->plugin, run.config.hyperparameters, spec, run.config.seed);
    if (!created)
        return makeError(created.error().reason, configPath);
    run.checkpointPath = store->checkpointPath(checkpoint);
    Expected<Checkpoint> weights = loadCheckpoint(run.checkpointPath);
    if (!weights)
        return weights.error();
    if (Status s = loadModuleStateDict(*created->model, weights->model, run.checkpointPath); !s)
        return s.error();
    run.model = std::move(created->model);
    run.model->eval();
    return run;
}

} // namespace twb
