#include "Hdf5Series.h"

#include "Hdf5File.h"
#include "TimeAxis.h"
#include "common/WholeNumber.h"

namespace twb {

namespace {

QString normalized(const QString &datasetPath)
{
    return datasetPath.startsWith(QLatin1Char('/')) ? datasetPath : QLatin1Char('/') + datasetPath;
}

bool hasOwnLayout(const Hdf5Reader &reader)
{
    const auto format = reader.stringAttribute(QStringLiteral("/"), QStringLiteral("format"));
    return format && *format == QLatin1String(hdf5SeriesFormat);
}

Expected<SeriesDataset> loadOwnLayout(const Hdf5Reader &reader)
{
    const QString path = reader.path();
    auto values = reader.readFloatArray(QStringLiteral("/values"));
    if (!values)
        return values.error();
    if (values->dims.size() != 2)
        return Error{QStringLiteral("'/values' must be 2-D [time, channels] in the %1 layout, "
                                    "it has rank %2")
                         .arg(QLatin1String(hdf5SeriesFormat))
                         .arg(values->dims.size()),
                     path};
    const std::int64_t rows = values->dims[0];
    const std::int64_t channels = values->dims[1];
    auto names = reader.readStrings(QStringLiteral("/channel_names"));
    if (!names)
        return names.error();
    if (names->size() != channels)
        return Error{QStringLiteral("'/channel_names' has %1 names for %2 channels")
                         .arg(names->size())
                         .arg(channels),
                     path};
    SeriesDataset data;
    data.sourcePath = path;
    data.channelNames = *names;
    data.values = std::move(values->values);
    if (reader.hasDataset(QStringLiteral("/timestamps"))) {
        auto stamps = reader.readArray(QStringLiteral("/timestamps"));
        if (!stamps)
            return stamps.error();
        if (stamps->dims.size() != 1 || stamps->dims[0] != rows)
            return Error{QStringLiteral("'/timestamps' must be 1-D with %1 entries").arg(rows),
                         path};
        data.timestamps.reserve(std::size_t(rows));
        TimeAxisCheck timeAxis;
        for (double value : stamps->values) {
            const std::optional<std::int64_t> ms = wholeNumber(value);
            const QString problem =
                ms ? timeAxis.add(*ms)
                   : QStringLiteral("%1 is not a whole number of milliseconds").arg(value);
            if (!problem.isEmpty())
                return Error{QStringLiteral("'/timestamps' entry %1: %2")
                                 .arg(data.timestamps.size())
                                 .arg(problem),
                             path};
            data.timestamps.push_back(*ms);
        }
        const auto timeColumn =
            reader.stringAttribute(QStringLiteral("/"), QStringLiteral("time_column"));
        data.timeColumn = timeColumn ? *timeColumn : QStringLiteral("time");
    }
    data.recountMissing();
    return data;
}

Expected<SeriesDataset> loadForeignDataset(const Hdf5Reader &reader, const QString &datasetPath)
{
    const QString path = reader.path();
    if (!reader.hasDataset(datasetPath))
        return Error{QStringLiteral("no dataset '%1' in the file (datasets: %2)")
                         .arg(datasetPath, reader.datasetPaths().join(QStringLiteral(", "))),
                     path};
    auto dims = reader.datasetDims(datasetPath);
    if (!dims)
        return dims.error();
    if (dims->size() != 1 && dims->size() != 2)
        return Error{QStringLiteral("the dataset '%1' has rank %2; only 1-D [time] and 2-D "
                                    "[time, channels] data can be loaded as a series")
                         .arg(datasetPath)
                         .arg(dims->size()),
                     path};
    auto values = reader.readFloatArray(datasetPath);
    if (!values)
        return values.error();
    const std::int64_t channels = values->dims.size() == 2 ? values->dims[1] : 1;
    if (channels == 0)
        return Error{QStringLiteral("the dataset '%1' has no channels (shape [%2, 0])")
                         .arg(datasetPath)
                         .arg(values->dims[0]),
                     path};

    const QString base = datasetPath.section(QLatin1Char('/'), -1);
    QStringList names;
    const QString namesAttribute = QStringLiteral("channel_names");
    if (reader.hasAttribute(datasetPath, namesAttribute)) {
        auto given = reader.stringListAttribute(datasetPath, namesAttribute);
        if (!given)
            return given.error();
        if (given->size() != channels)
            return Error{QStringLiteral("the attribute 'channel_names' of '%1' has %2 names for "
                                        "%3 channels")
                             .arg(datasetPath)
                             .arg(given->size())
                             .arg(channels),
                         path};
        names = *given;
    } else if (values->dims.size() == 1) {
        names.append(base);
    } else {
        for (std::int64_t i = 0; i < channels; ++i)
            names.append(QStringLiteral("%1[%2]").arg(base).arg(i));
    }
    if (names.removeDuplicates() > 0)
        return Error{
            QStringLiteral("the attribute 'channel_names' of '%1' repeats a name").arg(datasetPath),
            path};

    SeriesDataset data;
    data.sourcePath = path;
    data.channelNames = names;
    data.values = std::move(values->values);
    data.recountMissing();
    return data;
}

} // namespace

Expected<SeriesDataset> loadHdf5Series(const QString &path, const QString &datasetPath)
{
    auto reader = Hdf5Reader::open(path);
    if (!reader)
        return reader.error();
    const bool own = hasOwnLayout(*reader);
    if (!datasetPath.isEmpty()) {
        const QString dataset = normalized(datasetPath);
        if (own && dataset == QLatin1String("/values"))
            return loadOwnLayout(*reader);
        return loadForeignDataset(*reader, dataset);
    }
    if (own)
        return loadOwnLayout(*reader);

    const QStringList all = reader->datasetPaths();
    QStringList candidates;
    for (const QString &dataset : all) {
        const auto dims = reader->datasetDims(dataset);
        if (dims && (dims->size() == 1 || dims->size() == 2) && reader->isNumericDataset(dataset))
            candidates.append(dataset);
    }
    if (candidates.size() == 1)
        return loadForeignDataset(*reader, candidates.front());
    if (candidates.isEmpty())
        return Error{all.isEmpty()
                         ? QStringLiteral("the HDF5 file holds no dataset")
                         : QStringLiteral("no 1-D or 2-D numeric dataset in the file (datasets: "
                                          "%1)")
                               .arg(all.join(QStringLiteral(", "))),
                     path};
    return Error{QStringLiteral("the file holds several numeric datasets; pick one as "
                                "\"file.h5:/path\": %1")
                     .arg(candidates.join(QStringLiteral(", "))),
                 path};
}

Status saveHdf5Series(const SeriesDataset &data, const QString &path)
{
    const std::int64_t channels = data.channels();
    if (channels == 0)
        return Error{QStringLiteral("cannot save a series without channels"), path};
    if (std::int64_t(data.values.size()) % channels != 0)
        return Error{QStringLiteral("the series has %1 values, not a multiple of its %2 channels")
                         .arg(data.values.size())
                         .arg(channels),
                     path};
    const std::int64_t rows = data.rows();
    if (data.hasTimestamps() && std::int64_t(data.timestamps.size()) != rows)
        return Error{QStringLiteral("the series has %1 timestamps for %2 rows")
                         .arg(data.timestamps.size())
                         .arg(rows),
                     path};

    auto writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    if (Status s =
            writer->writeFloats(QStringLiteral("/values"), data.values.data(), {rows, channels});
        !s)
        return s;
    if (Status s = writer->writeStrings(QStringLiteral("/channel_names"), data.channelNames); !s)
        return s;
    const QString root = QStringLiteral("/");
    if (data.hasTimestamps()) {
        if (Status s =
                writer->writeInt64s(QStringLiteral("/timestamps"), data.timestamps.data(), {rows});
            !s)
            return s;
        if (Status s = writer->setAttribute(root, QStringLiteral("time_column"),
                                            data.timeColumn.isEmpty() ? QStringLiteral("time")
                                                                      : data.timeColumn);
            !s)
            return s;
    }
    if (Status s = writer->setAttribute(root, QStringLiteral("format"),
                                        QString::fromLatin1(hdf5SeriesFormat));
        !s)
        return s;
    return writer->commit();
}

} // namespace twb
