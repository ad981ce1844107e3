#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/CsvLoader.h"
#include "data/DatasetSummary.h"

namespace twb::fuzz {

// loadCsv with the delimiter and the time column detected, then the statistics that
// `twb-cli inspect data.csv` prints.
int fuzzCsv(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.csv"));
    const Expected<SeriesDataset> loaded = loadCsv(path);
    if (loaded)
        (void)summarize(*loaded);
    return 0;
}

} // namespace twb::fuzz
