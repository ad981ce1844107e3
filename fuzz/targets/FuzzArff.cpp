#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/ArffLoader.h"
#include "data/DatasetSummary.h"

namespace twb::fuzz {

// loadArff (univariate numeric attributes or one relational attribute, then the class).
int fuzzArff(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.arff"));
    if (const Expected<LabelledDataset> loaded = loadArff(path))
        (void)summarize(*loaded);
    return 0;
}

} // namespace twb::fuzz
