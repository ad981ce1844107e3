#include "DatasetLoadJob.h"

#include "client/FileProbe.h"
#include "data/DatasetLoader.h"

#include <QFileInfo>

#include <exception>

namespace twb {

LoadedDataset loadAndSummarize(const QString &pathSpec)
{
    LoadedDataset result;
    result.path = pathSpec;
    if (std::optional<Error> unsafe = probeFileInChild(pathSpec, ProbeKind::Series)) {
        result.error = std::move(unsafe);
        return result;
    }
    try {
        auto loaded = loadSeries(pathSpec);
        if (!loaded) {
            result.error = loaded.error();
            return result;
        }
        auto data = std::make_shared<SeriesDataset>(std::move(loaded).value());
        result.stats = summarize(*data);
        result.data = std::move(data);
    } catch (const std::exception &e) {
        result.error =
            Error{QStringLiteral("cannot be loaded: %1").arg(QString::fromLocal8Bit(e.what())),
                  pathSpec, 0};
    }
    return result;
}

QString displayNameOf(const QString &pathSpec)
{
    const SeriesPathSpec spec = parseSeriesPathSpec(pathSpec);
    QString name = QFileInfo(spec.file).fileName();
    if (!spec.dataset.isEmpty())
        name += QLatin1Char(':') + spec.dataset;
    return name;
}

} // namespace twb
