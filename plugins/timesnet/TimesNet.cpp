#include "TimesNet.h"

#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"

#include <algorithm>
#include <string>

namespace twb {

namespace {

Status fail(const QString &reason)
{
    return Status(Error{QStringLiteral("TimesNet: ") + reason, {}, 0});
}

} // namespace

std::int64_t TimesNetOptions::blockLength() const
{
    return spec().task == Task::Forecast ? spec().lookback + spec().horizon : spec().lookback;
}

Status TimesNetOptions::validate() const
{
    const QString name = QStringLiteral("TimesNet");
    if (Status s = spec().task == Task::Classify ? checkClassifySpec(spec(), name)
                                                 : checkForecastSpec(spec(), name);
        !s)
        return s;
    const auto positive = [](std::int64_t value, const char *key) {
        return value > 0 ? Status::ok()
                         : fail(QStringLiteral("%1 must be positive, got %2")
                                    .arg(QLatin1String(key))
                                    .arg(value));
    };
    for (Status s : {positive(dModel(), "d_model"), positive(dFF(), "d_ff"),
                     positive(numLayers(), "e_layers"), positive(numKernels(), "num_kernels")})
        if (!s)
            return s;
    if (!(dropout() >= 0.0 && dropout() < 1.0))
        return fail(QStringLiteral("dropout must lie in [0, 1), got %1").arg(dropout()));
    const std::int64_t steps = blockLength();
    if (topK() < 1 || topK() > steps / 2)
        return fail(QStringLiteral("top_k must lie in 1..%1 (the frequencies of the %2 steps "
                                   "the blocks see), got %3")
                        .arg(steps / 2)
                        .arg(steps)
                        .arg(topK()));
    return Status::ok();
}

TimesNetImpl::TimesNetImpl(const TimesNetOptions &options)
    : m_options(options)
{
    reset();
}

void TimesNetImpl::reset()
{
    requireValid(m_options);
    const ModelSpec &spec = m_options.spec();
    const bool forecast = spec.task == Task::Forecast;
    const std::int64_t d = m_options.dModel();
    const std::int64_t marks = forecast && m_options.useMarks() ? spec.markFeatures : 0;
    m_embedding = register_module(
        "enc_embedding", DataEmbedding(DataEmbeddingOptions(spec.channels, d)
                                           .markFeatures(marks)
                                           .maxLength(std::max<std::int64_t>(5000, spec.lookback))
                                           .dropout(m_options.dropout())));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i)
        m_blocks->push_back(TimesBlock(TimesBlockOptions(d, m_options.dFF())
                                           .topK(m_options.topK())
                                           .numKernels(m_options.numKernels())));
    m_layerNorm =
        register_module("layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    if (forecast) {
        m_predictLinear = register_module(
            "predict_linear", torch::nn::Linear(spec.lookback, m_options.blockLength()));
        m_projection = register_module("projection", torch::nn::Linear(d, spec.channels));
    } else {
        m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
        m_classifier =
            register_module("classifier", torch::nn::Linear(spec.lookback * d, spec.numClasses));
    }
}

torch::Tensor TimesNetImpl::runBlocks(torch::Tensor x, const ForwardOptions &options,
                                      ModelOutput &out)
{
    for (std::size_t i = 0; i < m_blocks->size(); ++i) {
        const std::string stage = "times_block_" + std::to_string(i);
        TimesBlockTrace trace;
        const bool capture = options.captureAttention;
        x = m_layerNorm(m_blocks->at<TimesBlockImpl>(i).forward(x, capture ? &trace : nullptr));
        if (options.captureIntermediates)
            out.intermediates.push_back({stage, x});
        if (!capture)
            continue;
        out.mechanisms.push_back({stage + "/spectrum", trace.choice.spectrum});
        out.mechanisms.push_back(
            {stage + "/frequencies", torch::tensor(trace.choice.frequencies, torch::kLong)});
        out.mechanisms.push_back(
            {stage + "/periods", torch::tensor(trace.choice.periods, torch::kLong)});
        out.mechanisms.push_back({stage + "/period_weights", trace.weights});
        for (std::size_t j = 0; j < trace.folds.size(); ++j)
            out.mechanisms.push_back({stage + "/fold_" + std::to_string(j), trace.folds[j]});
    }
    return x;
}

ModelOutput TimesNetImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "TimesNet: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    const bool keep = options.captureIntermediates;
    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});

    if (spec.task == Task::Classify) {
        const torch::Tensor real = checkedStepMask(options.stepMask, input, "TimesNet");
        const torch::Tensor weight =
            real.defined() ? real.unsqueeze(-1).to(input.dtype()) : torch::Tensor();
        const torch::Tensor x = weight.defined() ? input * weight : input;
        torch::Tensor e = m_embedding(x);
        if (keep)
            out.intermediates.push_back({"embedded", e});
        e = m_dropout(torch::gelu(runBlocks(e, options, out)));
        if (weight.defined())
            e = e * weight;
        const torch::Tensor features = e.reshape({input.size(0), -1});
        if (keep)
            out.intermediates.push_back({"features", features});
        out.prediction = m_classifier(features);
        if (keep)
            out.intermediates.push_back({"logits", out.prediction});
        return out;
    }

    // The non-stationary normalisation of the official forecast().
    const torch::Tensor means = input.mean(1, /*keepdim=*/true).detach();
    const torch::Tensor centred = input - means;
    const torch::Tensor stdev =
        torch::sqrt(centred.pow(2).mean(1, /*keepdim=*/true) + 1e-5); // biased variance
    const torch::Tensor normalized = centred / stdev;
    if (keep)
        out.intermediates.push_back({"normalized", normalized});
    torch::Tensor e = m_embedding(normalized, options.historyMarks);
    if (keep)
        out.intermediates.push_back({"embedded", e});
    e = m_predictLinear(e.transpose(1, 2)).transpose(1, 2);
    if (keep)
        out.intermediates.push_back({"aligned", e});
    e = runBlocks(e, options, out);
    const torch::Tensor projected = m_projection(e) * stdev + means;
    if (keep)
        out.intermediates.push_back({"projection", projected});
    out.prediction = projected.narrow(1, spec.lookback, spec.horizon);
    if (keep)
        out.intermediates.push_back({"output", out.prediction});
    return out;
}

} // namespace twb
