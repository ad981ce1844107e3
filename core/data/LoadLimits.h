#pragma once

#include "common/Expected.h"

#include <QString>

#include <cstdint>

namespace twb {

/// Limits that protect the loaders from files whose sizes lie or are absurd: a header that
/// claims 10^12 points, an HDF5 dataset of shape 10^6 x 10^6 stored in a few bytes, a sound
/// file whose header announces more frames than it holds, a text file that is one 2 GB line.
/// Every loader checks the size a file *claims* against these limits before it allocates, and
/// refuses with an Error that names the file and the sizes instead of asking for the memory.
///
/// The defaults fit any real data set of the project (the largest UEA line is a few MB) while
/// staying far below what a 2-core desktop can hold; tests and the fuzzers lower them.
/// Thread-safe (atomics); a change applies to loads that start afterwards.
struct LoadLimits
{
    /// The largest single array, in bytes, that a loader allocates for the values it reads
    /// (also the largest text file read whole). Default 8 GiB.
    std::int64_t maxArrayBytes = std::int64_t(8) << 30;
    /// The longest line of a text file (CSV, .ts, .arff, manifest), in bytes. Default 64 MiB.
    std::int64_t maxLineBytes = std::int64_t(64) << 20;
};

/// The limits in force.
LoadLimits loadLimits();
/// Replaces the limits in force (tests, fuzzers); values below 1 are taken as 1.
void setLoadLimits(const LoadLimits &limits);

/// "1.5 GB", "12.0 MB", "4100 bytes" (below 10 KB): a size for an error message.
QString byteSizeText(double bytes);

/// Success when `count` elements of `elementBytes` bytes each fit the array limit; otherwise
/// an Error (without file, the caller adds it) such as "<what> would need 4.0 TB (10^12
/// values of 4 bytes), more than the 8.0 GB a loader may allocate for one array". A negative
/// count or an overflowing product is refused the same way.
Status checkArraySize(double count, std::int64_t elementBytes, const QString &what);

} // namespace twb
