#pragma once

#include "common/Expected.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace twb {

/// One decoded sound file, mixed down to mono.
struct AudioClip
{
    std::vector<float>
        samples;             ///< mono, nominally in [-1, 1] (integer PCM is scaled by 2^-(bits-1))
    double sampleRate = 0.0; ///< Hz of `samples` (the target rate when resampled)
    double originalRate = 0.0; ///< Hz of the file
    int originalChannels = 0;  ///< channels in the file (mixed down to one)
    QString path;              ///< the file as given

    std::int64_t frames() const { return std::int64_t(samples.size()); }
    double seconds() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

struct AudioReadOptions
{
    /// Resample to this rate (Hz) with Resampler (libsoxr HQ); 0 = keep the file's rate.
    double targetRate = 0.0;
    /// Accept a WAV/AIFF whose data chunk is shorter than its header says (libsndfile would
    /// silently return the frames that are there); by default that is an error.
    bool allowTruncated = false;
};

/// Reads a sound file with libsndfile (WAV, FLAC, OGG/Vorbis, AIFF and the rest of its formats;
/// recognised by content, not extension), as float32, mixed down to mono as the mean of the
/// channels, then resampled if asked.
///
/// Errors name the file and give libsndfile's reason: a missing or unreadable file, a
/// zero-length file, an unknown or unsupported format ("Format not recognised."), a malformed
/// header, a truncated data chunk, a file without audio frames, a decoding error while reading.
/// Never throws or crashes on bad input. Thread-safe (libsndfile handles are per call).
Expected<AudioClip> readAudio(const QString &path, const AudioReadOptions &options = {});

} // namespace twb
