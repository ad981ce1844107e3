#include "DummyPlugin.h"

#include <QObject>

/// Its JSON says "dummyjson", its id() says "dummycode": inconsistent metadata.
class DummyIdMismatchPlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "idmismatch.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyIdMismatchPlugin()
        : DummyModelPlugin(QStringLiteral("dummycode"))
    {}
};

#include "idmismatch.moc"
