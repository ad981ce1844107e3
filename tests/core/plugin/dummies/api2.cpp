#include "DummyPlugin.h"

#include <QObject>

/// Built "for" plugin API 2: refused from its metadata, before any of its code runs.
class DummyApi2Plugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "org.twb.ModelPlugin/2" FILE "api2.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyApi2Plugin()
        : DummyModelPlugin(QStringLiteral("dummyapi2"))
    {}
};

#include "api2.moc"
