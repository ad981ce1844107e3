#include "AttentionCapture.h"

#include "nn/Model.h"
#include "train/RunLoader.h"

namespace twb::explain {

namespace {

Error captureError(const QString &reason)
{
    return Error{QStringLiteral("attention: ") + reason, {}, 0};
}

} // namespace

Expected<AttentionSet> captureModelAttention(Model &model, const torch::Tensor &input,
                                             std::int64_t channel, const torch::Tensor &stepMask)
{
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return captureError(QStringLiteral("the input must be one sample [1, time, channels]"));
    const std::int64_t channels = input.size(2);
    const bool perChannel = model.channelIndependentAttention();
    if (perChannel && (channel < 0 || channel >= channels))
        return captureError(
            QStringLiteral("channel %1 is outside [0, %2)").arg(channel).arg(channels));

    std::vector<torch::Tensor> maps;
    try {
        model.eval();
        torch::NoGradGuard noGrad;
        ModelOutput out =
            model.forward(input.to(torch::kFloat), ForwardOptions{true, false, stepMask});
        maps = std::move(out.attention);
    } catch (const std::exception &e) {
        return captureError(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
    if (maps.empty())
        return captureError(QStringLiteral("the model returned no attention maps"));

    AttentionSet set;
    const torch::Tensor plain = input[0].to(torch::kFloat).contiguous();
    set.input.assign(plain.data_ptr<float>(), plain.data_ptr<float>() + plain.numel());
    set.inputRows = int(plain.size(0));
    set.inputCols = int(plain.size(1));
    set.tokens = model.tokens();
    set.channel = perChannel ? channel : -1;
    const std::int64_t row = perChannel ? channel : 0;
    for (std::size_t i = 0; i < maps.size(); ++i) {
        const torch::Tensor &m = maps[i];
        if (m.dim() != 4 || m.size(0) <= row || m.size(2) != m.size(3))
            return captureError(QStringLiteral("layer %1 has the unexpected shape %2")
                                    .arg(i)
                                    .arg(QString::fromStdString(c10::str(m.sizes()))));
        const torch::Tensor one = m[row].to(torch::kFloat).contiguous(); // [heads, q, k]
        AttentionLayer layer;
        layer.heads = int(one.size(0));
        layer.queries = int(one.size(1));
        layer.keys = int(one.size(2));
        layer.weights.assign(one.data_ptr<float>(), one.data_ptr<float>() + one.numel());
        if (layer.queries != set.tokenCount())
            return captureError(QStringLiteral("layer %1 has %2 queries but the model describes "
                                               "%3 tokens")
                                    .arg(i)
                                    .arg(layer.queries)
                                    .arg(set.tokenCount()));
        set.layers.push_back(std::move(layer));
    }
    return set;
}

Expected<AttentionSet> captureAttention(const LoadedRun &run, const torch::Tensor &input,
                                        const std::string &sampleLabel, std::int64_t sampleIndex,
                                        std::int64_t channel, const torch::Tensor &stepMask)
{
    if (!run.model)
        return Error{QStringLiteral("the run has no model"), run.dir, 0};
    Expected<AttentionSet> set = captureModelAttention(*run.model, input, channel, stepMask);
    if (!set)
        return Error{set.error().reason, run.dir, 0};
    set->modelId = run.config.modelId.toStdString();
    set->runDir = run.dir.toStdString();
    set->sampleLabel = sampleLabel;
    set->sampleIndex = sampleIndex;
    for (const QString &name : run.channelNames)
        set->channelNames.push_back(name.toStdString());
    return set;
}

} // namespace twb::explain
