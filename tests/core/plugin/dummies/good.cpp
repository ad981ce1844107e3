#include "DummyPlugin.h"

/// The well-formed plugin: its id, name and tasks are those of its metadata.
class DummyGoodPlugin : public DummyMetadataPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "good.json")
};

#include "good.moc"
