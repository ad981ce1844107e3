#include "LabelledHdf5.h"

#include "Hdf5File.h"

#include <cmath>

namespace twb {

namespace {

const QString root = QStringLiteral("/");

Status checkSavable(const LabelledDataset &data, const QString &path)
{
    const std::int64_t channels = data.channels();
    if (data.cases.empty())
        return Error{QStringLiteral("cannot save a labelled data set without cases"), path};
    if (channels == 0)
        return Error{QStringLiteral("cannot save a labelled data set without channels"), path};
    for (std::size_t i = 0; i < data.cases.size(); ++i) {
        const LabelledCase &c = data.cases[i];
        if (c.length < 0 || std::int64_t(c.values.size()) != c.length * channels)
            return Error{QStringLiteral("case %1 has %2 values, expected length %3 x %4 channels")
                             .arg(i)
                             .arg(c.values.size())
                             .arg(c.length)
                             .arg(channels),
                         path};
        if (c.label < 0 || c.label >= data.classNames.size())
            return Error{QStringLiteral("case %1 has the label %2, outside the %3 classes")
                             .arg(i)
                             .arg(c.label)
                             .arg(data.classNames.size()),
                         path};
    }
    return Status::ok();
}

} // namespace

Status saveLabelledHdf5(const LabelledDataset &data, const QString &path)
{
    if (Status s = checkSavable(data, path); !s)
        return s;
    const std::int64_t channels = data.channels();
    std::vector<std::int64_t> offsets{0};
    std::vector<std::int64_t> labels;
    QStringList sources;
    for (const LabelledCase &c : data.cases) {
        offsets.push_back(offsets.back() + c.length);
        labels.push_back(c.label);
        sources.append(c.source);
    }
    std::vector<float> values;
    values.reserve(std::size_t(offsets.back() * channels));
    for (const LabelledCase &c : data.cases)
        values.insert(values.end(), c.values.begin(), c.values.end());

    auto writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    const std::int64_t cases = data.size();
    Status s =
        writer->writeFloats(QStringLiteral("/values"), values.data(), {offsets.back(), channels});
    if (s)
        s = writer->writeInt64s(QStringLiteral("/offsets"), offsets.data(), {cases + 1});
    if (s)
        s = writer->writeInt64s(QStringLiteral("/labels"), labels.data(), {cases});
    if (s)
        s = writer->writeStrings(QStringLiteral("/sources"), sources);
    if (s && !data.skipped.isEmpty())
        s = writer->writeStrings(QStringLiteral("/skipped"), data.skipped);
    if (s)
        s = writer->setAttribute(root, QStringLiteral("format"),
                                 QString::fromLatin1(hdf5LabelledFormat));
    if (s)
        s = writer->setAttribute(root, QStringLiteral("class_names"), data.classNames);
    if (s)
        s = writer->setAttribute(root, QStringLiteral("channel_names"), data.channelNames);
    if (s)
        s = writer->setAttribute(root, QStringLiteral("sample_rate"), data.sampleRate);
    if (s)
        s = writer->setAttribute(root, QStringLiteral("source_path"), data.sourcePath);
    if (!s)
        return s;
    return writer->commit();
}

Expected<LabelledDataset> loadLabelledHdf5(const QString &path)
{
    auto reader = Hdf5Reader::open(path);
    if (!reader)
        return reader.error();
    const auto format = reader->stringAttribute(root, QStringLiteral("format"));
    if (!format || *format != QLatin1String(hdf5LabelledFormat))
        return Error{QStringLiteral("not a labelled data set: the root attribute 'format' is not "
                                    "'%1'")
                         .arg(QLatin1String(hdf5LabelledFormat)),
                     path};
    LabelledDataset data;
    data.sourcePath = path;
    auto classNames = reader->stringListAttribute(root, QStringLiteral("class_names"));
    if (!classNames)
        return classNames.error();
    auto channelNames = reader->stringListAttribute(root, QStringLiteral("channel_names"));
    if (!channelNames)
        return channelNames.error();
    auto rate = reader->numberAttribute(root, QStringLiteral("sample_rate"));
    if (!rate)
        return rate.error();
    data.classNames = *classNames;
    data.channelNames = *channelNames;
    data.sampleRate = *rate;

    auto values = reader->readFloatArray(QStringLiteral("/values"));
    if (!values)
        return values.error();
    auto offsets = reader->readArray(QStringLiteral("/offsets"));
    if (!offsets)
        return offsets.error();
    auto labels = reader->readArray(QStringLiteral("/labels"));
    if (!labels)
        return labels.error();
    auto sources = reader->readStrings(QStringLiteral("/sources"));
    if (!sources)
        return sources.error();
    if (reader->hasDataset(QStringLiteral("/skipped"))) {
        auto skipped = reader->readStrings(QStringLiteral("/skipped"));
        if (!skipped)
            return skipped.error();
        data.skipped = *skipped;
    }

    const std::int64_t channels = data.channels();
    if (values->dims.size() != 2 || values->dims[1] != channels)
        return Error{
            QStringLiteral("'/values' must be 2-D [total_samples, %1 channels]").arg(channels),
            path};
    const std::int64_t total = values->dims[0];
    const std::int64_t cases = std::int64_t(labels->values.size());
    if (labels->dims.size() != 1 || std::int64_t(offsets->values.size()) != cases + 1 ||
        sources->size() != cases)
        return Error{QStringLiteral("'/offsets' must have one entry more than '/labels' (%1) and "
                                    "'/sources' one per case")
                         .arg(cases),
                     path};
    // Every offset is checked before any case is cut out of '/values': a whole number in
    // [0, total], never decreasing (an offset past the rows would read outside the array, and a
    // double outside the int64 range cannot even be converted).
    if (offsets->values.front() != 0 || offsets->values.back() != double(total))
        return Error{QStringLiteral("'/offsets' must start at 0 and end at %1, the rows of "
                                    "'/values'")
                         .arg(total),
                     path};
    for (std::size_t i = 1; i < offsets->values.size(); ++i) {
        const double offset = offsets->values[i];
        if (!(offset >= offsets->values[i - 1] && offset <= double(total)) ||
            offset != std::floor(offset))
            return Error{QStringLiteral("'/offsets' holds %1 at case %2: offsets must be whole "
                                        "numbers that never decrease, from 0 to %3")
                             .arg(offset)
                             .arg(qint64(i))
                             .arg(total),
                         path};
    }
    data.cases.reserve(std::size_t(cases));
    for (std::int64_t i = 0; i < cases; ++i) {
        const auto begin = std::int64_t(offsets->values[std::size_t(i)]);
        const auto end = std::int64_t(offsets->values[std::size_t(i + 1)]);
        const double label = labels->values[std::size_t(i)];
        if (!(label >= 0 && label < data.classNames.size()) || label != std::floor(label))
            return Error{QStringLiteral("case %1 has the label %2, outside the %3 classes")
                             .arg(i)
                             .arg(label)
                             .arg(data.classNames.size()),
                         path};
        LabelledCase c;
        c.length = end - begin;
        c.label = int(label);
        c.source = sources->at(i);
        c.values.assign(values->values.begin() + begin * channels,
                        values->values.begin() + end * channels);
        for (float v : c.values)
            if (std::isnan(v))
                ++data.missingValues;
        data.cases.push_back(std::move(c));
    }
    return data;
}

bool isLabelledHdf5(const QString &path)
{
    if (!isHdf5File(path))
        return false;
    auto reader = Hdf5Reader::open(path);
    if (!reader)
        return false;
    const auto format = reader->stringAttribute(root, QStringLiteral("format"));
    return format && *format == QLatin1String(hdf5LabelledFormat);
}

} // namespace twb
