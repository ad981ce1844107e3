#include "WhatIf.h"

#include "InputMasking.h"
#include "SampleSelection.h"
#include "nn/HeadMaskable.h"
#include "nn/Model.h"
#include "train/RunLoader.h"

#include <algorithm>
#include <cmath>

namespace twb::explain {

namespace {

Error editError(const QString &message)
{
    return Error{message, {}, 0};
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
            if (auto *attention = dynamic_cast<HeadMaskable *>(layer.get()))
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
            auto *attention = dynamic_cast<HeadMaskable *>(m_layers[std::size_t(ref.layer)].get());
            const std::int64_t heads = attention->headCount();
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
                dynamic_cast<HeadMaskable *>(m_layers[i].get())->setHeadMask(masks[i]);
        return {};
    }

private:
    std::vector<std::shared_ptr<torch::nn::Module>> m_layers;
};

} // namespace

std::vector<std::shared_ptr<torch::nn::Module>> attentionLayers(Model &model)
{
    std::vector<std::shared_ptr<torch::nn::Module>> out;
    for (const auto &module : model.modules(/*include_self=*/false))
        if (dynamic_cast<HeadMaskable *>(module.get()))
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
        const ForwardOptions options = sample.forwardOptions();
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
