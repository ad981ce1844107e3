#include "SeriesDataset.h"

#include <QCryptographicHash>

#include <cmath>

namespace twb {

std::int64_t MissingReport::total() const
{
    std::int64_t n = 0;
    for (auto c : perChannel)
        n += c;
    return n;
}

QString SeriesDataset::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &name : channelNames) {
        hash.addData(name.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    }
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(timestamps.data()),
                                qsizetype(timestamps.size() * sizeof(std::int64_t))));
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(values.data()),
                                qsizetype(values.size() * sizeof(float))));
    return QString::fromLatin1(hash.result().toHex());
}

void SeriesDataset::recountMissing()
{
    const std::int64_t c = channels();
    missing = {};
    missing.perChannel.assign(std::size_t(c), 0);
    for (std::int64_t r = 0; r < rows(); ++r)
        for (std::int64_t ch = 0; ch < c; ++ch)
            if (std::isnan(at(r, ch))) {
                ++missing.perChannel[std::size_t(ch)];
                if (missing.firstCells.size() < 20)
                    missing.firstCells.push_back({r, 0, int(ch)});
            }
}

} // namespace twb
