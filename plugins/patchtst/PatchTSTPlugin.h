#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `patchtst` model plugin: PatchTST for forecasting, and its self-supervised pretraining
/// (masked patch reconstruction, task "reconstruct").
class PatchTSTPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "patchtst.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    /// Pretraining (Task::Reconstruct): patch_len = stride = 12.
    QVariantMap taskDefaults(Task task) const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
