#include "ForecastRun.h"

#include "FileProbe.h"
#include "RunFolder.h"
#include "data/Hdf5File.h"

#include <QDir>
#include <QFileInfo>

namespace twb {

Expected<ForecastRunData> readForecastRun(const QString &runDir)
{
    Expected<RunFolder> folder = openRunFolder(runDir);
    if (!folder)
        return folder.error();
    const QString path = folder->store.filePath(QStringLiteral("predictions.h5"));
    if (!QFileInfo::exists(path))
        return Error{QStringLiteral("no predictions yet (the run has not finished)"), path};
    if (std::optional<Error> unsafe = probeFileInChild(path, ProbeKind::Predictions))
        return *unsafe;
    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    if (!reader)
        return reader.error();
    Expected<PredictionsRecord> record = readPredictions(*reader);
    if (!record)
        return record.error();

    ForecastRunData run;
    run.runDir = QDir(runDir).absolutePath();
    run.predictions = std::move(*record);
    run.lookback = folder->config.value(QStringLiteral("lookback")).toInteger();
    run.target = folder->config.value(QStringLiteral("target")).toString();
    return run;
}

} // namespace twb
