#include "Resampler.h"

#include <soxr.h>

#include <cmath>

namespace twb {

Resampler::Resampler(double inputRate, double outputRate, int channels)
    : m_inputRate(inputRate)
    , m_outputRate(outputRate)
    , m_channels(channels)
{}

std::int64_t Resampler::outputFrames(std::int64_t inputFrames) const
{
    if (inputFrames <= 0 || !(m_inputRate > 0) || !(m_outputRate > 0))
        return 0;
    return std::llround(double(inputFrames) * m_outputRate / m_inputRate);
}

Expected<std::vector<float>> Resampler::resample(const float *input, std::int64_t frames) const
{
    if (!(m_inputRate > 0) || !(m_outputRate > 0) || !std::isfinite(m_inputRate) ||
        !std::isfinite(m_outputRate))
        return Error{QStringLiteral("resampling needs positive sample rates, got %1 Hz -> %2 Hz")
                         .arg(m_inputRate)
                         .arg(m_outputRate),
                     QString()};
    if (m_channels < 1)
        return Error{
            QStringLiteral("resampling needs at least one channel, got %1").arg(m_channels),
            QString()};
    if (frames < 0 || (frames > 0 && !input))
        return Error{QStringLiteral("resampling got no input buffer for %1 frames").arg(frames),
                     QString()};
    if (m_inputRate == m_outputRate)
        return std::vector<float>(input, input + frames * m_channels);
    const std::int64_t wanted = outputFrames(frames);
    std::vector<float> output(std::size_t(wanted * m_channels));
    if (wanted == 0)
        return output;

    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    std::size_t done = 0;
    const soxr_error_t failure =
        soxr_oneshot(m_inputRate, m_outputRate, unsigned(m_channels), input, std::size_t(frames),
                     nullptr, output.data(), std::size_t(wanted), &done, &io, &quality, nullptr);
    if (failure)
        return Error{QStringLiteral("libsoxr could not resample %1 Hz -> %2 Hz: %3")
                         .arg(m_inputRate)
                         .arg(m_outputRate)
                         .arg(QString::fromUtf8(failure)),
                     QString()};
    // soxr flushes its filter at the end of a one-shot call; pad in the rare case of a frame
    // less so that the length is exactly outputFrames().
    for (std::size_t i = done * std::size_t(m_channels); i < output.size(); ++i)
        output[i] = 0.0f;
    return output;
}

Expected<std::vector<float>> Resampler::resample(const std::vector<float> &interleaved) const
{
    if (m_channels < 1 || interleaved.size() % std::size_t(m_channels) != 0)
        return Error{QStringLiteral("resampling got %1 values, not a multiple of %2 channels")
                         .arg(interleaved.size())
                         .arg(m_channels),
                     QString()};
    return resample(interleaved.data(), std::int64_t(interleaved.size()) / m_channels);
}

} // namespace twb
