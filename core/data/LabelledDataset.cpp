#include "LabelledDataset.h"

#include <QCryptographicHash>

#include <algorithm>

namespace twb {

std::int64_t LabelledDataset::maxLength() const
{
    std::int64_t longest = 0;
    for (const LabelledCase &c : cases)
        longest = std::max(longest, c.length);
    return longest;
}

std::int64_t LabelledDataset::minLength() const
{
    if (cases.empty())
        return 0;
    std::int64_t shortest = cases.front().length;
    for (const LabelledCase &c : cases)
        shortest = std::min(shortest, c.length);
    return shortest;
}

std::vector<std::int64_t> LabelledDataset::classCounts() const
{
    std::vector<std::int64_t> counts(std::size_t(classNames.size()), 0);
    for (const LabelledCase &c : cases)
        if (c.label >= 0 && c.label < int(counts.size()))
            ++counts[std::size_t(c.label)];
    return counts;
}

QString LabelledDataset::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto addNames = [&hash](const QStringList &names) {
        for (const QString &name : names) {
            hash.addData(name.toUtf8());
            hash.addData(QByteArrayView("\0", 1));
        }
        hash.addData(QByteArrayView("\1", 1)); // ends the list: ["a"], [] differs from [], ["a"]
    };
    addNames(classNames);
    addNames(channelNames);
    for (const LabelledCase &c : cases) {
        const std::int64_t header[2] = {c.length, c.label};
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(header), sizeof(header)));
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(c.values.data()),
                                    qsizetype(c.values.size() * sizeof(float))));
    }
    return QString::fromLatin1(hash.result().toHex());
}

Expected<LabelledDataset> finishParsedCases(LabelledDataset dataset, std::int64_t channels,
                                            bool reachedData, std::int64_t dataLine,
                                            const QString &path)
{
    if (!reachedData)
        return Error{QStringLiteral("no @data line: the file ends inside the header"), path};
    if (dataset.cases.empty())
        return Error{QStringLiteral("no cases after @data"), path, dataLine};
    for (std::int64_t ch = 0; ch < channels; ++ch)
        dataset.channelNames.append(QStringLiteral("dim_%1").arg(ch));
    return dataset;
}

} // namespace twb
