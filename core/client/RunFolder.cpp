#include "RunFolder.h"

namespace twb {

Expected<RunFolder> openRunFolder(const QString &runDir)
{
    Expected<RunStore> store = RunStore::open(runDir);
    if (!store)
        return store.error();
    Expected<QJsonObject> config = store->readConfig();
    if (!config)
        return config.error();
    return RunFolder{std::move(*store), std::move(*config)};
}

} // namespace twb
