#include "ForwardCapture.h"

#include "WhatIf.h"
#include "nn/MultiheadAttention.h"

#include "nn/Model.h"
#include "train/RunLoader.h"

#include <algorithm>
#include <string>

namespace twb::explain {

namespace {

Error traceError(const QString &reason)
{
    return Error{QStringLiteral("forward: ") + reason, {}, 0};
}

ForwardStage stageOf(const std::string &name, const torch::Tensor &value, int maxSide)
{
    const torch::Tensor t = value.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const std::vector<std::int64_t> shape(t.sizes().begin(), t.sizes().end());
    return makeForwardStage(name, shape, t.data_ptr<float>(), maxSide);
}

std::string attentionName(std::size_t layer)
{
    return "attention_layer_" + std::to_string(layer);
}

std::string scoresName(std::size_t layer)
{
    return "attention_scores_layer_" + std::to_string(layer);
}

std::string crossAttentionName(std::size_t layer)
{
    return "cross_attention_layer_" + std::to_string(layer);
}

/// Whether stage `name` belongs to layer `layer` ("encoder_layer_0", "decoder_layer_1"): the
/// layer's own stage, its '.'-joined sub-stages and mechanisms, and the attention stages twb
/// adds for it.
bool belongsToLayer(const std::string &name, const std::string &layer)
{
    if (name == layer || name.rfind(layer + ".", 0) == 0)
        return true;
    const std::size_t digits = layer.find_last_not_of("0123456789");
    if (digits == std::string::npos || digits + 1 == layer.size())
        return false;
    bool ok = false; // a plugin's name with a number too large for an index names no layer
    const std::size_t index = QString::fromStdString(layer.substr(digits + 1)).toULongLong(&ok);
    if (!ok)
        return false;
    if (layer.rfind("encoder_layer_", 0) == 0)
        return name == attentionName(index) || name == scoresName(index);
    if (layer.rfind("decoder_layer_", 0) == 0)
        return name == crossAttentionName(index);
    return false;
}

/// Inserts `stage` right after the last stage of `layer`, or at the end when the layer has
/// none.
void insertAfterLayer(std::vector<ForwardStage> &stages, const std::string &layer,
                      ForwardStage stage)
{
    auto at = stages.end();
    for (auto it = stages.begin(); it != stages.end(); ++it)
        if (belongsToLayer(it->name, layer))
            at = it + 1;
    stages.insert(at, std::move(stage));
}

/// Records the pre-softmax scores of every dot-product attention module while it lives (other
/// head-maskable modules, such as auto-correlation, have no scores: undefined).
class ScoreRecorder
{
public:
    explicit ScoreRecorder(Model &model)
        : m_layers(attentionLayers(model))
    {
        for (const auto &layer : m_layers)
            if (auto *attention = dynamic_cast<MultiheadAttentionImpl *>(layer.get()))
                attention->setRecordScores(true);
    }
    ~ScoreRecorder()
    {
        for (const auto &layer : m_layers)
            if (auto *attention = dynamic_cast<MultiheadAttentionImpl *>(layer.get()))
                attention->setRecordScores(false);
    }
    ScoreRecorder(const ScoreRecorder &) = delete;
    ScoreRecorder &operator=(const ScoreRecorder &) = delete;

