#include "AttentionCapture.h"

#include "nn/Model.h"
#include "train/RunLoader.h"
#include "train/SeparationData.h"

#include <algorithm>

namespace twb::explain {

namespace {

Error captureError(const QString &reason)
{
    return Error{QStringLiteral("attention: ") + reason, {}, 0};
}

QString shapeOf(const torch::Tensor &t)
{
    return QString::fromStdString(c10::str(t.sizes()));
}

bool sameTokens(const std::vector<TokenInfo> &a, const std::vector<TokenInfo> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const TokenInfo &x, const TokenInfo &y) {
            return x.kind == y.kind && x.label == y.label && x.begin == y.begin && x.end == y.end &&
                   x.channel == y.channel && x.freqBegin == y.freqBegin && x.freqEnd == y.freqEnd;
        });
}

/// Row `row` of one captured map [batch', heads, queries, keys] as a layer; checked against the
/// number of query and key tokens the model describes for it (`what` says where they come from).
Expected<AttentionLayer> layerOf(const torch::Tensor &m, std::int64_t row, const QString &name,
                                 std::size_t queryTokens, std::size_t keyTokens,
                                 const QString &what)
{
    if (m.dim() != 4 || m.size(0) <= row || m.size(1) < 1 || m.size(2) < 1 || m.size(3) < 1)
        return captureError(
            QStringLiteral("%1 has the unexpected shape %2 (not [batch, heads, queries, keys])")
                .arg(name, shapeOf(m)));
    if (m.size(2) != std::int64_t(queryTokens) || m.size(3) != std::int64_t(keyTokens))
        return captureError(QStringLiteral("%1 is %2: %3 queries x %4 keys, but the model "
                                           "describes %5 query and %6 key tokens for it (%7)")
                                .arg(name, shapeOf(m))
                                .arg(m.size(2))
                                .arg(m.size(3))
                                .arg(queryTokens)
                                .arg(keyTokens)
                                .arg(what));
    const torch::Tensor one = m[row].to(torch::kFloat).contiguous(); // [heads, q, k]
    AttentionLayer layer;
    layer.heads = int(one.size(0));
    layer.queries = int(one.size(1));
    layer.keys = int(one.size(2));
    layer.weights.assign(one.data_ptr<float>(), one.data_ptr<float>() + one.numel());
    layer.name = name.toStdString();
    return layer;
}

} // namespace

QString noAttentionMapsMessage(const QString &modelName)
{
    return QStringLiteral("%1 has no attention maps: its mechanism (what it computes instead of "
                          "attention weights) is shown in the forward-pass view (the Forward "
                          "pass tab, or twb-cli forward)")
        .arg(modelName.isEmpty() ? QStringLiteral("this model") : modelName);
}

Expected<AttentionSet> captureModelAttention(Model &model, const torch::Tensor &input,
                                             std::int64_t channel, const ForwardOptions &context,
                                             const QString &modelName)
{
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return captureError(QStringLiteral("the input must be one sample [1, time, channels]"));
    const std::int64_t channels = input.size(2);
    const bool perChannel = model.channelIndependentAttention();
    if (perChannel && (channel < 0 || channel >= channels))
        return captureError(
            QStringLiteral("channel %1 is outside [0, %2)").arg(channel).arg(channels));

    std::vector<torch::Tensor> maps;
    std::vector<torch::Tensor> cross;
    try {
        model.eval();
        torch::NoGradGuard noGrad;
        ModelOutput out =
            model.forward(input.to(torch::kFloat), withCaptures(context, true, false));
        maps = std::move(out.attention);
        cross = std::move(out.crossAttention);
    } catch (const std::exception &e) {
        return captureError(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
    if (maps.empty() && cross.empty())
        return captureError(noAttentionMapsMessage(modelName));

    AttentionSet set;
    const torch::Tensor plain = input[0].to(torch::kFloat).contiguous();
    set.input.assign(plain.data_ptr<float>(), plain.data_ptr<float>() + plain.numel());
    set.inputRows = int(plain.size(0));
    set.inputCols = int(plain.size(1));
    set.tokens = model.tokens();
    set.channel = perChannel ? channel : -1;
    const std::int64_t row = perChannel ? channel : 0;
    // The encoder layers, each over its own tokens when they differ from the input's (Informer's
    // distilling halves them after every layer).
    std::vector<TokenInfo> lastEncoderTokens = set.tokens;
    for (std::size_t i = 0; i < maps.size(); ++i) {
        std::vector<TokenInfo> tokens = model.encoderLayerTokens(i);
        Expected<AttentionLayer> layer =
            layerOf(maps[i], row, QStringLiteral("encoder layer %1").arg(i), tokens.size(),
                    tokens.size(), QStringLiteral("encoderLayerTokens(%1)").arg(i));
        if (!layer)
            return layer.error();
        if (!sameTokens(tokens, set.tokens)) {
            layer->queryTokens = tokens;
            layer->keyTokens = tokens;
        }
        lastEncoderTokens = std::move(tokens);
        set.layers.push_back(std::move(*layer));
    }
    // Cross-attention: the decoder's tokens attend to the last encoder layer's. Its batch is the
    // samples' (one row here) unless the model attends per channel.
    const std::vector<TokenInfo> decoderTokens = model.decoderTokens();
    for (std::size_t j = 0; j < cross.size(); ++j) {
        const torch::Tensor &m = cross[j];
        const std::int64_t crossRow = perChannel && m.dim() == 4 && m.size(0) > row ? row : 0;
        Expected<AttentionLayer> layer =
            layerOf(m, crossRow, QStringLiteral("decoder layer %1 cross-attention").arg(j),
                    decoderTokens.size(), lastEncoderTokens.size(),
                    QStringLiteral("decoderTokens() x the last encoder layer's tokens"));
        if (!layer)
            return layer.error();
        layer->kind = AttentionLayer::Kind::CrossAttention;
        layer->queryTokens = decoderTokens;
        layer->keyTokens = sameTokens(lastEncoderTokens, set.tokens) ? std::vector<TokenInfo>{}
                                                                     : lastEncoderTokens;
        set.layers.push_back(std::move(*layer));
    }
    return set;
}

Expected<AttentionSet> captureAttention(const LoadedRun &run, const torch::Tensor &input,
                                        const std::string &sampleLabel, std::int64_t sampleIndex,
                                        std::int64_t channel, const ForwardOptions &context)
{
    if (!run.model)
        return Error{QStringLiteral("the run has no model"), run.dir, 0};
    Expected<AttentionSet> set =
        captureModelAttention(*run.model, input, channel, context, run.config.modelId);
    if (!set)
        return Error{set.error().reason, run.dir, 0};
    set->modelId = run.config.modelId.toStdString();
    set->runDir = run.dir.toStdString();
    set->sampleLabel = sampleLabel;
    set->sampleIndex = sampleIndex;
    for (const QString &name : run.channelNames)
        set->channelNames.push_back(name.toStdString());
    // A separation model's input is its mixture: the rate lets views draw it as a sound.
    if (run.config.task == QLatin1String("separate") && set->inputCols == 1)
        if (Expected<SeparationShape> shape = separationShape(run.provenance, run.dir))
            set->inputSampleRate = shape->sampleRate;
    return set;
}

} // namespace twb::explain
