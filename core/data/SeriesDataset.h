#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// Where values are missing: counts per channel and the first few cells (for messages).
struct MissingReport
{
    struct Cell
    {
        std::int64_t row = 0;  ///< 0-based data row
        std::int64_t line = 0; ///< 1-based line in the source file (0 if not a text file)
        int channel = 0;
    };
    std::vector<std::int64_t> perChannel; ///< size == channel count
    std::vector<Cell> firstCells;         ///< at most 20, in file order

    std::int64_t total() const;
};

/// A multivariate series: `rows` time steps x `channels` named variates, float32, row-major
/// ([time, channels], the layout the models eat). Missing values are NaN and are counted in
/// `missing`. Plain data, no torch and no Qt Gui: views and the engine both use it.
struct SeriesDataset
{
    QString sourcePath;                   ///< the file it came from (empty if built in memory)
    QStringList channelNames;             ///< size == channels()
    std::vector<float> values;            ///< size == rows() * channels(), row-major
    QString timeColumn;                   ///< name of the date/time column, empty if none
    std::vector<std::int64_t> timestamps; ///< ms since epoch (UTC), empty or size == rows()
    MissingReport missing;

    std::int64_t channels() const { return channelNames.size(); }
    std::int64_t rows() const { return channels() ? std::int64_t(values.size()) / channels() : 0; }
    float at(std::int64_t row, std::int64_t channel) const
    {
        return values[std::size_t(row * channels() + channel)];
    }
    bool hasTimestamps() const { return !timestamps.empty(); }

    /// Hex SHA-256 over channel names, timestamps and values: equal content, equal print.
    QString fingerprint() const;

    /// Recounts NaNs into `missing` (first cells without line numbers).
    void recountMissing();
};

} // namespace twb
