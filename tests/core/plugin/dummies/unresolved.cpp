#include "DummyPlugin.h"

#include <QObject>

// Declared, called, never defined anywhere: the library links (shared libraries may have
// undefined symbols) but cannot be loaded with every symbol resolved.
extern "C" int twbDummyUndefinedSymbol(int);

/// Valid metadata, but its library fails to load.
class DummyUnresolvedPlugin : public QObject, public DummyModelPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "unresolved.json")
    Q_INTERFACES(twb::ModelPlugin)

public:
    DummyUnresolvedPlugin()
        : DummyModelPlugin(QStringLiteral("dummyunresolved"))
    {}

    QString paper() const override
    {
        return QString::number(twbDummyUndefinedSymbol(int(id().size())));
    }
};

#include "unresolved.moc"
