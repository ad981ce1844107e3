#include "SoundPlayer.h"

#include "audio/AudioReader.h"
#include "audio/Resampler.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QMediaDevices>
#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace twb {

SoundPlayer::SoundPlayer(QObject *parent)
    : QObject(parent)
{}

SoundPlayer::~SoundPlayer()
{
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        delete m_sink;
    }
}

QByteArray SoundPlayer::toPcm16(const std::vector<float> &samples, int channels)
{
    channels = std::max(1, channels);
    QByteArray out(qsizetype(samples.size()) * channels * 2, Qt::Uninitialized);
    char *p = out.data();
    for (float x : samples) {
        const float clipped = std::isnan(x) ? 0.0f : std::clamp(x, -1.0f, 1.0f);
        const auto v = qint16(std::lround(double(clipped) * 32767.0));
        for (int c = 0; c < channels; ++c, p += 2)
            qToLittleEndian<qint16>(v, p);
    }
    return out;
}

bool SoundPlayer::fail(const QString &message)
{
    releaseSink();
    m_error = message;
    setState(State::Error);
    Q_EMIT errorOccurred(message);
    return false;
}

void SoundPlayer::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SoundPlayer::releaseSink()
{
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        m_sink->deleteLater();
        m_sink = nullptr;
    }
    m_buffer.close();
}

bool SoundPlayer::play(const QString &path)
{
    releaseSink();
    m_file = path;
    m_error.clear();
    // Decode first: a bad file is reported as such even on a machine without sound.
    const Expected<AudioClip> clip = readAudio(path);
    if (!clip)
        return fail(clip.error().toString());
    return playSamples(clip->samples, clip->sampleRate, path);
}

bool SoundPlayer::playSamples(const std::vector<float> &samples, double sampleRate,
                              const QString &name)
{
    releaseSink();
    m_file = name;
    m_error.clear();
    if (samples.empty())
        return fail(tr("%1: cannot play: no samples").arg(name));
    if (!(sampleRate > 0.0) || !std::isfinite(sampleRate))
        return fail(
            tr("%1: cannot play: the sample rate %2 Hz is not positive").arg(name).arg(sampleRate));
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull())
        return fail(tr("%1: cannot play: no audio output device").arg(name));

    QAudioFormat format;
    format.setSampleRate(int(std::lround(sampleRate)));
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    const std::vector<float> *played = &samples;
    std::vector<float> resampled;
    if (!device.isFormatSupported(format)) {
        const QAudioFormat preferred = device.preferredFormat();
        format.setSampleRate(preferred.sampleRate());
        format.setChannelCount(std::max(1, preferred.channelCount()));
        if (!device.isFormatSupported(format))
            return fail(tr("%1: the audio device \"%2\" takes neither mono 16-bit at %3 Hz nor "
                           "%4 channel(s) at %5 Hz")
                            .arg(name, device.description())
                            .arg(sampleRate)
                            .arg(format.channelCount())
                            .arg(format.sampleRate()));
        Expected<std::vector<float>> converted =
            Resampler(sampleRate, format.sampleRate()).resample(samples);
        if (!converted)
            return fail(QStringLiteral("%1: %2").arg(name, converted.error().toString()));
        resampled = std::move(*converted);
        played = &resampled;
    }

    m_pcm = toPcm16(*played, format.channelCount());
    m_buffer.setData(m_pcm);
    m_buffer.open(QIODevice::ReadOnly);
    m_sink = new QAudioSink(device, format);
    connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State s) {
        if (!m_sink)
            return;
        if (s == QAudio::IdleState) { // the buffer ran out: the clip is over
            releaseSink();
            setState(State::Stopped);
            Q_EMIT finished();
        } else if (s == QAudio::StoppedState && m_sink->error() != QAudio::NoError) {
            fail(tr("%1: playback stopped: audio error %2").arg(m_file).arg(int(m_sink->error())));
        }
    });
    m_sink->start(&m_buffer);
    if (m_sink->error() != QAudio::NoError || m_sink->state() == QAudio::StoppedState)
        return fail(tr("%1: the audio device \"%2\" could not be opened (error %3)")
                        .arg(name, device.description())
                        .arg(int(m_sink->error())));
    setState(State::Playing);
    return true;
}

void SoundPlayer::stop()
{
    releaseSink();
    setState(State::Stopped);
}

} // namespace twb
