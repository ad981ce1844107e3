#include "DummyPlugin.h"

#include <QObject>

/// The right interface id but no JSON metadata (no FILE): missing metadata.
class DummyNoMetaPlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid)
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyNoMetaPlugin()
        : DummyModelPlugin(QStringLiteral("dummynometa"))
    {}
};

#include "nometa.moc"
