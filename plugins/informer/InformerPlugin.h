#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `informer` model plugin: Informer (ProbSparse attention, distilling) for forecasting.
class InformerPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "informer.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
