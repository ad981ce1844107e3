#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `tst` model plugin: the time-series Transformer of Zerveas et al. for classifying
/// multivariate sequences.
class TSTPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "tst.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
