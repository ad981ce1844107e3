#include "PredictionsFile.h"
#include "common/Errors.h"
#include "common/WholeNumber.h"

namespace twb {

Status writePredictions(Hdf5Writer &writer, const PredictionsRecord &record)
{
    const ForecastPredictions &v = record.values;
    const std::vector<std::int64_t> dims{v.windows, v.horizon, v.channels};
    const std::vector<std::int64_t> windowDims{std::int64_t(record.windowStartRows.size())};
    const std::pair<const char *, const std::vector<float> *> arrays[] = {
        {"/predictions/normalised", &v.prediction},
        {"/predictions/original", &v.predictionOriginal},
        {"/truth/normalised", &v.truth},
        {"/truth/original", &v.truthOriginal},
    };
    for (const auto &[path, data] : arrays)
        if (Status s = writer.writeFloats(QLatin1String(path), data->data(), dims); !s)
            return s;
    if (Status s = writer.writeInt64s(QStringLiteral("/windows/start_row"),
                                      record.windowStartRows.data(), windowDims);
        !s)
        return s;
    if (!record.windowStartTimes.empty()) {
        if (Status s = writer.writeInt64s(QStringLiteral("/windows/start_time"),
                                          record.windowStartTimes.data(), windowDims);
            !s)
            return s;
        if (Status s = writer.writeInt64s(QStringLiteral("/windows/forecast_start_time"),
                                          record.forecastStartTimes.data(), windowDims);
            !s)
            return s;
    }
    if (Status s = writer.writeStrings(QStringLiteral("/channel_names"), record.channelNames); !s)
        return s;
    if (Status s = writer.setAttribute(QStringLiteral("/predictions"), QStringLiteral("split"),
                                       record.split);
        !s)
        return s;
    if (Status s = writer.setAttribute(QStringLiteral("/predictions"), QStringLiteral("horizon"),
                                       std::int64_t(v.horizon));
        !s)
        return s;
    return writer.setAttribute(
        QStringLiteral("/predictions"), QStringLiteral("units"),
        QStringLiteral("normalised: z-scores with the train part's statistics; original: the "
                       "data's units. Times in ms since 1970-01-01 UTC."));
}

Status writePredictionsFile(const QString &path, const PredictionsRecord &record)
{
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    if (Status s = writePredictions(*writer, record); !s)
        return s;
    return writer->commit();
}

Expected<PredictionsRecord> readPredictions(const Hdf5Reader &reader)
{
    PredictionsRecord r;
    auto floats = [&](const QString &path, std::vector<float> &out,
                      std::vector<std::int64_t> *dims) -> Status {
        Expected<Hdf5FloatArray> a = reader.readFloatArray(path);
        if (!a)
            return a.error();
        if (a->dims.size() != 3)
            return makeError(QStringLiteral("%1 is not [windows, horizon, channels]").arg(path),
                             reader.path());
        out = std::move(a->values);
        if (dims)
            *dims = a->dims;
        return {};
    };
    std::vector<std::int64_t> dims;
    ForecastPredictions &v = r.values;
    if (Status s = floats(QStringLiteral("/predictions/normalised"), v.prediction, &dims); !s)
        return s.error();
    v.windows = dims[0];
    v.horizon = dims[1];
    v.channels = dims[2];
    if (Status s = floats(QStringLiteral("/predictions/original"), v.predictionOriginal, nullptr);
        !s)
        return s.error();
    if (Status s = floats(QStringLiteral("/truth/normalised"), v.truth, nullptr); !s)
        return s.error();
    if (Status s = floats(QStringLiteral("/truth/original"), v.truthOriginal, nullptr); !s)
        return s.error();
    auto ints = [&](const QString &path, std::vector<std::int64_t> &out) -> Status {
        Expected<Hdf5Array> a = reader.readArray(path);
        if (!a)
            return a.error();
        out.clear();
        out.reserve(a->values.size());
        for (double v : a->values) {
            const std::optional<std::int64_t> whole = wholeNumber(v);
            if (!whole)
                return makeError(QStringLiteral("%1 holds %2, not a whole number").arg(path).arg(v),
                                 reader.path());
            out.push_back(*whole);
        }
        return {};
    };
    if (Status s = ints(QStringLiteral("/windows/start_row"), r.windowStartRows); !s)
        return s.error();
    if (reader.hasDataset(QStringLiteral("/windows/start_time"))) {
        if (Status s = ints(QStringLiteral("/windows/start_time"), r.windowStartTimes); !s)
            return s.error();
        if (Status s = ints(QStringLiteral("/windows/forecast_start_time"), r.forecastStartTimes);
            !s)
            return s.error();
    }
    Expected<QStringList> names = reader.readStrings(QStringLiteral("/channel_names"));
    if (!names)
        return names.error();
    r.channelNames = *names;
    Expected<QString> split =
        reader.stringAttribute(QStringLiteral("/predictions"), QStringLiteral("split"));
    if (split)
        r.split = *split;
    return r;
}

} // namespace twb
