#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb::test {

/// A model plugin that misbehaves on request (issue 16, plugin faults), for the tests of
/// twb-cli and the window: a linear map over time whose hyperparameter "fault" makes create()
/// throw, forward() throw after some calls, or forward() abort the process. Built into a
/// test-only folder (never among the real plugins, never installed).
class FaultyPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "faulty.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb::test
