#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `crossformer` model plugin: Crossformer for multivariate forecasting.
class CrossformerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "crossformer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
