#pragma once

#include "client/SeparationFile.h"
#include "common/Expected.h"
#include "widgets/common/CsvExportable.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace twb {

class SeparationClip;
class SeparationClips;
class SoundPlayer;

/// The results of a speech separation run (task "separate"), one test mixture at a time: the
/// mixture's spectrogram and, for each source, the reference beside the model's estimate (in
/// the references' order), each with a Play button; a summary of the example's SI-SNRi and SDRi
/// per source and of the test part's means; export of the example.
///
/// setResults() shows what readSeparationResults read (by the caller, on a worker: app/gui's
/// RunViewsController); the view reads no file. The example chooser ("separationExample") lists
/// the mixtures kept as sound in predictions.h5 (the first m <= 64 of the n scored), each with
/// its utterances and its mean SI-SNRi. The example's clips (SeparationClips: the mixture, then
/// per source the reference beside the estimate) share one dB range, so that an estimate and its
/// reference compare by colour, and one time axis, which first shows the mixture up to its last
/// non-zero sample (the zero padding after it is a scroll away).
///
/// Playback: one SoundPlayer; a clip's Play button plays it (Stop while it plays), another clip
/// stops it first; choosing another example stops it. Problems (no audio device, ...) go to the
/// status line ("separationStatus"), never fatal.
///
/// Export: the buttons raise the signals exportSourcesRequested / exportExampleRequested; the
/// window asks for a folder or a file name and calls exportSources() / exportExample()
/// (SeparationExport.h), whose result is also shown in the status line.
///
/// CsvExportable: the metrics of every scored test mixture (separationMetricsTable).
///
/// Units: dB for every metric and level, Hz for rates, seconds for durations. Object names for
/// tests and lessons: "separationExample", "separationSummary", "separationStatus",
/// "separationExportWav", "separationExportHdf5", the clips "separationMixture",
/// "separationReference<s>", "separationEstimate<s>" (s = 1..S) with their "<clip>Play" buttons.
///
/// Threading: GUI thread only.
class SeparationView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit SeparationView(QWidget *parent = nullptr);
    ~SeparationView() override;

    /// Shows `results`, its first listenable mixture chosen. Results without listenable
    /// mixtures show the test means and say that no waveform was kept.
    void setResults(SeparationResults results);
    /// Clears the view and says why (naming the file).
    void showFailure(const QString &message);
    const SeparationResults &results() const { return m_results; }

    /// The listenable mixture shown (0-based), -1 when none.
    int currentExample() const;
    /// Shows mixture `example` (0-based); false when it is not listenable.
    bool setCurrentExample(int example);

    /// The lines above the spectrograms: the example's SI-SNRi and SDRi (mean and per
    /// source) and the test part's means.
    QString summaryText() const;
    QString statusText() const;

    /// Plays `clip` (one of this view's), or stops it when it is playing. False with the reason
    /// in the status line when it cannot play.
    bool togglePlayback(SeparationClip *clip);
    void stopPlayback();

    /// The estimated sources of the shown example as WAV files in `folder`
    /// (writeSeparationSourcesWav); the status line says what was written or why not.
    Expected<QStringList> exportSources(const QString &folder);
    /// The shown example as HDF5 at `path` (writeSeparationExampleHdf5); status line as above.
    Status exportExample(const QString &path);
    /// "mixture-3.h5": a file name for exportExample's dialog.
    QString suggestedExampleFileName() const;

    QComboBox *exampleBox() const { return m_example; }
    SeparationClips *clips() const { return m_clips; }
    SeparationClip *mixtureClip() const;
    /// The clips of source `source` (0-based); nullptr when out of range.
    SeparationClip *referenceClip(int source) const;
    SeparationClip *estimateClip(int source) const;
    QPushButton *exportSourcesButton() const { return m_exportWav; }
    QPushButton *exportExampleButton() const { return m_exportHdf5; }
    SoundPlayer *player() const { return m_player; }

    CsvTable csvTable() const override;

Q_SIGNALS:
    /// "Export sources as WAV…" was clicked: ask for a folder, then call exportSources().
    void exportSourcesRequested();
    /// "Export example as HDF5…" was clicked: ask for a file, then call exportExample().
    void exportExampleRequested();

private:
    void showExample();
    void showClips(int example);
    void setStatus(const QString &text);
    void updatePlayButtons();

    SeparationResults m_results;
    QComboBox *m_example = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_exportWav = nullptr;
    QPushButton *m_exportHdf5 = nullptr;
    SeparationClips *m_clips = nullptr;
    SoundPlayer *m_player = nullptr;
    SeparationClip *m_playing = nullptr; ///< the clip being played, or nullptr
};

} // namespace twb
