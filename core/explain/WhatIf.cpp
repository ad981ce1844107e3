#include "WhatIf.h"

#include "InputMasking.h"
#include "SampleSelection.h"
#include "model/Model.h"
#include "nn/MultiheadAttention.h"
#include "train/RunLoader.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace twb::explain {

namespace {

Error editError(const QString &message)
{
    return Error{message, {}, 0};
}

/// A JSON array of integers (whole numbers only); `what` names the key in errors.
Expected<std::vector<std::int64_t>> integers(const QJsonValue &value, const QString &what,
                                             std::size_t expectedSize = 0)
{
    if (!value.isArray())
        return editError(QStringLiteral("%1 must be an array of integers").arg(what));
    std::vector<std::int64_t> out;
    for (const QJsonValue &item : value.toArray()) {
        const double number = item.toDouble(0.5);
        if (!item.isDouble() || number != std::floor(number))
            return editError(QStringLiteral("%1 must hold integers only").arg(what));
        out.push_back(std::int64_t(number));
    }
    if (expectedSize != 0 && out.size() != expectedSize)
        return editError(QStringLiteral("%1 must hold %2 integers, not %3")
                             .arg(what)
                             .arg(expectedSize)
                             .arg(out.size()));
    return out;
}

/// Each element of the array at `key` as a fixed-size integer tuple.
Expected<std::vector<std::vector<std::int64_t>>> tuples(const QJsonObject &object,
                                                        const QString &key, std::size_t size)
{
    std::vector<std::vector<std::int64_t>> out;
    if (!object.contains(key))
        return out;
    if (!object.value(key).isArray())
        return editError(QStringLiteral("\"%1\" must be an array").arg(key));
    const QJsonArray items = object.value(key).toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        Expected<std::vector<std::int64_t>> item =
            integers(items.at(i), QStringLiteral("\"%1\"[%2]").arg(key).arg(i), size);
        if (!item)
            return item.error();
        out.push_back(std::move(*item));
    }
    return out;
}

/// Softmax probabilities or de-normalised forecast values of a prediction, row-major.
std::vector<float> readable(const torch::Tensor &prediction, bool classify,
                            const StandardScaler &scaler)
{
    const torch::Tensor p = (classify ? torch::softmax(prediction[0], -1) : prediction[0])
                                .to(torch::kFloat32)
                                .contiguous();
    std::vector<float> out(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
    if (!classify && scaler.isFitted() && scaler.channelCount() == p.size(-1))
        scaler.inverseTransform(out.data(), p.size(0), p.size(-1));
    return out;
}

/// Row-major copy of a [1, rows, channels] tensor in the data's units.
std::vector<float> inDataUnits(const torch::Tensor &sample, const StandardScaler &scaler)
{
    return readable(sample, false, scaler);
}

/// Switches heads off for its lifetime; every head on again when destroyed.
class HeadSwitch
{
public:
    HeadSwitch(std::vector<std::shared_ptr<torch::nn::Module>> layers)
        : m_layers(std::move(layers))
    {}
    ~HeadSwitch()
    {
        for (const auto &layer : m_layers)
            if (auto *attention = dynamic_cast<MultiheadAttentionImpl *>(layer.get()))
                attention->setHeadMask({});
    }
    HeadSwitch(const HeadSwitch &) = delete;
    HeadSwitch &operator=(const HeadSwitch &) = delete;

    Status switchOff(const std::vector<HeadRef> &heads)
    {
        std::vector<torch::Tensor> masks(m_layers.size());
        for (const HeadRef &ref : heads) {
            if (m_layers.empty())
                return editError(QStringLiteral("this model has no attention heads to switch off"));
            if (ref.layer < 0 || std::size_t(ref.layer) >= m_layers.size())
                return editError(QStringLiteral("layer %1 does not exist: the model has %2 layers "
                                                "(0 to %3)")
                                     .arg(ref.layer)
                                     .arg(m_layers.size())
                                     .arg(m_layers.size() - 1));
            auto *attention =
                static_cast<MultiheadAttentionImpl *>(m_layers[std::size_t(ref.layer)].get());
            const std::int64_t heads = attention->options().numHeads();
            if (ref.head < 0 || ref.head >= heads)
                return editError(QStringLiteral("head %1 does not exist in layer %2: it has %3 "
                                                "heads (0 to %4)")
                                     .arg(ref.head)
                                     .arg(ref.layer)
                                     .arg(heads)
                                     .arg(heads - 1));
            torch::Tensor &mask = masks[std::size_t(ref.layer)];
            if (!mask.defined())
                mask = torch::ones({heads});
            mask[ref.head] = 0.0f;
        }
        for (std::size_t i = 0; i < m_layers.size(); ++i)
            if (masks[i].defined())
                static_cast<MultiheadAttentionImpl *>(m_layers[i].get())->setHeadMask(masks[i]);
        return {};
    }

private:
    std::vector<std::shared_ptr<torch::nn::Module>> m_layers;
};

} // namespace

