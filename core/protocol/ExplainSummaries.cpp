#include "ExplainSummaries.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace twb {

namespace {

/// NaN and Inf are not JSON: they become null.
QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

double numberOf(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

/// The keys every summary must hold; the first one missing, as an error.
Status require(const QJsonObject &o, std::initializer_list<const char *> keys, const char *what)
{
    for (const char *key : keys)
        if (!o.contains(QLatin1String(key)))
            return Error{QStringLiteral("the %1 summary has no \"%2\"")
                             .arg(QLatin1String(what), QLatin1String(key)),
                         {},
                         0};
    return {};
}

QJsonObject layerJson(const LayerTopKey &l)
{
    QJsonObject o{{"layer", l.layer},
                  {"heads", l.heads},
                  {"top_key", l.topKey},
                  {"top_key_label", l.topKeyLabel},
                  {"top_key_weight", number(l.topKeyWeight)}};
    if (!l.name.isEmpty())
        o.insert(QStringLiteral("name"), l.name);
    if (l.queries > 0 || l.keys > 0) {
        o.insert(QStringLiteral("queries"), l.queries);
        o.insert(QStringLiteral("keys"), l.keys);
    }
    return o;
}

LayerTopKey layerOf(const QJsonObject &o)
{
    return {o.value(QLatin1String("layer")).toInt(),
            o.value(QLatin1String("heads")).toInt(),
            o.value(QLatin1String("top_key")).toInt(),
            o.value(QLatin1String("top_key_label")).toString(),
            numberOf(o.value(QLatin1String("top_key_weight"))),
            o.value(QLatin1String("name")).toString(),
            o.value(QLatin1String("queries")).toInt(),
            o.value(QLatin1String("keys")).toInt()};
}

} // namespace

QJsonObject AttentionSummary::toJson() const
{
    QJsonArray layerArray;
    for (const LayerTopKey &l : perLayer)
        layerArray.append(layerJson(l));
    QJsonObject o{{"run", run},
                  {"model", model},
                  {"sample_label", sampleLabel},
                  {"sample_index", qint64(sampleIndex)},
                  {"samples", qint64(samples)},
                  {"averaged_samples", qint64(averagedSamples)},
                  {"channel", qint64(channel)},
                  {"layers", layers},
                  {"heads", heads},
                  {"tokens", tokens},
                  {"per_layer", layerArray},
                  {"out", out}};
    if (!channelName.isEmpty())
        o.insert(QStringLiteral("channel_name"), channelName);
    if (!label.isEmpty())
        o.insert(QStringLiteral("label"), label);
    if (saliency)
        o.insert(QStringLiteral("saliency"), QJsonObject{{"target", saliency->target},
                                                         {"rows", saliency->rows},
                                                         {"cols", saliency->cols},
                                                         {"max_abs", number(saliency->maxAbs)}});
    return o;
}

Expected<AttentionSummary> AttentionSummary::fromJson(const QJsonObject &o)
{
    if (Status s = require(o,
                           {"run", "model", "sample_index", "samples", "channel", "layers", "heads",
                            "tokens", "per_layer", "out"},
                           "attention");
        !s)
        return s.error();
    AttentionSummary a;
    a.run = o.value(QLatin1String("run")).toString();
    a.model = o.value(QLatin1String("model")).toString();
    a.sampleLabel = o.value(QLatin1String("sample_label")).toString();
    a.sampleIndex = o.value(QLatin1String("sample_index")).toInteger();
    a.samples = o.value(QLatin1String("samples")).toInteger();
    a.averagedSamples = o.value(QLatin1String("averaged_samples")).toInteger(1);
    a.channel = o.value(QLatin1String("channel")).toInteger();
    a.channelName = o.value(QLatin1String("channel_name")).toString();
    a.label = o.value(QLatin1String("label")).toString();
    a.layers = o.value(QLatin1String("layers")).toInt();
    a.heads = o.value(QLatin1String("heads")).toInt();
    a.tokens = o.value(QLatin1String("tokens")).toInt();
    for (const QJsonValue &l : o.value(QLatin1String("per_layer")).toArray())
        a.perLayer.push_back(layerOf(l.toObject()));
    if (o.contains(QLatin1String("saliency"))) {
        const QJsonObject s = o.value(QLatin1String("saliency")).toObject();
        a.saliency = SaliencySummary{
            s.value(QLatin1String("target")).toString(), s.value(QLatin1String("rows")).toInt(),
            s.value(QLatin1String("cols")).toInt(), numberOf(s.value(QLatin1String("max_abs")))};
    }
    a.out = o.value(QLatin1String("out")).toString();
    return a;
}

QJsonObject StageSummary::toJson() const
{
    QJsonArray dims;
    for (std::int64_t d : shape)
        dims.append(qint64(d));
    return {{"name", name},       {"shape", dims},        {"min", number(min)},
            {"max", number(max)}, {"mean", number(mean)}, {"std", number(std)}};
}

StageSummary StageSummary::fromJson(const QJsonObject &o)
{
    StageSummary s;
    s.name = o.value(QLatin1String("name")).toString();
    for (const QJsonValue &d : o.value(QLatin1String("shape")).toArray())
        s.shape.push_back(d.toInteger());
    s.min = numberOf(o.value(QLatin1String("min")));
    s.max = numberOf(o.value(QLatin1String("max")));
    s.mean = numberOf(o.value(QLatin1String("mean")));
    s.std = numberOf(o.value(QLatin1String("std")));
    return s;
}

QJsonObject ForwardSummary::toJson() const
{
    QJsonArray stageArray;
    for (const StageSummary &s : stages)
        stageArray.append(s.toJson());
    return {{"run", run},
            {"model", model},
            {"sample_label", sampleLabel},
            {"sample_index", qint64(sampleIndex)},
            {"samples", qint64(samples)},
            {"stages", stageArray},
            {"prediction", prediction.toJson()},
            {"parameter_tensors", qint64(parameterTensors)},
            {"parameters", qint64(parameters)},
            {"buffers", qint64(buffers)},
            {"out", out}};
}

Expected<ForwardSummary> ForwardSummary::fromJson(const QJsonObject &o)
{
    if (Status s = require(o,
                           {"run", "model", "sample_index", "samples", "stages", "prediction",
                            "parameters", "out"},
                           "forward");
        !s)
        return s.error();
    ForwardSummary f;
    f.run = o.value(QLatin1String("run")).toString();
    f.model = o.value(QLatin1String("model")).toString();
    f.sampleLabel = o.value(QLatin1String("sample_label")).toString();
    f.sampleIndex = o.value(QLatin1String("sample_index")).toInteger();
    f.samples = o.value(QLatin1String("samples")).toInteger();
    for (const QJsonValue &s : o.value(QLatin1String("stages")).toArray())
        f.stages.push_back(StageSummary::fromJson(s.toObject()));
    f.prediction = StageSummary::fromJson(o.value(QLatin1String("prediction")).toObject());
    f.parameterTensors = o.value(QLatin1String("parameter_tensors")).toInteger();
    f.parameters = o.value(QLatin1String("parameters")).toInteger();
    f.buffers = o.value(QLatin1String("buffers")).toInteger();
    f.out = o.value(QLatin1String("out")).toString();
    return f;
}

} // namespace twb
