#pragma once

#include "common/Expected.h"

#include <cstdint>
#include <vector>

namespace twb {

/// Band-limited sample-rate conversion with libsoxr (soxr_oneshot, SOXR_HQ: 20-bit precision,
/// passband up to about 91 % of the lower Nyquist frequency, linear phase). Usable on any
/// interleaved float32 buffer: audio clips, sensor channels, a DSP front end.
///
/// A Resampler is an immutable description of the conversion; resample() keeps no state
/// between calls (each call converts one whole signal, flushing the filter at its end), so one
/// object may be used from several threads at once.
class Resampler
{
public:
    /// Rates in Hz (any positive finite values, not only integers); `channels` >= 1.
    /// An invalid combination is reported by resample(), not here.
    Resampler(double inputRate, double outputRate, int channels = 1);

    double inputRate() const { return m_inputRate; }
    double outputRate() const { return m_outputRate; }
    int channels() const { return m_channels; }

    /// Frames produced for `inputFrames` input frames: round(inputFrames * out / in).
    std::int64_t outputFrames(std::int64_t inputFrames) const;

    /// Converts `frames` interleaved frames ([frames, channels] row-major) and returns
    /// outputFrames(frames) interleaved frames. Equal rates return a copy. Errors for a bad
    /// rate or channel count, a negative frame count, or libsoxr's own error text.
    Expected<std::vector<float>> resample(const float *input, std::int64_t frames) const;
    Expected<std::vector<float>> resample(const std::vector<float> &interleaved) const;

private:
    double m_inputRate;
    double m_outputRate;
    int m_channels;
};

} // namespace twb
