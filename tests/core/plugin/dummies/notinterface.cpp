#include "plugin/ModelPlugin.h"

#include <QObject>

/// Valid metadata, but the plugin object does not implement twb::ModelPlugin.
class DummyNotInterfacePlugin : public QObject
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "notinterface.json")
};

#include "notinterface.moc"
