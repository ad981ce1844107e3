#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `t2` model plugin: the t2-style encoder (global average pooling) for classifying
/// sequences.
class T2Plugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "t2.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
