#include "WhatIf.h"

#include "InputMasking.h"
#include "SampleSelection.h"
#include "nn/HeadMaskable.h"
#include "nn/Model.h"
#include "train/RunLoader.h"
#include "train/SeparationMetrics.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

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

/// Row-major floats of a tensor (any shape), as float32.
std::vector<float> floats(const torch::Tensor &t)
{
    const torch::Tensor c = t.to(torch::kFloat32).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

/// Separation estimates [1, S, T] put in the order of `references` [1, S, T] (the best
/// assignment by SI-SNR) as row-major [T, S], with each source's SI-SNR in dB.
std::pair<std::vector<float>, std::vector<double>> scoredSources(const torch::Tensor &estimates,
                                                                 const torch::Tensor &references)
{
    const PitResult pit = permutationInvariantSiSnr(estimates, references);
    const torch::Tensor aligned = alignSources(estimates, pit.permutation);
    const torch::Tensor db =
        siSnr(aligned.to(torch::kFloat64), references.to(torch::kFloat64))[0].contiguous();
    return {floats(aligned[0].transpose(0, 1)),
            std::vector<double>(db.data_ptr<double>(), db.data_ptr<double>() + db.numel())};
}

/// Fills a separation outcome: estimates before and after the edit scored against the sample's
/// references, the mixture as it was and as the model saw it.
Status scoreSeparation(WhatIfOutcome &out, const torch::Tensor &before, const torch::Tensor &after,
                       const ExplainSample &sample, const torch::Tensor &edited)
{
    const torch::Tensor &references = sample.target;
    if (!references.defined() || references.dim() != 3 || references.sizes() != before.sizes())
        return editError(QStringLiteral("the separation sample has no reference sources shaped "
                                        "like the model's estimates"));
    out.rows = before.size(2);
    out.cols = before.size(1);
    std::tie(out.original, out.siSnrOriginal) = scoredSources(before, references);
    std::tie(out.edited, out.siSnrEdited) = scoredSources(after, references);
    const torch::Tensor mixture = sample.input.squeeze(-1).unsqueeze(1).expand_as(references);
    const torch::Tensor db =
        siSnr(mixture.to(torch::kFloat64), references.to(torch::kFloat64))[0].contiguous();
    out.siSnrMixture.assign(db.data_ptr<double>(), db.data_ptr<double>() + db.numel());
    out.history = floats(sample.input);
    out.editedHistory = floats(edited);
    out.truth = floats(references[0].transpose(0, 1));
    return {};
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
    const bool separate = run.config.task == QLatin1String("separate");
    const torch::Tensor edited = applyInputEdit(input, model.tokens(), edit);

    WhatIfOutcome out;
    out.classify = classify;
    out.separate = separate;
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
        if (separate) { // scored inside the try: PIT throws on shapes it cannot pair
            if (Status scored = scoreSeparation(out, before, after, sample, edited); !scored)
                return scored.error();
            return out;
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
