#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `minirocket` model plugin: MiniRocket's random-convolution features with a ridge
/// classifier, fitted in one pass (the classification rival of the transformers).
class MiniRocketPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "minirocket.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
