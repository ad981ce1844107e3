#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `dtw` model plugin: 1-nearest-neighbour classification with dynamic time warping,
/// fitted in one pass (the classic baseline of the UCR archive).
class DtwPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "dtw.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
