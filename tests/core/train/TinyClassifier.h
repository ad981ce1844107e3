#pragma once

// An in-test classification model and plugin (no shared library).

#include "common/Errors.h"
#include "nn/Model.h"
#include "plugin/ModelPlugin.h"
#include "train/ModelFactory.h"

namespace twb::test {

/// x [B, T, C] -> dropout -> flatten -> Linear(T * C -> classes) = logits.
class TinyClassifier : public Model
{
public:
    TinyClassifier(const ModelSpec &spec, double dropout)
    {
        linear = register_module("linear",
                                 torch::nn::Linear(spec.lookback * spec.channels, spec.numClasses));
        drop = register_module("drop", torch::nn::Dropout(dropout));
    }

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        ModelOutput out;
        out.prediction = linear(drop(input).reshape({input.size(0), -1}));
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }

    torch::nn::Linear linear = nullptr;
    torch::nn::Dropout drop = nullptr;
};

class TinyClassifierPlugin : public ModelPlugin
{
public:
    QString id() const override { return QStringLiteral("tinyclass"); }
    QString displayName() const override { return QStringLiteral("Tiny classifier"); }
    QString description() const override { return QStringLiteral("A linear classifier."); }
    QString paper() const override { return QStringLiteral("none"); }
    QList<Task> tasks() const override { return {Task::Classify}; }
    HyperparameterSchema hyperparameters() const override
    {
        return HyperparameterSchema(
            {HyperparameterSpec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), 0.1,
                                      0.0, 0.9, QStringLiteral("Dropout on the input."))});
    }
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override
    {
        return std::shared_ptr<Model>(
            std::make_shared<TinyClassifier>(spec, values.real(QStringLiteral("dropout"))));
    }
};

inline PluginLookup lookupOfClassifier(const TinyClassifierPlugin &p)
{
    return [&p](const QString &id) -> Expected<ModelSource> {
        if (id != p.id())
            return makeError(QStringLiteral("unknown model \"%1\" (available: tinyclass)").arg(id));
        return ModelSource{&p, p.displayName(), QStringLiteral("0.0.1")};
    };
}

} // namespace twb::test
