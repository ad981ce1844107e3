#include "ForwardCapture.h"

#include "model/Model.h"
#include "train/RunLoader.h"

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

} // namespace

Expected<ForwardTrace> traceModelForward(Model &model, const torch::Tensor &input, int maxSide)
{
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return traceError(QStringLiteral("the input must be one sample [1, time, channels]"));
    ModelOutput out;
    try {
        model.eval();
        torch::NoGradGuard noGrad;
        out = model.forward(input.to(torch::kFloat), ForwardOptions{true, true});
    } catch (const std::exception &e) {
        return traceError(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
    if (out.intermediates.empty())
        return traceError(QStringLiteral("the model reported no stages"));

    ForwardTrace trace;
    std::vector<bool> placed(out.attention.size(), false);
    const auto attentionStage = [&](std::size_t i) {
        placed[i] = true;
        const torch::Tensor &map = out.attention[i];
        return stageOf(attentionName(i), map.dim() == 4 ? map[0] : map, maxSide);
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
            trace.stages.push_back(attentionStage(layer));
    }
    for (std::size_t i = 0; i < out.attention.size(); ++i)
        if (!placed[i])
            trace.stages.push_back(attentionStage(i));
    trace.prediction = stageOf("prediction", out.prediction, maxSide);

    for (const auto &item : model.named_parameters(/*recurse=*/true)) {
        ForwardParameter p;
        p.name = item.key();
        p.shape.assign(item.value().sizes().begin(), item.value().sizes().end());
        p.count = item.value().numel();
        trace.totalParameters += p.count;
        trace.parameters.push_back(std::move(p));
    }
    return trace;
}

Expected<ForwardTrace> traceForward(const LoadedRun &run, const torch::Tensor &input,
                                    const std::string &sampleLabel, std::int64_t sampleIndex,
                                    int maxSide)
{
    if (!run.model)
        return Error{QStringLiteral("the run has no model"), run.dir, 0};
    Expected<ForwardTrace> trace = traceModelForward(*run.model, input, maxSide);
    if (!trace)
        return Error{trace.error().reason, run.dir, 0};
    trace->modelId = run.config.modelId.toStdString();
    trace->runDir = run.dir.toStdString();
    trace->sampleLabel = sampleLabel;
    trace->sampleIndex = sampleIndex;
    return trace;
}

} // namespace twb::explain
