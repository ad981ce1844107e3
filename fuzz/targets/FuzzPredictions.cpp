#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "data/Hdf5File.h"
#include "runs/ClassPredictionsFile.h"
#include "runs/PredictionsFile.h"

namespace twb::fuzz {

// predictions.h5 of a run, read as a forecast run's (readPredictions) and as a classification
// run's (readClassPredictionsFile).
int fuzzPredictions(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("predictions.h5"));
    if (const Expected<Hdf5Reader> reader = Hdf5Reader::open(path))
        (void)readPredictions(*reader);
    (void)readClassPredictionsFile(path);
    return 0;
}

} // namespace twb::fuzz
