#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/DatasetSummary.h"
#include "data/TsLoader.h"

namespace twb::fuzz {

// loadTs as a TRAIN file, then as a file to predict (@classLabel false accepted) with a class
// list given, as `twb-cli predict runs/gp --data X.ts` reads it.
int fuzzTs(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.ts"));
    if (const Expected<LabelledDataset> loaded = loadTs(path))
        (void)summarize(*loaded);
    TsLoadOptions options;
    options.unlabelled = true;
    options.classNames = {QStringLiteral("1"), QStringLiteral("2")};
    if (const Expected<LabelledDataset> loaded = loadTs(path, options))
        (void)summarize(*loaded);
    return 0;
}

} // namespace twb::fuzz
