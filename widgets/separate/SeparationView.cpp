#include "SeparationView.h"

#include "SeparationClip.h"
#include "SeparationClips.h"
#include "SeparationExport.h"

#include "widgets/common/SoundPlayer.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// "8.41 dB", or "n/a" for a metric that was not computed (SDR of short mixtures).
QString dB(double value)
{
    return std::isfinite(value) ? QStringLiteral("%1 dB").arg(value, 0, 'f', 2)
                                : QStringLiteral("n/a");
}

/// "SI-SNRi 8.41 dB (9.12 / 7.70 dB)": the mean of one mixture, then each source's value.
QString metricText(const SeparationResults &r, SeparationMetric metric, const QString &label,
                   int mixture)
{
    QStringList parts;
    for (int s = 0; s < r.sourceCount; ++s) {
        const double v = r.value(metric, mixture, s);
        parts << (std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("n/a"));
    }
    return QStringLiteral("%1 %2 (%3 dB)")
        .arg(label, dB(r.mixtureMean(metric, mixture)), parts.join(QStringLiteral(" / ")));
}

/// Waveform `s` of `sources`; none (shown as an error in its clip) when it is missing.
std::vector<float> sourceOf(const std::vector<std::vector<float>> &sources, int s)
{
    return s < int(sources.size()) ? sources[std::size_t(s)] : std::vector<float>();
}

/// Seconds up to the last non-zero sample of `mixture` (0 when it is silent).
double soundSeconds(const std::vector<float> &mixture, double sampleRate)
{
    const auto last =
        std::find_if(mixture.rbegin(), mixture.rend(), [](float v) { return v != 0.0f; });
    return double(std::distance(last, mixture.rend())) / sampleRate;
}

} // namespace

