#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `fedformer` model plugin: FEDformer (Fourier-enhanced blocks, series decomposition) for
/// forecasting.
class FEDformerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "fedformer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
