#include "DummyPlugin.h"

#include <QObject>

/// A well-formed plugin that claims the id of the good one: the second found is refused.
class DummyDuplicatePlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "duplicate.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyDuplicatePlugin()
        : DummyModelPlugin(QStringLiteral("dummygood"))
    {}
};

#include "duplicate.moc"
