#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace twb {

/// A mono WAV file of 32-bit float samples at `sampleRate` Hz, encoded in memory by libsndfile
/// (its virtual I/O), so that the caller decides how it reaches the disk. Errors: a rate that
/// is not a positive whole number of Hz, no samples, a non-finite sample, libsndfile's reason.
/// Thread-safe.
Expected<QByteArray> encodeWavFloat(const std::vector<float> &samples, double sampleRate);

/// encodeWavFloat() written with writeFileAtomically (data/AtomicWrite.h): `path` holds its old
/// bytes or the whole new file, never a torn one. Errors name `path`.
Status writeWavFloat(const QString &path, const std::vector<float> &samples, double sampleRate);

} // namespace twb
