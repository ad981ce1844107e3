// Writes the small HDF5 seed files of fuzz/corpus/ with the project's own writers, so that the
// fuzzers start from files in exactly the layouts the loaders expect:
//   twb-fuzz-seeds fuzz/corpus
// Each file is a few KB (a handful of values); rerun it only when a layout changes.
#include "attention/AttentionFile.h"
#include "attention/ForwardTrace.h"
#include "data/Hdf5File.h"
#include "data/Hdf5Series.h"
#include "data/LabelledHdf5.h"
#include "runs/PredictionsFile.h"

#include <QDir>

#include <cstdio>

using namespace twb;

namespace {

bool check(const Status &status)
{
    if (!status)
        std::fprintf(stderr, "%s\n", qPrintable(status.error().toString()));
    return bool(status);
}

bool writeSeries(const QDir &dir)
{
    SeriesDataset data;
    data.channelNames = {QStringLiteral("HUFL"), QStringLiteral("OT")};
    data.timeColumn = QStringLiteral("date");
    for (int row = 0; row < 6; ++row) {
        data.values.push_back(5.8f + float(row));
        data.values.push_back(row == 3 ? std::numeric_limits<float>::quiet_NaN() : 30.5f - row);
        data.timestamps.push_back(1467331200000 + row * 3600000);
    }
    if (!check(saveHdf5Series(data, dir.filePath(QStringLiteral("series.h5")))))
        return false;
    // A foreign file: one 1-D dataset without the project's attributes.
    auto writer = Hdf5Writer::create(dir.filePath(QStringLiteral("foreign.h5")));
    if (!writer)
        return false;
    const double values[5] = {1.0, 2.5, -3.0, 4.0, 5.0};
    return check(writer->writeDoubles(QStringLiteral("/group/signal"), values, {5})) &&
           check(writer->commit());
}

bool writeLabelled(const QDir &dir)
{
    LabelledDataset data;
    data.classNames = {QStringLiteral("1"), QStringLiteral("2")};
    data.channelNames = {QStringLiteral("dim_0")};
    for (int i = 0; i < 3; ++i) {
        LabelledCase c;
        c.length = 4 + i;
        c.label = i % 2;
        c.source = QStringLiteral("GunPoint_TRAIN.ts:%1").arg(i + 1);
        for (int t = 0; t < c.length; ++t)
            c.values.push_back(-0.6f + 0.1f * float(t));
        data.cases.push_back(c);
    }
    return check(saveLabelledHdf5(data, dir.filePath(QStringLiteral("cases.h5"))));
}

bool writePredictions(const QDir &dir)
{
    PredictionsRecord record;
    record.values.windows = 2;
    record.values.horizon = 3;
    record.values.channels = 1;
    for (int i = 0; i < 6; ++i) {
        record.values.prediction.push_back(0.1f * float(i));
        record.values.truth.push_back(0.12f * float(i));
        record.values.predictionOriginal.push_back(float(i));
        record.values.truthOriginal.push_back(1.2f * float(i));
    }
    record.windowStartRows = {0, 1};
    record.windowStartTimes = {1467331200000, 1467334800000};
    record.forecastStartTimes = {1467342000000, 1467345600000};
    record.channelNames = {QStringLiteral("OT")};
    if (!check(writePredictionsFile(dir.filePath(QStringLiteral("forecast.h5")), record)))
        return false;

    auto writer = Hdf5Writer::create(dir.filePath(QStringLiteral("classify.h5")));
    if (!writer)
        return false;
    const float probabilities[6] = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f};
    const std::int64_t labels[3] = {0, 1, 1};
    const std::int64_t predicted[3] = {0, 1, 0};
    return check(writer->writeFloats(QStringLiteral("/probabilities"), probabilities, {3, 2})) &&
           check(writer->setAttribute(QStringLiteral("/probabilities"), QStringLiteral("split"),
                                      QStringLiteral("test"))) &&
           check(writer->writeInt64s(QStringLiteral("/labels"), labels, {3})) &&
           check(writer->writeInt64s(QStringLiteral("/predicted"), predicted, {3})) &&
           check(writer->writeStrings(
               QStringLiteral("/sources"),
               {QStringLiteral("a.wav"), QStringLiteral("b.wav"), QStringLiteral("c.wav")})) &&
           check(writer->writeStrings(QStringLiteral("/class_names"),
                                      {QStringLiteral("0"), QStringLiteral("1")})) &&
           check(writer->commit());
}