    /// Layer i's scores, or undefined when it did not run.
    std::vector<torch::Tensor> scores() const
    {
        std::vector<torch::Tensor> out;
        for (const auto &layer : m_layers) {
            const auto *attention = dynamic_cast<const MultiheadAttentionImpl *>(layer.get());
            out.push_back(attention ? attention->recordedScores() : torch::Tensor());
        }
        return out;
    }

private:
    std::vector<std::shared_ptr<torch::nn::Module>> m_layers;
};

} // namespace

Expected<ForwardTrace> traceModelForward(Model &model, const torch::Tensor &input, int maxSide,
                                         const ForwardOptions &context)
{
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return traceError(QStringLiteral("the input must be one sample [1, time, channels]"));
    ModelOutput out;
    std::vector<torch::Tensor> scores;
    try {
        model.eval();
        torch::NoGradGuard noGrad;
        ScoreRecorder recorder(model);
        out = model.forward(input.to(torch::kFloat), withCaptures(context, true, true));
        scores = recorder.scores();
    } catch (const std::exception &e) {
        return traceError(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
    if (out.intermediates.empty())
        return traceError(QStringLiteral("the model reported no stages"));

    ForwardTrace trace;
    std::vector<bool> placed(out.attention.size(), false);
    // The scores before the softmax, then the weights after it (when the attention modules
    // are the model's layers one to one).
    const bool withScores = scores.size() == out.attention.size();
    const auto pushAttention = [&](std::size_t i) {
        placed[i] = true;
        if (withScores && scores[i].defined()) {
            const torch::Tensor &s = scores[i];
            trace.stages.push_back(stageOf(scoresName(i), s.dim() == 4 ? s[0] : s, maxSide));
        }
        const torch::Tensor &map = out.attention[i];
        trace.stages.push_back(stageOf(attentionName(i), map.dim() == 4 ? map[0] : map, maxSide));
    };
    for (const NamedTensor &stage : out.intermediates) {
        trace.stages.push_back(stageOf(stage.name, stage.value, maxSide));
        const std::string prefix = "encoder_layer_";
        if (stage.name.rfind(prefix, 0) != 0)
            continue;
        bool ok = false;
        const std::size_t layer =
            QString::fromStdString(stage.name.substr(prefix.size())).toUInt(&ok);
        if (ok && layer < out.attention.size() && !placed[layer])
            pushAttention(layer);
    }
    for (std::size_t i = 0; i < out.attention.size(); ++i)
        if (!placed[i])
            pushAttention(i);
    // Cross-attention after its decoder layer; the mechanisms ("encoder_layer_0/delays" as
    // stage "encoder_layer_0.delays") after the layer that reports them.
    for (std::size_t j = 0; j < out.crossAttention.size(); ++j) {
        const torch::Tensor &map = out.crossAttention[j];
        insertAfterLayer(trace.stages, "decoder_layer_" + std::to_string(j),
                         stageOf(crossAttentionName(j), map.dim() == 4 ? map[0] : map, maxSide));
    }
    for (const NamedTensor &mechanism : out.mechanisms) {
        std::string name = mechanism.name;
        std::replace(name.begin(), name.end(), '/', '.');
        insertAfterLayer(trace.stages, mechanism.name.substr(0, mechanism.name.find('/')),
                         stageOf(name, mechanism.value, maxSide));
    }
    trace.prediction = stageOf("prediction", out.prediction, maxSide);

    const auto list = [](const torch::OrderedDict<std::string, torch::Tensor> &tensors,
                         std::vector<ForwardParameter> &into, std::int64_t &total) {
        for (const auto &item : tensors) {
            ForwardParameter p;
            p.name = item.key();
            p.shape.assign(item.value().sizes().begin(), item.value().sizes().end());
            p.count = item.value().numel();
            total += p.count;
            into.push_back(std::move(p));
        }
    };
    list(model.named_parameters(/*recurse=*/true), trace.parameters, trace.totalParameters);
    list(model.named_buffers(/*recurse=*/true), trace.buffers, trace.totalBuffers);
    return trace;
}

Expected<ForwardTrace> traceForward(const LoadedRun &run, const torch::Tensor &input,
                                    const std::string &sampleLabel, std::int64_t sampleIndex,
                                    int maxSide, const ForwardOptions &context)
{
    if (!run.model)
        return Error{QStringLiteral("the run has no model"), run.dir, 0};
    Expected<ForwardTrace> trace = traceModelForward(*run.model, input, maxSide, context);
    if (!trace)
        return Error{trace.error().reason, run.dir, 0};
    trace->modelId = run.config.modelId.toStdString();
    trace->runDir = run.dir.toStdString();
    trace->sampleLabel = sampleLabel;
    trace->sampleIndex = sampleIndex;
    return trace;
}

} // namespace twb::explain
