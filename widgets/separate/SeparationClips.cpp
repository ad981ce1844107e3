#include "SeparationClips.h"

#include "SeparationClip.h"

#include "widgets/spectrogram/SpectrogramView.h"

#include <QGridLayout>
#include <QLabel>

#include <cmath>
#include <limits>

namespace twb {

namespace {

QLabel *columnHeader(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(text), parent);
    label->setAlignment(Qt::AlignHCenter);
    return label;
}

} // namespace

SeparationClips::SeparationClips(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
    , m_mixture(new SeparationClip(QStringLiteral("separationMixture"), this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->addWidget(columnHeader(tr("Mixture (what the model heard)"), this), 0, 0);
    m_grid->addWidget(columnHeader(tr("Reference (what was mixed)"), this), 0, 1);
    m_grid->addWidget(columnHeader(tr("Estimate (what the model separated)"), this), 0, 2);
    for (int column = 0; column < 3; ++column)
        m_grid->setColumnStretch(column, 1);
    m_grid->addWidget(m_mixture, 1, 0);
    watch(m_mixture);
}

SeparationClip *SeparationClips::reference(int source) const
{
    return source >= 0 && source < int(m_references.size()) ? m_references[std::size_t(source)]
                                                            : nullptr;
}

SeparationClip *SeparationClips::estimate(int source) const
{
    return source >= 0 && source < int(m_estimates.size()) ? m_estimates[std::size_t(source)]
                                                           : nullptr;
}

std::vector<SeparationClip *> SeparationClips::all() const
{
    std::vector<SeparationClip *> clips{m_mixture};
    clips.insert(clips.end(), m_references.begin(), m_references.end());
    clips.insert(clips.end(), m_estimates.begin(), m_estimates.end());
    return clips;
}

void SeparationClips::setSourceCount(int sources)
{
    sources = std::max(0, sources);
    if (sourceCount() == sources)
        return;
    for (SeparationClip *clip : all())
        if (clip != m_mixture)
            delete clip;
    m_references.clear();
    m_estimates.clear();
    for (int s = 0; s < sources; ++s) {
        const QString number = QString::number(s + 1);
        m_references.push_back(
            new SeparationClip(QStringLiteral("separationReference") + number, this));
        m_estimates.push_back(
            new SeparationClip(QStringLiteral("separationEstimate") + number, this));
        m_grid->addWidget(m_references.back(), 1 + s, 1);
        m_grid->addWidget(m_estimates.back(), 1 + s, 2);
        watch(m_references.back());
        watch(m_estimates.back());
    }
    m_grid->removeWidget(m_mixture);
    m_grid->addWidget(m_mixture, 1, 0, std::max(1, sources), 1);
}

void SeparationClips::watch(SeparationClip *clip)
{
    connect(clip, &SeparationClip::playRequested, this,
            [this, clip] { Q_EMIT playRequested(clip); });
    connect(clip->spectrogram(), &SpectrogramView::timeRangeChanged, this,
            [this](double t0, double t1) {
                if (!m_syncing)
                    setTimeRange(t0, t1);
            });
}

void SeparationClips::setTimeRange(double t0, double t1)
{
    m_syncing = true;
    for (SeparationClip *clip : all())
        if (clip->spectrogram()->hasSignal())
            clip->spectrogram()->setTimeRange(t0, t1);
    m_syncing = false;
}

void SeparationClips::shareDbRange()
{
    double top = -std::numeric_limits<double>::infinity();
    for (SeparationClip *clip : all()) {
        SpectrogramView *view = clip->spectrogram();
        if (!view->hasSignal())
            continue;
        view->computeVisibleNow();
        view->setAutoDbRange(true); // seeds the range from the tiles just computed
        top = std::max(top, view->dbRange().top);
    }
    if (!std::isfinite(top))
        return;
    for (SeparationClip *clip : all())
        if (clip->spectrogram()->hasSignal())
            clip->spectrogram()->setDbRange(top - 80.0, top);
}

} // namespace twb
