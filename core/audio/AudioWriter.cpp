#include "AudioWriter.h"

#include "common/Errors.h"
#include "data/AtomicWrite.h"

#include <sndfile.h>

#include <cmath>
#include <cstring>

namespace twb {
namespace {

/// libsndfile's virtual I/O over a growing QByteArray.
struct MemoryFile
{
    QByteArray bytes;
    sf_count_t position = 0;
};

sf_count_t length(void *user)
{
    return static_cast<MemoryFile *>(user)->bytes.size();
}

sf_count_t seek(sf_count_t offset, int whence, void *user)
{
    auto *file = static_cast<MemoryFile *>(user);
    sf_count_t base = 0;
    if (whence == SEEK_CUR)
        base = file->position;
    else if (whence == SEEK_END)
        base = file->bytes.size();
    const sf_count_t target = base + offset;
    if (target < 0)
        return -1;
    file->position = target;
    return target;
}

sf_count_t read(void *destination, sf_count_t count, void *user)
{
    auto *file = static_cast<MemoryFile *>(user);
    const sf_count_t available = std::max<sf_count_t>(0, file->bytes.size() - file->position);
    const sf_count_t n = std::min(count, available);
    if (n > 0)
        std::memcpy(destination, file->bytes.constData() + file->position, std::size_t(n));
    file->position += n;
    return n;
}

sf_count_t write(const void *source, sf_count_t count, void *user)
{
    auto *file = static_cast<MemoryFile *>(user);
    const sf_count_t end = file->position + count;
    if (end > file->bytes.size())
        file->bytes.resize(qsizetype(end));
    std::memcpy(file->bytes.data() + file->position, source, std::size_t(count));
    file->position = end;
    return count;
}

sf_count_t tell(void *user)
{
    return static_cast<MemoryFile *>(user)->position;
}

} // namespace

Expected<QByteArray> encodeWavFloat(const std::vector<float> &samples, double sampleRate)
{
    if (!(sampleRate >= 1.0 && sampleRate <= 1e7 && std::floor(sampleRate) == sampleRate))
        return makeError(
            QStringLiteral("the sample rate must be a positive whole number of Hz, got %1")
                .arg(sampleRate));
    if (samples.empty())
        return makeError(QStringLiteral("no samples to write"));
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (!std::isfinite(samples[i]))
            return makeError(QStringLiteral("sample %1 is not a finite number").arg(i));
    SF_INFO info{};
    info.samplerate = int(sampleRate);
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SF_VIRTUAL_IO io{length, seek, read, write, tell};
    MemoryFile file;
    SNDFILE *handle = sf_open_virtual(&io, SFM_WRITE, &info, &file);
    if (!handle)
        return makeError(
            QStringLiteral("libsndfile: %1").arg(QString::fromUtf8(sf_strerror(nullptr))));
    const sf_count_t frames = sf_writef_float(handle, samples.data(), sf_count_t(samples.size()));
    const QString problem =
        frames != sf_count_t(samples.size()) ? QString::fromUtf8(sf_strerror(handle)) : QString();
    sf_close(handle);
    if (!problem.isEmpty())
        return makeError(QStringLiteral("libsndfile: %1").arg(problem));
    return file.bytes;
}

Status writeWavFloat(const QString &path, const std::vector<float> &samples, double sampleRate)
{
    Expected<QByteArray> bytes = encodeWavFloat(samples, sampleRate);
    if (!bytes)
        return makeError(bytes.error().reason, path);
    return writeFileAtomically(path, *bytes);
}

} // namespace twb