bool writeAttention(const QDir &dir)
{
    explain::AttentionSet set;
    set.modelId = "patchtst";
    set.runDir = "runs/p";
    set.sampleLabel = "test window 0";
    set.channel = 0;
    set.channelNames = {"OT"};
    for (int i = 0; i < 3; ++i) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.label = "patch " + std::to_string(i);
        token.begin = 4 * i;
        token.end = 4 * i + 4;
        set.tokens.push_back(token);
    }
    explain::AttentionLayer layer;
    layer.heads = 2;
    layer.queries = 3;
    layer.keys = 3;
    layer.weights.assign(18, 1.0f / 3.0f);
    set.layers = {layer, layer};
    set.inputRows = 12;
    set.inputCols = 1;
    set.input.assign(12, 0.5f);
    const std::vector<float> saliency(12, 0.25f);
    if (!check(explain::writeAttentionFile(dir.filePath(QStringLiteral("attention.h5")), set,
                                           &saliency, 12, 1, QStringLiteral("sum of OT"))))
        return false;
    // An encoder-decoder model's: a distilled layer over its own tokens and a cross-attention
    // map (decoder tokens x the distilled ones), so /layer_tokens and the layer attributes.
    explain::AttentionLayer distilled;
    distilled.name = "encoder layer 1";
    distilled.heads = 1;
    distilled.queries = 2;
    distilled.keys = 2;
    distilled.weights.assign(4, 0.5f);
    for (int i = 0; i < 2; ++i) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.label = "steps " + std::to_string(6 * i);
        token.begin = 6 * i;
        token.end = 6 * i + 6;
        distilled.queryTokens.push_back(token);
    }
    distilled.keyTokens = distilled.queryTokens;
    explain::AttentionLayer cross = distilled;
    cross.name = "decoder layer 0 cross-attention";
    cross.kind = explain::AttentionLayer::Kind::CrossAttention;
    cross.queries = 3;
    cross.weights.assign(6, 0.5f);
    cross.queryTokens.clear();
    for (int i = 0; i < 3; ++i) {
        TokenInfo token;
        token.label = "decoder step t+" + std::to_string(i + 1);
        token.begin = 12 + i;
        token.end = 13 + i;
        cross.queryTokens.push_back(token);
    }
    set.layers = {layer, distilled, cross};
    return check(
        explain::writeAttentionFile(dir.filePath(QStringLiteral("attention_layers.h5")), set));
}

bool writeForward(const QDir &dir)
{
    explain::ForwardTrace trace;
    trace.modelId = "dlinear";
    trace.runDir = "runs/d";
    trace.sampleLabel = "test window 0";
    const std::vector<float> values = {1, 2, 3, 4, 5, 6};
    trace.stages.push_back(explain::makeForwardStage("input", {1, 3, 2}, values.data()));
    trace.stages.push_back(explain::makeForwardStage("linear", {6}, values.data()));
    trace.prediction = explain::makeForwardStage("prediction", {1, 2, 1}, values.data());
    trace.parameters.push_back({"linear.weight", {2, 3}, 6});
    trace.parameters.push_back({"linear.bias", {2}, 2});
    trace.totalParameters = 8;
    return check(explain::writeForwardFile(dir.filePath(QStringLiteral("trace.h5")), trace));
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: twb-fuzz-seeds CORPUS_DIR (fuzz/corpus)\n");
        return 2;
    }
    const QDir root(QString::fromLocal8Bit(argv[1]));
    for (const char *name :
         {"hdf5series", "labelledhdf5", "predictions", "attention", "forwardtrace"})
        root.mkpath(QLatin1String(name));
    const bool ok = writeSeries(QDir(root.filePath(QStringLiteral("hdf5series")))) &&
                    writeLabelled(QDir(root.filePath(QStringLiteral("labelledhdf5")))) &&
                    writePredictions(QDir(root.filePath(QStringLiteral("predictions")))) &&
                    writeAttention(QDir(root.filePath(QStringLiteral("attention")))) &&
                    writeForward(QDir(root.filePath(QStringLiteral("forwardtrace"))));
    return ok ? 0 : 1;
}
