#include "DummyPlugin.h"

/// A well-formed plugin that claims the id of the good one: the second found is refused.
class DummyDuplicatePlugin : public DummyMetadataPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "duplicate.json")
};

#include "duplicate.moc"
