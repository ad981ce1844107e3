#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `autoformer` model plugin: Autoformer (auto-correlation, series decomposition) for
/// forecasting.
class AutoformerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "autoformer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
