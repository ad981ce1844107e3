#include "DummyPlugin.h"

#include <QObject>

/// The well-formed plugin: metadata and interface agree.
class DummyGoodPlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "good.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyGoodPlugin()
        : DummyModelPlugin(QStringLiteral("dummygood"), {twb::Task::Forecast, twb::Task::Classify})
    {}
};

#include "good.moc"
