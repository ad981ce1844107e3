#pragma once

#include "common/Expected.h"

#include <QString>
#include <QWidget>

#include <vector>

class QLabel;
class QToolButton;

namespace twb {

class SpectrogramView;

/// One waveform of a separation example (the mixture, a reference or an estimate): a title of
/// two lines, a Play button (its text "Play" or "Stop", shown as an icon) and the sound's
/// spectrogram with its waveform above it (SpectrogramView, an STFT of about 32 ms frames and
/// 8 ms hops at the sound's rate).
///
/// The clip keeps a copy of the samples for playback; it does not play them itself: the Play
/// button emits playRequested and SeparationView, which owns the one SoundPlayer, plays them and
/// calls setPlaying. Object names: the clip's own (given), "<name>Play" on the button,
/// "<name>Title" on the title and "<name>Spectrogram" on the view.
///
/// Threading: GUI thread only.
class SeparationClip : public QWidget
{
    Q_OBJECT

public:
    explicit SeparationClip(const QString &objectName, QWidget *parent = nullptr);

    /// Shows `samples` (mono, at `sampleRate` Hz) under `title` (rich text, two lines: "<b>Estimate
    /// 1</b><br>SI-SNRi ..."; also its tooltip, as a narrow column cuts it); `name` stands for the
    /// sound in playback messages and exports ("Mixture 3, estimate 1"). Errors (a signal too short
    /// for the STFT) name `name`; the clip then shows the error instead of a spectrogram.
    Status setSignal(std::vector<float> samples, double sampleRate, const QString &title,
                     const QString &name);
    /// The Play button reads "Stop" while this clip plays.
    void setPlaying(bool playing);
    bool isPlaying() const { return m_playing; }

    const std::vector<float> &samples() const { return m_samples; }
    double sampleRate() const { return m_sampleRate; }
    QString name() const { return m_name; }
    QString title() const;

    SpectrogramView *spectrogram() const { return m_view; }
    QToolButton *playButton() const { return m_play; }

Q_SIGNALS:
    /// The Play (or Stop) button was clicked.
    void playRequested();

private:
    std::vector<float> m_samples;
    double m_sampleRate = 0.0;
    QString m_name;
    bool m_playing = false;
    QLabel *m_title = nullptr;
    QToolButton *m_play = nullptr;
    SpectrogramView *m_view = nullptr;
};

} // namespace twb
