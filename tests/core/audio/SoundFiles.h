#pragma once

// Test helper: writes small sound files with libsndfile.

#include <QFile>
#include <QString>

#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace twb::test {

/// Writes interleaved `samples` ([frames, channels]) as `format` (default 16-bit PCM WAV).
inline bool writeSound(const QString &path, const std::vector<float> &samples, int rate,
                       int channels = 1, int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16)
{
    SF_INFO info = {};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *file = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!file)
        return false;
    const sf_count_t frames = sf_count_t(samples.size()) / channels;
    const bool ok = sf_writef_float(file, samples.data(), frames) == frames;
    return sf_close(file) == 0 && ok;
}

/// amplitude * sin(2 pi frequency n / rate), n = 0 .. frames-1.
inline std::vector<float> sine(double frequency, double rate, int frames, double amplitude)
{
    std::vector<float> out(std::size_t(frames), 0.0f);
    for (int n = 0; n < frames; ++n)
        out[std::size_t(n)] =
            float(amplitude * std::sin(2.0 * std::numbers::pi * frequency * n / rate));
    return out;
}

} // namespace twb::test
