#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `convtasnet` model plugin: Conv-TasNet for speech separation (task "separate").
/// Hyperparameter defaults: the small configuration of ConvTasNet.h.
class ConvTasNetPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "convtasnet.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
