#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/DatasetSummary.h"
#include "data/Hdf5File.h"
#include "data/Hdf5Series.h"

namespace twb::fuzz {

// loadHdf5Series without a dataset (the project's layout or the only numeric dataset), then
// every dataset the file lists by name, as "file.h5:/group/ds" would pick it.
int fuzzHdf5Series(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.h5"));
    if (const Expected<SeriesDataset> loaded = loadHdf5Series(path))
        (void)summarize(*loaded);
    if (const Expected<Hdf5Reader> reader = Hdf5Reader::open(path)) {
        const QStringList datasets = reader->datasetPaths();
        for (qsizetype i = 0; i < datasets.size() && i < 4; ++i)
            if (const Expected<SeriesDataset> loaded = loadHdf5Series(path, datasets.at(i)))
                (void)summarize(*loaded);
    }
    return 0;
}

} // namespace twb::fuzz
