// twb-cli export RUN --out FILE.h5: weights by parameter name, predictions, truth, metrics and
// the configuration of a run in one HDF5 file (readable by h5py).

#include "CliCommon.h"
#include "data/Hdf5File.h"
#include "nn/Model.h"
#include "runs/PredictionsFile.h"
#include "runs/RunStore.h"
#include "train/Environment.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <limits>

namespace twb::cli {

namespace {

/// /weights/<state_dict name>: dots kept; a '/' (never produced by LibTorch) would become '|'.
Status writeWeights(Hdf5Writer &writer, const Model &model)
{
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto &p : model.named_parameters(true))
        tensors.emplace_back(p.key(), p.value());
    for (const auto &b : model.named_buffers(true))
        tensors.emplace_back(b.key(), b.value());
    for (const auto &[name, value] : tensors) {
        const QString path =
            QStringLiteral("/weights/") + qs(name).replace(QLatin1Char('/'), QLatin1Char('|'));
        const torch::Tensor t = value.detach().contiguous();
        const std::vector<std::int64_t> dims(t.sizes().begin(), t.sizes().end());
        Status s;
        if (t.scalar_type() == torch::kLong) {
            s = writer.writeInt64s(path, t.data_ptr<std::int64_t>(), dims);
        } else if (t.scalar_type() == torch::kDouble) {
            s = writer.writeDoubles(path, t.data_ptr<double>(), dims);
        } else {
            const torch::Tensor f = t.to(torch::kFloat).contiguous();
            s = writer.writeFloats(path, f.data_ptr<float>(), dims);
        }
        if (!s)
            return s;
    }
    return {};
}

/// /metrics/{epoch,train_loss,val_loss,lr} per epoch; the test metrics as attributes of /metrics.
Status writeMetrics(Hdf5Writer &writer, const LoadedRun &run)
{
    Expected<RunStore> store = RunStore::open(run.dir);
    if (!store)
        return store.error();
    if (Status s = store->loadMetrics(std::numeric_limits<std::int64_t>::max()); !s)
        return s;
    std::vector<std::int64_t> epochs;
    std::vector<double> train, val, lr;
    for (const EpochRecord &r : store->epochs()) {
        epochs.push_back(r.epoch);
        train.push_back(r.trainLoss);
        val.push_back(r.valLoss);
        lr.push_back(r.lr);
    }
    const std::vector<std::int64_t> dims{std::int64_t(epochs.size())};
    Status s = writer.writeInt64s(QStringLiteral("/metrics/epoch"), epochs.data(), dims);
    if (s)
        s = writer.writeDoubles(QStringLiteral("/metrics/train_loss"), train.data(), dims);
    if (s)
        s = writer.writeDoubles(QStringLiteral("/metrics/val_loss"), val.data(), dims);
    if (s)
        s = writer.writeDoubles(QStringLiteral("/metrics/lr"), lr.data(), dims);
    if (!s)
        return s;
    Expected<QJsonObject> status = store->readStatus();
    if (!status)
        return {};
    if (Status a = writer.setAttribute(QStringLiteral("/metrics"), QStringLiteral("state"),
                                       status->value(QStringLiteral("state")).toString());
        !a)
        return a;
    const QJsonObject test = status->value(QStringLiteral("test")).toObject();
    for (auto it = test.begin(); it != test.end(); ++it) {
        const QString name = QStringLiteral("test_") + it.key();
        if (it.key() == QLatin1String("confusion")) { // classification: [truth, predicted]
            const QJsonArray rows = it.value().toArray();
            std::vector<std::int64_t> counts;
            for (const QJsonValue &row : rows)
                for (const QJsonValue &v : row.toArray())
                    counts.push_back(v.toInteger());
            const std::int64_t k = rows.size();
            if (Status a = writer.writeInt64s(QStringLiteral("/metrics/test_confusion"),
                                              counts.data(), {k, k});
                !a)
                return a;
            continue;
        }
        if (!it.value().isDouble()) // per-class tables stay in status.json / config
            continue;
        Status a =
            it.key() == QLatin1String("windows") || it.key() == QLatin1String("examples")
                ? writer.setAttribute(QStringLiteral("/metrics"), name,
                                      std::int64_t(it.value().toInteger()))
                : writer.setAttribute(QStringLiteral("/metrics"), name, it.value().toDouble());
        if (!a)
            return a;
    }
    return {};
}

/// A classification run's predictions.h5 into /predictions/{probabilities, labels, predicted,
/// sources, class_names}.
Status copyClassPredictions(const Hdf5Reader &reader, Hdf5Writer &writer)
{
    Expected<Hdf5FloatArray> probabilities =
        reader.readFloatArray(QStringLiteral("/probabilities"));
    if (!probabilities)
        return probabilities.error();
    Status s = writer.writeFloats(QStringLiteral("/predictions/probabilities"),
                                  probabilities->values.data(), probabilities->dims);
    for (const char *name : {"labels", "predicted"}) {
        if (!s)
            return s;
        Expected<Hdf5Array> values = reader.readArray(QLatin1Char('/') + QLatin1String(name));
        if (!values)
            return values.error();
        const std::vector<std::int64_t> integers(values->values.begin(), values->values.end());
        s = writer.writeInt64s(QStringLiteral("/predictions/") + QLatin1String(name),
                               integers.data(), values->dims);
    }
    for (const char *name : {"sources", "class_names"}) {
        if (!s)
            return s;
        Expected<QStringList> strings = reader.readStrings(QLatin1Char('/') + QLatin1String(name));
        if (!strings)
            return strings.error();
        s = writer.writeStrings(QStringLiteral("/predictions/") + QLatin1String(name), *strings);
    }
    return s;
}

/// A separation run's predictions.h5 (SeparatePipeline.h) under /predictions: the metrics per
/// mixture and source, the permutation, the sources' files and the listenable waveforms.
Status copySeparationPredictions(const Hdf5Reader &reader, Hdf5Writer &writer)
{
    Status s = Status::ok();
    for (const char *name : {"si_snr", "si_snri", "sdr", "sdri", "levels_db"}) {
        Expected<Hdf5Array> values = reader.readArray(QLatin1Char('/') + QLatin1String(name));
        if (!values)
            return values.error();
        s = writer.writeDoubles(QStringLiteral("/predictions/") + QLatin1String(name),
                                values->values.data(), values->dims);
        if (!s)
            return s;
    }
    Expected<Hdf5Array> permutation = reader.readArray(QStringLiteral("/permutation"));
    if (!permutation)
        return permutation.error();
    const std::vector<std::int64_t> order(permutation->values.begin(), permutation->values.end());
    s = writer.writeInt64s(QStringLiteral("/predictions/permutation"), order.data(),
                           permutation->dims);
    for (const char *name : {"mixture", "references", "estimates"}) {
        if (!s)
            return s;
        Expected<Hdf5FloatArray> wave =
            reader.readFloatArray(QLatin1Char('/') + QLatin1String(name));
        if (!wave)
            return wave.error();
        s = writer.writeFloats(QStringLiteral("/predictions/") + QLatin1String(name),
                               wave->values.data(), wave->dims);
    }
    if (!s)
        return s;
    Expected<QStringList> sources = reader.readStrings(QStringLiteral("/sources"));
    if (!sources)
        return sources.error();
    s = writer.writeStrings(QStringLiteral("/predictions/sources"), *sources);
    if (s)
        if (Expected<double> rate =
                reader.numberAttribute(QStringLiteral("/si_snri"), QStringLiteral("sample_rate")))
            s = writer.setAttribute(QStringLiteral("/predictions/mixture"),
                                    QStringLiteral("sample_rate"), *rate);
    return s;
}

int runExport(Context &ctx, const QString &runDir, const QString &out)
{
    Expected<LoadedRun> run = loadRun(runDir, ctx.pluginLookup());
    if (!run)
        return fail("export", run.error().toString());
    Expected<Hdf5Writer> writer = Hdf5Writer::create(out);
    if (!writer)
        return fail("export", writer.error().toString());
    if (Status s = writeWeights(*writer, *run->model); !s)
        return fail("export", s.error().toString());

    const QString predictionsPath = QDir(run->dir).filePath(QStringLiteral("predictions.h5"));
    if (QFile::exists(predictionsPath)) {
        Expected<Hdf5Reader> reader = Hdf5Reader::open(predictionsPath);
        if (!reader)
            return fail("export", reader.error().toString());
        if (run->config.task == QLatin1String("classify")) {
            if (Status s = copyClassPredictions(*reader, *writer); !s)
                return fail("export", s.error().toString());
        } else if (run->config.task == QLatin1String("separate")) {
            if (Status s = copySeparationPredictions(*reader, *writer); !s)
                return fail("export", s.error().toString());
        } else {
            Expected<PredictionsRecord> predictions = readPredictions(*reader);
            if (!predictions)
                return fail("export", predictions.error().toString());
            if (Status s = writePredictions(*writer, *predictions); !s)
                return fail("export", s.error().toString());
        }
    } else {
        warn("export", QStringLiteral("%1 has no predictions.h5 (the run did not finish): "
                                      "exporting weights, metrics and configuration only")
                           .arg(run->dir));
    }
    if (Status s = writeMetrics(*writer, *run); !s)
        return fail("export", s.error().toString());

    const QString config =
        QString::fromUtf8(QJsonDocument(run->configJson).toJson(QJsonDocument::Compact));
    const std::pair<QString, QString> attributes[] = {
        {QStringLiteral("config"), config},
        {QStringLiteral("run"), run->dir},
        {QStringLiteral("model"), run->config.modelId},
        {QStringLiteral("plugin_version"), run->source.version},
        {QStringLiteral("checkpoint"), run->checkpointPath},
        {QStringLiteral("twb_version"), twbVersion()},
    };
    for (const auto &[name, value] : attributes)
        if (Status s = writer->setAttribute(QStringLiteral("/"), name, value); !s)
            return fail("export", s.error().toString());
    if (Status s = writer->commit(); !s)
        return fail("export", s.error().toString());
    std::fprintf(stderr, "twb-cli export: %s written\n", out.toUtf8().constData());
    return ExitOk;
}

} // namespace

void addExportCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string run, out;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "export", "Write a run to one HDF5 file: /weights/<parameter name>, /predictions, "
                  "/truth, /metrics (test metrics as attributes), root attribute \"config\"");
    cmd->add_option("RUN", o->run, "The run folder")->required();
    cmd->add_option("--out", o->out, "Output .h5 file")->required();
    cmd->callback([&ctx, o] {
        runCommand(ctx, "export", [&] { return runExport(ctx, qs(o->run), qs(o->out)); });
    });
}

} // namespace twb::cli
