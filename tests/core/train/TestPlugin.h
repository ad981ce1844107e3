#pragma once

// An in-test model plugin (no shared library): TinyModel behind the ModelPlugin interface.

#include "TinyModel.h"
#include "common/Errors.h"
#include "plugin/ModelPlugin.h"
#include "train/ModelFactory.h"

namespace twb::test {

class TestPlugin : public ModelPlugin
{
public:
    QString id() const override { return QStringLiteral("tiny"); }
    QString displayName() const override { return QStringLiteral("Tiny"); }
    QString description() const override { return QStringLiteral("A linear map over time."); }
    QString paper() const override { return QStringLiteral("none"); }
    QList<Task> tasks() const override { return {Task::Forecast}; }
    HyperparameterSchema hyperparameters() const override
    {
        return HyperparameterSchema(
            {HyperparameterSpec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), 0.1,
                                      0.0, 0.9, QStringLiteral("Dropout on the input."))});
    }
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override
    {
        return std::shared_ptr<Model>(std::make_shared<TinyModel>(
            spec.lookback, spec.horizon, values.real(QStringLiteral("dropout"))));
    }
};

/// Finds only the plugin `p` (id "tiny").
inline PluginLookup lookupOf(const TestPlugin &p)
{
    return [&p](const QString &id) -> Expected<ModelSource> {
        if (id != p.id())
            return makeError(QStringLiteral("unknown model \"%1\" (available: tiny)").arg(id));
        return ModelSource{&p, p.displayName(), QStringLiteral("0.0.1")};
    };
}

} // namespace twb::test
