#include "DatasetLoader.h"

#include "ArffLoader.h"
#include "CsvLoader.h"
#include "Hdf5File.h"
#include "Hdf5Series.h"
#include "LabelledHdf5.h"
#include "TsLoader.h"

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

Expected<LabelledDataset> loadLabelledTable(const QString &path, const LabelledLoadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file does not exist"), path};
    if (!info.isFile())
        return Error{QStringLiteral("not a file (labelled tables are .ts, .arff or .h5 files)"),
                     path};
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("ts"))
        return loadTs(path, TsLoadOptions{options.classNames, options.unlabelled});
    if (suffix == QLatin1String("arff"))
        return loadArff(path, ArffLoadOptions{options.classNames});
    const bool hdf5Name = suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5") ||
                          suffix == QLatin1String("he5");
    if (hdf5Name || isHdf5File(path)) {
        auto data = loadLabelledHdf5(path);
        if (!data || options.classNames.isEmpty() || data->classNames == options.classNames)
            return data;
        // Map the stored labels onto the given class list by name.
        for (LabelledCase &c : data->cases) {
            const QString name = data->classNames.at(c.label);
            c.label = int(options.classNames.indexOf(name));
            if (c.label < 0)
                return Error{QStringLiteral("class '%1' of case '%2' is not one of the given "
                                            "classes (%3)")
                                 .arg(name, c.source, options.classNames.join(QLatin1Char(' '))),
                             path};
        }
        data->classNames = options.classNames;
        return data;
    }
    return Error{QStringLiteral("unknown labelled format '.%1': expected .ts, .arff or an HDF5 "
                                "file in the %2 layout")
                     .arg(suffix, QLatin1String(hdf5LabelledFormat)),
                 path};
}

} // namespace twb
