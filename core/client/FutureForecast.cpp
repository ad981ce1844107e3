#include "FutureForecast.h"

#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"

#include <QFileInfo>

namespace twb {

namespace {

Expected<FutureForecast> loadHdf5(const QString &path)
{
    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    if (!reader)
        return reader.error();
    Expected<Hdf5FloatArray> forecast = reader->readFloatArray(QStringLiteral("/forecast"));
    if (!forecast)
        return forecast.error();
    if (forecast->dims.size() != 3 || forecast->dims[0] < 1 || forecast->dims[1] < 1)
        return Error{QStringLiteral("/forecast is not a [windows, horizon, channels] array"), path};
    Expected<QStringList> names = reader->readStrings(QStringLiteral("/channel_names"));
    if (!names)
        return names.error();
    const std::int64_t windows = forecast->dims[0];
    FutureForecast f;
    f.sourcePath = path;
    f.horizon = forecast->dims[1];
    const std::int64_t channels = forecast->dims[2];
    if (names->size() != channels)
        return Error{QStringLiteral("/channel_names has %1 names for %2 channels")
                         .arg(names->size())
                         .arg(channels),
                     path};
    f.channelNames = *names;
    const std::int64_t offset = (windows - 1) * f.horizon * channels;
    f.values.assign(forecast->values.begin() + offset,
                    forecast->values.begin() + offset + f.horizon * channels);
    f.timestamped = reader->hasDataset(QStringLiteral("/time"));
    Expected<Hdf5Array> times =
        reader->readArray(f.timestamped ? QStringLiteral("/time") : QStringLiteral("/row"));
    if (!times)
        return times.error();
    if (std::int64_t(times->values.size()) != windows * f.horizon)
        return Error{QStringLiteral("the time steps do not match /forecast"), path};
    for (std::int64_t h = 0; h < f.horizon; ++h)
        f.times.push_back(std::int64_t(times->values[std::size_t((windows - 1) * f.horizon + h)]));
    return f;
}

Expected<FutureForecast> loadCsv(const QString &path)
{
    Expected<SeriesDataset> data = loadSeries(path);
    if (!data)
        return data.error();
    FutureForecast f;
    f.sourcePath = path;
    f.timestamped = data->hasTimestamps();
    f.channelNames = data->channelNames;
    // Without a time axis the first column holds row numbers and is read as a channel.
    int rowColumn = -1;
    if (!f.timestamped && !f.channelNames.isEmpty() &&
        f.channelNames.first().compare(QLatin1String("date"), Qt::CaseInsensitive) == 0)
        rowColumn = 0;
    if (f.channelNames.contains(QStringLiteral("origin")))
        return Error{QStringLiteral("a forecast of every window (--all-windows) is not supported "
                                    "here; write the last window only"),
                     path};
    const std::int64_t rows = data->rows();
    const std::int64_t channels = data->channels();
    if (rowColumn == 0)
        f.channelNames.removeFirst();
    f.horizon = rows;
    for (std::int64_t r = 0; r < rows; ++r) {
        f.times.push_back(f.timestamped    ? data->timestamps[std::size_t(r)]
                          : rowColumn == 0 ? std::int64_t(data->at(r, 0))
                                           : r);
        for (std::int64_t c = rowColumn == 0 ? 1 : 0; c < channels; ++c)
            f.values.push_back(data->at(r, c));
    }
    if (f.horizon < 1 || f.channelNames.isEmpty())
        return Error{QStringLiteral("no forecast rows"), path};
    return f;
}

} // namespace

Expected<FutureForecast> loadFutureForecast(const QString &path)
{
    if (!QFileInfo::exists(path))
        return Error{QStringLiteral("file does not exist"), path};
    if (isHdf5File(path))
        return loadHdf5(path);
    return loadCsv(path);
}

} // namespace twb
