#include "DatasetLoader.h"

#include "CsvLoader.h"
#include "Hdf5File.h"
#include "Hdf5Series.h"

#include <QFileInfo>

namespace twb {

SeriesPathSpec parseSeriesPathSpec(const QString &pathSpec)
{
    if (QFileInfo::exists(pathSpec))
        return {pathSpec, {}};
    const QString separator = QStringLiteral(":/");
    qsizetype fallback = -1;
    for (qsizetype at = pathSpec.lastIndexOf(separator); at > 0;
         at = pathSpec.lastIndexOf(separator, at - 1)) {
        if (fallback < 0)
            fallback = at;
        if (QFileInfo(pathSpec.left(at)).isFile())
            return {pathSpec.left(at), pathSpec.mid(at + 1)};
    }
    if (fallback > 0)
        return {pathSpec.left(fallback), pathSpec.mid(fallback + 1)};
    return {pathSpec, {}};
}

Expected<SeriesDataset> loadSeries(const QString &pathSpec)
{
    const SeriesPathSpec spec = parseSeriesPathSpec(pathSpec);
    const QString suffix = QFileInfo(spec.file).suffix().toLower();
    const bool csvName = suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") ||
                         suffix == QLatin1String("txt");
    const bool hdf5Name = suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5") ||
                          suffix == QLatin1String("he5");
    if (!QFileInfo::exists(spec.file))
        return Error{QStringLiteral("the file does not exist"), spec.file};

    const bool hdf5 = hdf5Name || (!csvName && isHdf5File(spec.file));
    if (hdf5)
        return loadHdf5Series(spec.file, spec.dataset);
    if (!spec.dataset.isEmpty())
        return Error{QStringLiteral("'%1' picks a dataset inside an HDF5 file, but this is not "
                                    "an HDF5 file")
                         .arg(spec.dataset),
                     spec.file};
    return loadCsv(spec.file);
}

} // namespace twb
