#include "SeparationClip.h"

#include "dsp/SpeechFrames.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace twb {

namespace {

/// Speech's frames (dsp::speechStftOptions) at the clip's rate.
SpectrogramSettings speechSettings(double sampleRate)
{
    SpectrogramSettings s;
    s.stft = dsp::speechStftOptions(sampleRate);
    return s;
}

} // namespace

SeparationClip::SeparationClip(const QString &objectName, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_play(new QToolButton(this))
    , m_view(new SpectrogramView(this))
{
    setObjectName(objectName);
    m_title->setObjectName(objectName + QStringLiteral("Title"));
    m_play->setObjectName(objectName + QStringLiteral("Play"));
    m_view->setObjectName(objectName + QStringLiteral("Spectrogram"));
    // Two lines, never wrapped: every clip of a row starts its spectrogram at the same height,
    // and a narrow column cuts the title (shown whole in its tooltip) instead of growing.
    m_title->setTextFormat(Qt::RichText);
    m_title->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_title->setMinimumHeight(2 * m_title->fontMetrics().lineSpacing());
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_play->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_play->setEnabled(false);
    m_view->setMinimumHeight(120);
    setPlaying(false);
    auto *top = new QHBoxLayout;
    top->addWidget(m_play, 0, Qt::AlignTop);
    top->addWidget(m_title, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    connect(m_play, &QToolButton::clicked, this, &SeparationClip::playRequested);
}

Status SeparationClip::setSignal(std::vector<float> samples, double sampleRate,
                                 const QString &title, const QString &name)
{
    m_name = name;
    m_sampleRate = sampleRate;
    m_samples = samples;
    setPlaying(false);
    const SpectrogramSettings settings = speechSettings(sampleRate);
    Status shown = Status::ok();
    if (settings.stft.nFft != m_view->settings().stft.nFft ||
        settings.stft.hop != m_view->settings().stft.hop)
        shown = m_view->setSettings(settings);
    if (shown)
        shown = m_view->setSignal(std::move(samples), sampleRate, name);
    if (!shown)
        shown = Error{shown.error().reason, name};
    m_title->setText(shown ? title : shown.error().toString().toHtmlEscaped());
    m_title->setToolTip(m_title->text());
    m_play->setEnabled(!m_samples.empty());
    return shown;
}

void SeparationClip::setPlaying(bool playing)
{
    m_playing = playing;
    m_play->setText(playing ? tr("Stop") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    m_play->setToolTip(playing ? tr("Stop playing") : tr("Play %1").arg(m_name));
}

QString SeparationClip::title() const
{
    return m_title->text();
}

} // namespace twb
