#include "Saliency.h"

#include "nn/Model.h"

namespace twb::explain {

namespace {

Error saliencyError(const QString &reason)
{
    return Error{QStringLiteral("saliency: ") + reason, {}, 0};
}

QString nameOr(const QStringList &names, std::int64_t i, const QString &fallback)
{
    return i >= 0 && i < names.size() ? names[qsizetype(i)] : fallback;
}

} // namespace

Expected<SaliencyMap> computeSaliency(Model &model, const torch::Tensor &input, Task task,
                                      std::int64_t channel, const QStringList &names,
                                      const ForwardOptions &context)
{
    if (!input.defined() || input.dim() != 3 || input.size(0) != 1)
        return saliencyError(QStringLiteral("the input must be one sample [1, time, channels]"));
    if (task != Task::Forecast && task != Task::Classify)
        return saliencyError(QStringLiteral("only forecast and classify models are explained"));
    SaliencyMap map;
    try {
        model.eval();
        torch::AutoGradMode grad(true);
        const torch::Tensor x = input.detach().to(torch::kFloat).clone().requires_grad_(true);
        const torch::Tensor prediction =
            model.forward(x, withCaptures(context, false, false)).prediction;
        torch::Tensor target;
        if (task == Task::Forecast) {
            if (prediction.dim() != 3)
                return saliencyError(QStringLiteral("the forecast is not [1, horizon, channels]"));
            if (channel >= prediction.size(2))
                return saliencyError(QStringLiteral("channel %1 is outside [0, %2)")
                                         .arg(channel)
                                         .arg(prediction.size(2)));
            if (channel >= 0) {
                target = prediction.select(2, channel).sum();
                map.target =
                    QStringLiteral("sum of the forecast of %1")
                        .arg(nameOr(names, channel, QStringLiteral("channel %1").arg(channel)))
                        .toStdString();
            } else {
                target = prediction.sum();
                map.target = "sum of the forecast of all channels";
            }
        } else {
            if (prediction.dim() != 2)
                return saliencyError(QStringLiteral("the logits are not [1, classes]"));
            const std::int64_t predicted = prediction[0].argmax().item<std::int64_t>();
            target = prediction[0][predicted];
            map.target = QStringLiteral("logit of the predicted class %1")
                             .arg(nameOr(names, predicted, QString::number(predicted)))
                             .toStdString();
        }
        if (!target.requires_grad())
            return saliencyError(QStringLiteral(
                "the prediction has no gradient with respect to the input (the model counts, "
                "compares or searches, as MiniRocket and 1-NN DTW do)"));
        const torch::Tensor gradient =
            torch::autograd::grad({target}, {x}, {}, /*retain_graph=*/false)[0];
        const torch::Tensor product = (gradient * x).detach()[0].contiguous();
        map.rows = int(product.size(0));
        map.cols = int(product.size(1));
        map.values.assign(product.data_ptr<float>(), product.data_ptr<float>() + product.numel());
    } catch (const std::exception &e) {
        return saliencyError(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
    return map;
}

} // namespace twb::explain
