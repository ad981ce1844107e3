#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `timesnet` model plugin: TimesNet of Wu et al. for forecasting and classification.
class TimesNetPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "timesnet.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    /// Classify: top_k 3 (scripts/classification/TimesNet.sh uses 3 for most data sets).
    QVariantMap taskDefaults(Task task) const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
