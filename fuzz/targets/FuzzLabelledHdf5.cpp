#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/DatasetSummary.h"
#include "data/LabelledHdf5.h"

namespace twb::fuzz {

// loadLabelledHdf5 (the "twb-labelled-1" layout), as `--data cases.h5 --task classify`.
int fuzzLabelledHdf5(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.h5"));
    (void)isLabelledHdf5(path);
    if (const Expected<LabelledDataset> loaded = loadLabelledHdf5(path))
        (void)summarize(*loaded);
    return 0;
}

} // namespace twb::fuzz