SeparationView::SeparationView(QWidget *parent)
    : QWidget(parent)
    , m_example(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_status(new QLabel(this))
    , m_exportWav(new QPushButton(tr("Export sources as WAV…"), this))
    , m_exportHdf5(new QPushButton(tr("Export example as HDF5…"), this))
    , m_clips(new SeparationClips(this))
    , m_player(new SoundPlayer(this))
{
    m_example->setObjectName(QStringLiteral("separationExample"));
    m_example->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_example->setToolTip(tr("The test mixtures kept as sound in predictions.h5"));
    m_summary->setObjectName(QStringLiteral("separationSummary"));
    // Lines that are never wrapped (a wrapped label would make the page as tall as the
    // spectrograms' preferred sizes in its scroll area); a narrow window cuts them.
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(QStringLiteral("separationStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportWav->setObjectName(QStringLiteral("separationExportWav"));
    m_exportWav->setToolTip(tr("Save each estimated source of this mixture as a WAV file"));
    m_exportHdf5->setObjectName(QStringLiteral("separationExportHdf5"));
    m_exportHdf5->setToolTip(
        tr("Save this mixture, its references, the estimates and their metrics as HDF5"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Test mixture"), this));
    controls->addWidget(m_example, 1);
    controls->addWidget(m_exportWav);
    controls->addWidget(m_exportHdf5);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_clips, 1);
    layout->addWidget(m_status);

    connect(m_example, &QComboBox::currentIndexChanged, this, &SeparationView::showExample);
    connect(m_exportWav, &QPushButton::clicked, this, &SeparationView::exportSourcesRequested);
    connect(m_exportHdf5, &QPushButton::clicked, this, &SeparationView::exportExampleRequested);
    connect(m_clips, &SeparationClips::playRequested, this, &SeparationView::togglePlayback);
    connect(m_player, &SoundPlayer::stateChanged, this, &SeparationView::updatePlayButtons);
    connect(m_player, &SoundPlayer::errorOccurred, this, &SeparationView::setStatus);
    showFailure(tr("Open a finished speech separation run (task separate) in the Runs tab."));
}

SeparationView::~SeparationView() = default;

void SeparationView::setResults(SeparationResults results)
{
    stopPlayback();
    m_results = std::move(results);
    m_clips->setSourceCount(m_results.sourceCount);
    {
        const QSignalBlocker block(m_example);
        m_example->clear();
        for (int i = 0; i < m_results.listenableCount(); ++i)
            m_example->addItem(tr("%1: %2 · SI-SNRi %3")
                                   .arg(i + 1)
                                   .arg(m_results.mixtureSources.value(i),
                                        dB(m_results.mixtureMean(SeparationMetric::SiSnri, i))));
    }
    const bool listenable = m_results.listenableCount() > 0;
    m_example->setEnabled(listenable);
    m_exportWav->setEnabled(listenable);
    m_exportHdf5->setEnabled(listenable);
    m_clips->setVisible(listenable);
    setStatus(QString());
    showExample();
}

void SeparationView::showFailure(const QString &message)
{
    stopPlayback();
    m_results = {};
    {
        const QSignalBlocker block(m_example);
        m_example->clear();
    }
    m_example->setEnabled(false);
    m_exportWav->setEnabled(false);
    m_exportHdf5->setEnabled(false);
    m_clips->setVisible(false);
    m_summary->setText(message);
    setStatus(QString());
}

int SeparationView::currentExample() const
{
    return m_results.listenableCount() > 0 ? m_example->currentIndex() : -1;
}

bool SeparationView::setCurrentExample(int example)
{
    if (example < 0 || example >= m_results.listenableCount())
        return false;
    m_example->setCurrentIndex(example); // showExample follows when it changes
    return true;
}

QString SeparationView::summaryText() const
{
    return m_summary->text();
}

QString SeparationView::statusText() const
{
    return m_status->text();
}

SeparationClip *SeparationView::mixtureClip() const
{
    return m_clips->mixture();
}

SeparationClip *SeparationView::referenceClip(int source) const
{
    return m_clips->reference(source);
}

SeparationClip *SeparationView::estimateClip(int source) const
{
    return m_clips->estimate(source);
}

void SeparationView::showExample()
{
    stopPlayback();
    const SeparationResults &r = m_results;
    const int i = currentExample();
    const QString test =
        tr("Test part, %1 mixtures: SI-SNRi %2, SDRi %3, SI-SNR %4, SDR %5 (means over every "
           "mixture and source)")
            .arg(r.mixtureCount())
            .arg(dB(r.testMean(SeparationMetric::SiSnri)), dB(r.testMean(SeparationMetric::Sdri)),
                 dB(r.testMean(SeparationMetric::SiSnr)), dB(r.testMean(SeparationMetric::Sdr)));
    if (i < 0)
        m_summary->setText(test + QLatin1Char('\n') +
                           tr("%1 keeps no mixture as sound.").arg(r.path));
    else
        m_summary->setText(tr("Mixture %1 of %2 (%3 s at %4 Hz): %5, %6; per source in the "
                              "references' order")
                               .arg(i + 1)
                               .arg(r.mixtureCount())
                               .arg(r.seconds(), 0, 'f', 2)
                               .arg(r.sampleRate)
                               .arg(metricText(r, SeparationMetric::SiSnri, tr("SI-SNRi"), i),
                                    metricText(r, SeparationMetric::Sdri, tr("SDRi"), i)) +
                           QLatin1Char('\n') + test);
    m_summary->setToolTip(m_summary->text());
    if (i >= 0)
        showClips(i);
}

void SeparationView::showClips(int i)
{
    const SeparationResults &r = m_results;
    const SeparationWaveforms &w = r.listenable[std::size_t(i)];
    const QStringList names = r.sourceNames(i);
    QStringList levels;
    for (int s = 0; s < r.sourceCount; ++s)
        levels << QString::number(r.levelDb(i, s), 'f', 1);
    const QString mixtureName = tr("Mixture %1").arg(i + 1);
    QStringList problems;
    const auto show = [&](SeparationClip *clip, const std::vector<float> &samples,
                          const QString &title, const QString &name) {
        if (Status shown = clip->setSignal(samples, r.sampleRate, title, name); !shown)
            problems << shown.error().toString();
    };
    const double sound = soundSeconds(w.mixture, r.sampleRate);
    show(m_clips->mixture(), w.mixture,
         tr("<b>Mixture %1</b><br>levels %2 dB · %3 s of sound")
             .arg(i + 1)
             .arg(levels.join(QStringLiteral(" / ")))
             .arg(sound, 0, 'f', 2),
         mixtureName);
    for (int s = 0; s < r.sourceCount; ++s) {
        show(m_clips->reference(s), sourceOf(w.references, s),
             tr("<b>Reference %1</b><br>%2, level %3 dB")
                 .arg(s + 1)
                 .arg(names.value(s).toHtmlEscaped(), levels.value(s)),
             tr("%1, reference %2").arg(mixtureName).arg(s + 1));
        show(m_clips->estimate(s), sourceOf(w.estimates, s),
             tr("<b>Estimate %1</b><br>SI-SNRi %2, SDRi %3")
                 .arg(s + 1)
                 .arg(dB(r.value(SeparationMetric::SiSnri, i, s)),
                      dB(r.value(SeparationMetric::Sdri, i, s))),
             tr("%1, estimate %2").arg(mixtureName).arg(s + 1));
    }
    // The sound and a little of the silence after it (the rest is zero padding).
    if (sound > 0.0)
        m_clips->setTimeRange(0.0, std::min(r.seconds(), sound * 1.05 + 0.02));
    m_clips->shareDbRange();
    setStatus(problems.join(QLatin1Char('\n')));
}

bool SeparationView::togglePlayback(SeparationClip *clip)
{
    const std::vector<SeparationClip *> clips = m_clips->all();
    if (!clip || std::find(clips.begin(), clips.end(), clip) == clips.end())
        return false;
    if (clip == m_playing && m_player->isPlaying()) {
        stopPlayback();
        return true;
    }
    m_playing = clip;
    const bool playing = m_player->playSamples(clip->samples(), clip->sampleRate(), clip->name());
    if (playing)
        setStatus(tr("Playing %1").arg(clip->name()));
    updatePlayButtons();
    return playing;
}

void SeparationView::stopPlayback()
{
    m_player->stop();
    m_playing = nullptr;
    updatePlayButtons();
}

void SeparationView::updatePlayButtons()
{
    if (!m_player->isPlaying())
        m_playing = nullptr;
    for (SeparationClip *clip : m_clips->all())
        clip->setPlaying(clip == m_playing);
}

Expected<QStringList> SeparationView::exportSources(const QString &folder)
{
    Expected<QStringList> written = writeSeparationSourcesWav(m_results, currentExample(), folder);
    if (!written) {
        setStatus(written.error().toString());
        return written;
    }
    QStringList names;
    for (const QString &path : *written)
        names << QFileInfo(path).fileName();
    setStatus(tr("Saved %1 WAV files in %2: %3")
                  .arg(written->size())
                  .arg(folder, names.join(QStringLiteral(", "))));
    return written;
}

Status SeparationView::exportExample(const QString &path)
{
    const Status written = writeSeparationExampleHdf5(m_results, currentExample(), path);
    setStatus(written ? tr("Saved %1").arg(path) : written.error().toString());
    return written;
}

CsvTable SeparationView::csvTable() const
{
    return separationMetricsTable(m_results);
}

QString SeparationView::suggestedExampleFileName() const
{
    return QStringLiteral("mixture-%1.h5").arg(std::max(0, currentExample()) + 1);
}

void SeparationView::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setToolTip(text);
    m_status->setVisible(!text.isEmpty());
}

} // namespace twb
