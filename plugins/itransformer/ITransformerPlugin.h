#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `itransformer` model plugin: iTransformer (variates as tokens) for forecasting.
class ITransformerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "itransformer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