Expected<WhatIfEdit> WhatIfEdit::fromJson(const QJsonObject &object)
{
    WhatIfEdit edit;
    if (object.contains(QLatin1String("mask_tokens"))) {
        Expected<std::vector<std::int64_t>> tokens =
            integers(object.value(QLatin1String("mask_tokens")), QStringLiteral("\"mask_tokens\""));
        if (!tokens)
            return tokens.error();
        for (std::int64_t t : *tokens) {
            if (t < 0)
                return editError(
                    QStringLiteral("\"mask_tokens\" holds %1: token indices start at 0").arg(t));
            edit.tokens.push_back(int(t));
        }
    }
    if (object.contains(QLatin1String("token_channel"))) {
        const QJsonValue channel = object.value(QLatin1String("token_channel"));
        if (!channel.isDouble() || channel.toDouble() < -1 ||
            channel.toDouble() != std::floor(channel.toDouble()))
            return editError(QStringLiteral("\"token_channel\" must be a channel index (or -1)"));
        edit.tokenChannel = std::int64_t(channel.toDouble());
    }
    Expected<std::vector<std::vector<std::int64_t>>> regions =
        tuples(object, QStringLiteral("regions"), 4);
    if (!regions)
        return regions.error();
    for (const auto &r : *regions) {
        const InputRegion region{r[0], r[1], r[2], r[3]};
        const auto bad = [](std::int64_t begin, std::int64_t end) {
            return begin < 0 || end < -1 || (end != -1 && end <= begin);
        };
        if (bad(region.rowBegin, region.rowEnd) || bad(region.colBegin, region.colEnd))
            return editError(QStringLiteral("the region [%1, %2, %3, %4] is empty or negative "
                                            "(rows [begin, end), columns [begin, end); -1 = to "
                                            "the end)")
                                 .arg(r[0])
                                 .arg(r[1])
                                 .arg(r[2])
                                 .arg(r[3]));
        edit.regions.push_back(region);
    }
    Expected<std::vector<std::vector<std::int64_t>>> heads =
        tuples(object, QStringLiteral("heads_off"), 2);
    if (!heads)
        return heads.error();
    for (const auto &h : *heads)
        edit.headsOff.push_back({int(h[0]), int(h[1])});
    if (object.contains(QLatin1String("fill"))) {
        if (!object.value(QLatin1String("fill")).isDouble())
            return editError(QStringLiteral("\"fill\" must be a number"));
        edit.fill = float(object.value(QLatin1String("fill")).toDouble());
    }
    return edit;
}

QJsonObject WhatIfEdit::toJson() const
{
    QJsonArray tokenArray, regionArray, headArray;
    for (int t : tokens)
        tokenArray.append(t);
    for (const InputRegion &r : regions)
        regionArray.append(
            QJsonArray{qint64(r.rowBegin), qint64(r.rowEnd), qint64(r.colBegin), qint64(r.colEnd)});
    for (const HeadRef &h : headsOff)
        headArray.append(QJsonArray{h.layer, h.head});
    return {{"mask_tokens", tokenArray},
            {"token_channel", qint64(tokenChannel)},
            {"regions", regionArray},
            {"heads_off", headArray},
            {"fill", double(fill)}};
}

std::vector<std::shared_ptr<torch::nn::Module>> attentionLayers(Model &model)
{
    std::vector<std::shared_ptr<torch::nn::Module>> out;
    for (const auto &module : model.modules(/*include_self=*/false))
        if (dynamic_cast<MultiheadAttentionImpl *>(module.get()))
            out.push_back(module);
    return out;
}

torch::Tensor applyInputEdit(const torch::Tensor &input, const std::vector<TokenInfo> &tokens,
                             const WhatIfEdit &edit)
{
    torch::Tensor out = maskTokens(input, tokens, edit.tokens, edit.fill, edit.tokenChannel);
    if (out.dim() != 3)
        return out;
    const std::int64_t rows = out.size(1), cols = out.size(2);
    const auto clip = [](std::int64_t v, std::int64_t hi) {
        return std::clamp<std::int64_t>(v, 0, hi);
    };
    using torch::indexing::Slice;
    for (const InputRegion &r : edit.regions) {
        const std::int64_t r0 = clip(r.rowBegin, rows),
                           r1 = r.rowEnd < 0 ? rows : clip(r.rowEnd, rows);
        const std::int64_t c0 = clip(r.colBegin, cols),
                           c1 = r.colEnd < 0 ? cols : clip(r.colEnd, cols);
        if (r0 < r1 && c0 < c1)
            out.index_put_({Slice(), Slice(r0, r1), Slice(c0, c1)}, edit.fill);
    }
    return out;
}

Expected<WhatIfOutcome> runWhatIf(const LoadedRun &run, const ExplainSample &sample,
                                  const WhatIfEdit &edit)
{
    Model &model = *run.model;
    const torch::Tensor &input = sample.input;
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return editError(
            QStringLiteral("the what-if sample must be one input [1, time, channels]"));
    const bool classify = run.config.task == QLatin1String("classify");
    const torch::Tensor edited = applyInputEdit(input, model.tokens(), edit);

    WhatIfOutcome out;
    out.classify = classify;
    out.inputValues = input.numel();
    out.changedInputs = torch::ne(edited, input).sum().item<std::int64_t>();
    try {
        torch::NoGradGuard noGrad;
        model.eval();
        const ForwardOptions options{false, false, sample.stepMask};
        const torch::Tensor before = model.forward(input, options).prediction;
        torch::Tensor after;
        {
            HeadSwitch heads(attentionLayers(model));
            if (Status off = heads.switchOff(edit.headsOff); !off)
                return off.error();
            after = model.forward(edited, options).prediction;
        }
        out.rows = classify ? 1 : before.size(1);
        out.cols = before.size(-1);
        out.original = readable(before, classify, run.scaler);
        out.edited = readable(after, classify, run.scaler);
    } catch (const std::exception &e) {
        const std::string what = e.what();
        return editError(QStringLiteral("the model failed: %1")
                             .arg(QString::fromStdString(what.substr(0, what.find('\n')))));
    }
    if (!classify) {
        out.history = inDataUnits(input, run.scaler);
        out.editedHistory = inDataUnits(edited, run.scaler);
        if (sample.target.defined())
            out.truth = inDataUnits(sample.target, run.scaler);
    }
    return out;
}

} // namespace twb::explain
