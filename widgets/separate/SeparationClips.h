#pragma once

#include <QWidget>

#include <vector>

class QGridLayout;

namespace twb {

class SeparationClip;

/// The waveforms of one separation example laid out for comparison: the mixture in the first
/// column (spanning every row), then one row per source with its reference and the model's
/// estimate side by side, under column headers.
///
/// The clips' spectrograms share one dB range (shareDbRange) and one time axis: zooming or
/// scrolling one (SpectrogramView's wheel, drag and keys) moves the others. Object names of the
/// clips: "separationMixture", "separationReference<s>", "separationEstimate<s>" (s = 1..S).
///
/// Threading: GUI thread only.
class SeparationClips : public QWidget
{
    Q_OBJECT

public:
    explicit SeparationClips(QWidget *parent = nullptr);

    /// Makes S rows of reference and estimate clips (deleting the old ones when S changes).
    void setSourceCount(int sources);
    int sourceCount() const { return int(m_references.size()); }

    SeparationClip *mixture() const { return m_mixture; }
    /// nullptr when `source` (0-based) is out of range.
    SeparationClip *reference(int source) const;
    SeparationClip *estimate(int source) const;
    /// The mixture, then the references, then the estimates.
    std::vector<SeparationClip *> all() const;

    /// After new signals: gives every spectrogram the range of the loudest (its automatic top,
    /// floor 80 dB below), computing the visible tiles first.
    void shareDbRange();
    /// Shows [t0, t1] (seconds) in every clip.
    void setTimeRange(double t0, double t1);

Q_SIGNALS:
    /// The Play button of `clip` was clicked.
    void playRequested(twb::SeparationClip *clip);

private:
    void watch(SeparationClip *clip);

    QGridLayout *m_grid = nullptr;
    SeparationClip *m_mixture = nullptr;
    std::vector<SeparationClip *> m_references;
    std::vector<SeparationClip *> m_estimates;
    bool m_syncing = false; ///< a time range is being handed to the other clips
};

} // namespace twb
