#pragma once

#include "plugin/ModelPluginBase.h"

namespace twb {

/// The `ast` model plugin: the Audio Spectrogram Transformer for classifying sounds from
/// their log-mel or fbank spectrograms.
class ASTPlugin : public ModelPluginBase
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "ast.json")

public:
    QString description() const override;
    QString paper() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
