#pragma once

#include "plugin/ModelPlugin.h"

#include <QObject>

namespace twb {

/// The `ast` model plugin: the Audio Spectrogram Transformer for classifying sounds from
/// their log-mel or fbank spectrograms.
class ASTPlugin : public QObject, public ModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "ast.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    QString id() const override;
    QString displayName() const override;
    QString description() const override;
    QString paper() const override;
    QList<Task> tasks() const override;
    HyperparameterSchema hyperparameters() const override;
    Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                            const HyperparameterValues &values) const override;
};

} // namespace twb
