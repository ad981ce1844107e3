#include "DummyPlugin.h"

#include <QObject>

/// Its JSON lists only forecasting, its tasks() also reconstruction: inconsistent metadata.
class DummyTaskMismatchPlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "taskmismatch.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyTaskMismatchPlugin()
        : DummyModelPlugin(QStringLiteral("dummytasks"),
                           {twb::Task::Forecast, twb::Task::Reconstruct})
    {}
};

#include "taskmismatch.moc"
