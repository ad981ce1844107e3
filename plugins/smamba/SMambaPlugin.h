#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `smamba` model plugin: S-Mamba (variates as tokens, bidirectional Mamba) for
/// forecasting. Hyperparameter defaults are the official ETTh1 settings (SMamba.h).
class SMambaPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "smamba.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
