#pragma once

#include "plugin/ModelPlugin.h"

#include <QObject>

namespace twb {

/// The `t2` model plugin: the t2-style encoder (global average pooling) for classifying
/// sequences.
class T2Plugin : public QObject, public ModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "t2.json")
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
