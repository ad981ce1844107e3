#pragma once

#include "plugin/ModelPlugin.h"
#include "plugin/ModelPluginBase.h"

#include <QString>

#include <memory>
#include <utility>

/// The shared body of the registry's test plugins on top of `Interface`: a description, a
/// small schema, and create() that refuses (the registry tests need no torch). Each dummy adds
/// its metadata.
template<typename Interface>
class DummyBody : public Interface
{
public:
    QString description() const override
    {
        return QStringLiteral("A test fixture of the plugin registry; it creates no model.");
    }
    QString paper() const override { return QStringLiteral("None (test fixture), 2024."); }
    twb::HyperparameterSchema hyperparameters() const override
    {
        using twb::HyperparameterSpec;
        return twb::HyperparameterSchema(
            {HyperparameterSpec::integer(QStringLiteral("d_model"), QStringLiteral("Model width"),
                                         16, 1, 64, QStringLiteral("Width of a token.")),
             HyperparameterSpec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), 0.1,
                                      0.0, 1.0, QStringLiteral("Dropout probability."))});
    }
    twb::Expected<std::shared_ptr<twb::Model>>
    create(const twb::ModelSpec &, const twb::HyperparameterValues &) const override
    {
        return twb::Error{
            QStringLiteral("dummy plugin \"%1\" creates no model").arg(this->id()), {}, 0};
    }
};

/// A dummy whose id, name and tasks come from its JSON, as the real plugins'.
using DummyMetadataPlugin = DummyBody<twb::ModelPluginBase>;

/// A dummy that implements twb::ModelPlugin directly: its C++ states id and tasks again (and may
/// contradict its JSON). The dummy adds its QObject.
class DummyModelPlugin : public DummyBody<twb::ModelPlugin>
{
public:
    explicit DummyModelPlugin(QString id, QList<twb::Task> tasks = {twb::Task::Forecast})
        : m_id(std::move(id))
        , m_tasks(std::move(tasks))
    {}

    QString id() const override { return m_id; }
    QString displayName() const override { return QStringLiteral("Dummy ") + m_id; }
    QList<twb::Task> tasks() const override { return m_tasks; }

private:
    QString m_id;
    QList<twb::Task> m_tasks;
};
