#include "AudioReader.h"

#include "Resampler.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <sndfile.h>

#include <memory>
#include <optional>

namespace twb {

namespace {

struct SndfileCloser
{
    void operator()(SNDFILE *file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

// libsndfile fixes up a data chunk that is longer than the file and reads what is there; its
// log keeps the evidence: "data : 4768 (should be 2956)". Streamed files announce 0 or
// 0xFFFFFFFF bytes and are not truncated.
std::optional<QString> truncation(SNDFILE *file)
{
    char log[8192] = {};
    sf_command(file, SFC_GET_LOG_INFO, log, sizeof(log));
    static const QRegularExpression chunk(
        QStringLiteral(R"(^\s*(data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\))"),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = chunk.match(QString::fromLatin1(log));
    if (!match.hasMatch())
        return std::nullopt;
    const qulonglong declared = match.captured(2).toULongLong();
    const qulonglong present = match.captured(3).toULongLong();
    if (declared == 0 || declared >= 0xFFFFFFFFull || declared <= present)
        return std::nullopt;
    return QStringLiteral("the file is truncated: its header announces %1 bytes of audio data, "
                          "only %2 are present")
        .arg(declared)
        .arg(present);
}

} // namespace

Expected<AudioClip> readAudio(const QString &path, const AudioReadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file does not exist"), path};
    if (!info.isFile())
        return Error{QStringLiteral("not a file"), path};
    if (info.size() == 0)
        return Error{QStringLiteral("the file is empty (0 bytes)"), path};

    SF_INFO format = {};
    SndfileHandle file(sf_open(QFile::encodeName(path).constData(), SFM_READ, &format));
    if (!file)
        return Error{QStringLiteral("libsndfile cannot read it: %1")
                         .arg(QString::fromUtf8(sf_strerror(nullptr))),
                     path};
    if (format.channels < 1 || format.samplerate < 1)
        return Error{QStringLiteral("the header declares %1 channels at %2 Hz")
                         .arg(format.channels)
                         .arg(format.samplerate),
                     path};
    if (!options.allowTruncated)
        if (const auto reason = truncation(file.get()))
            return Error{*reason, path};
    if (format.frames <= 0)
        return Error{QStringLiteral("the file holds no audio frames"), path};

    const int channels = format.channels;
    std::vector<float> interleaved(std::size_t(format.frames) * std::size_t(channels));
    const sf_count_t read = sf_readf_float(file.get(), interleaved.data(), format.frames);
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        return Error{QStringLiteral("libsndfile failed while decoding: %1")
                         .arg(QString::fromUtf8(sf_strerror(file.get()))),
                     path};
    if (read < format.frames && !options.allowTruncated)
        return Error{QStringLiteral("the file is truncated: %1 of %2 frames could be decoded")
                         .arg(read)
                         .arg(format.frames),
                     path};

    AudioClip clip;
    clip.path = path;
    clip.originalRate = format.samplerate;
    clip.originalChannels = channels;
    clip.sampleRate = format.samplerate;
    if (channels == 1) {
        interleaved.resize(std::size_t(read));
        clip.samples = std::move(interleaved);
    } else {
        clip.samples.resize(std::size_t(read));
        const float scale = 1.0f / float(channels);
        for (sf_count_t f = 0; f < read; ++f) {
            float sum = 0.0f;
            for (int ch = 0; ch < channels; ++ch)
                sum += interleaved[std::size_t(f * channels + ch)];
            clip.samples[std::size_t(f)] = sum * scale;
        }
    }

    if (options.targetRate > 0 && options.targetRate != clip.sampleRate) {
        auto resampled = Resampler(clip.sampleRate, options.targetRate).resample(clip.samples);
        if (!resampled)
            return Error{resampled.error().reason, path};
        clip.samples = std::move(*resampled);
        clip.sampleRate = options.targetRate;
    }
    return clip;
}

} // namespace twb
