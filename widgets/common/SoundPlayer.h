#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QObject>
#include <QString>

#include <vector>

class QAudioSink;

namespace twb {

/// Plays a sound file, or mono samples held in memory, through the default audio output (Qt
/// Multimedia's QAudioSink).
///
/// play() decodes the whole file with readAudio (libsndfile: any format it reads, mixed down
/// to mono); playSamples() takes the samples as they are. Either converts them to 16-bit signed
/// PCM and plays them from a QBuffer. When the device does not take mono 16-bit at the sound's
/// rate, the samples are resampled (Resampler, libsoxr HQ) to the device's preferred rate and
/// repeated on each of its channels.
///
/// Errors are reported, never fatal: an unreadable file (the path and libsndfile's reason; the
/// file is decoded before the device is looked for), no audio output device (headless
/// machines, CI, the offscreen platform: "<path>: cannot play: no audio output device"), a format
/// the device refuses, or the sink failing to start. play() then returns false, state() is Error,
/// errorString() says why and errorOccurred is emitted. A clip that plays to its end goes back
/// to Stopped and emits finished().
///
/// Threading: GUI thread (the sink delivers its notifications through the event loop).
class SoundPlayer : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Playing, Error };
    Q_ENUM(State)

    explicit SoundPlayer(QObject *parent = nullptr);
    ~SoundPlayer() override;

    /// Stops what is playing and plays `path`. False (with errorString()) when it cannot play.
    bool play(const QString &path);
    /// Stops what is playing and plays mono `samples` (nominally in [-1, 1]) at `sampleRate` Hz.
    /// `name` stands for the sound in messages and in currentFile() ("mixture 3"). False (with
    /// errorString()) for no samples, a rate that is not positive, or no usable device.
    bool playSamples(const std::vector<float> &samples, double sampleRate, const QString &name);
    /// Stops playback (no-op when stopped); state becomes Stopped.
    void stop();

    State state() const { return m_state; }
    bool isPlaying() const { return m_state == State::Playing; }
    QString errorString() const { return m_error; }
    /// The file of play(), or the name given to playSamples().
    QString currentFile() const { return m_file; }

    /// Samples in [-1, 1] (clipped outside) as little-endian int16: round(x * 32767), each
    /// sample repeated `channels` times (interleaved).
    static QByteArray toPcm16(const std::vector<float> &samples, int channels = 1);

Q_SIGNALS:
    void stateChanged(twb::SoundPlayer::State state);
    void errorOccurred(const QString &message);
    /// The clip played to its end.
    void finished();

private:
    bool fail(const QString &message);
    void setState(State state);
    /// Stops and drops the sink; deleted later, as this may run inside one of its signals.
    void releaseSink();

    State m_state = State::Stopped;
    QString m_error;
    QString m_file;
    QByteArray m_pcm;
    QBuffer m_buffer;
    QAudioSink *m_sink = nullptr; ///< owned (deleteLater / destructor)
};

} // namespace twb
