#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `sepformer` model plugin: SepFormer for speech separation (task "separate").
/// Hyperparameter defaults: the small configuration of SepFormer.h.
class SepFormerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "sepformer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
