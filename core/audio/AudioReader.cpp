#include "AudioReader.h"

#include "Resampler.h"
#include "data/LoadLimits.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <sndfile.h>

#include <algorithm>
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

    // format.frames is what the header claims (a FLAC STREAMINFO or an Ogg granule position can
    // announce billions of frames in a file of a few bytes): check the claim before reading,
    // then decode in blocks, mixing down as we go, so that memory follows the frames that are
    // really there.
    const int channels = format.channels;
    if (const Status size =
            checkArraySize(double(format.frames), std::int64_t(sizeof(float)),
                           QStringLiteral("the header's %1 frames (%2 channels at %3 Hz)")
                               .arg(format.frames)
                               .arg(channels)
                               .arg(format.samplerate));
        !size)
        return Error{size.error().reason, path};
    // A block never larger than the file claims: a short clip (most of a speech data set) does
    // not allocate and zero a block of 2^20 samples.
    const sf_count_t blockFrames = std::min<sf_count_t>(
        format.frames, std::max<sf_count_t>(1, (sf_count_t(1) << 20) / channels));
    std::vector<float> block(std::size_t(blockFrames) * std::size_t(channels));
    AudioClip clip;
    clip.samples.reserve(std::size_t(std::min<sf_count_t>(format.frames, blockFrames)));
    const float scale = 1.0f / float(channels);
    sf_count_t read = 0;
    while (read < format.frames) {
        const sf_count_t want = std::min(blockFrames, format.frames - read);
        const sf_count_t got = sf_readf_float(file.get(), block.data(), want);
        if (got <= 0)
            break;
        if (channels == 1) {
            clip.samples.insert(clip.samples.end(), block.begin(), block.begin() + got);
        } else {
            for (sf_count_t f = 0; f < got; ++f) {
                float sum = 0.0f;
                for (int ch = 0; ch < channels; ++ch)
                    sum += block[std::size_t(f * channels + ch)];
                clip.samples.push_back(sum * scale);
            }
        }
        read += got;
        if (got < want)
            break;
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        return Error{QStringLiteral("libsndfile failed while decoding: %1")
                         .arg(QString::fromUtf8(sf_strerror(file.get()))),
                     path};
    if (read < format.frames && !options.allowTruncated)
        return Error{QStringLiteral("the file is truncated: %1 of %2 frames could be decoded")
                         .arg(read)
                         .arg(format.frames),
                     path};

    clip.path = path;
    clip.originalRate = format.samplerate;
    clip.originalChannels = channels;
    clip.sampleRate = format.samplerate;

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
