#include "ChannelSelection.h"

#include "DatasetLoader.h"

namespace twb {

Expected<SeriesDataset> selectChannels(SeriesDataset dataset, const QStringList &names)
{
    if (names.isEmpty())
        return dataset;
    std::vector<std::int64_t> columns;
    columns.reserve(std::size_t(names.size()));
    for (const QString &name : names) {
        const std::int64_t column = dataset.channelNames.indexOf(name);
        if (column < 0)
            return Error{QStringLiteral("no channel \"%1\" (the channels are %2)")
                             .arg(name, dataset.channelNames.join(QStringLiteral(", "))),
                         dataset.sourcePath, 0};
        if (std::find(columns.begin(), columns.end(), column) != columns.end())
            return Error{QStringLiteral("channel \"%1\" is asked twice").arg(name),
                         dataset.sourcePath, 0};
        columns.push_back(column);
    }
    const std::int64_t rows = dataset.rows();
    const std::int64_t from = dataset.channels();
    const auto to = std::int64_t(columns.size());
    std::vector<float> values(std::size_t(rows * to));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < to; ++c)
            values[std::size_t(r * to + c)] =
                dataset.values[std::size_t(r * from + columns[std::size_t(c)])];
    dataset.values = std::move(values);
    dataset.channelNames = names;
    dataset.recountMissing();
    return dataset;
}

Expected<SeriesDataset> loadSeriesChannels(const QString &pathSpec, const QStringList &names)
{
    Expected<SeriesDataset> dataset = loadSeries(pathSpec);
    if (!dataset)
        return dataset.error();
    return selectChannels(std::move(*dataset), names);
}

QStringList parseChannelList(const QString &text)
{
    QStringList names;
    for (const QString &part : text.split(QLatin1Char(',')))
        if (const QString name = part.trimmed(); !name.isEmpty())
            names << name;
    return names;
}

} // namespace twb
