#pragma once

#include "attention/AttentionFile.h"
#include "client/ExplainRequests.h"
#include "widgets/common/CsvExportable.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace twb {

class AttentionExplorer;
class AttentionTimeline;
class SaliencyView;
class WhatIfPanel;

/// The Explain tab: the attention of one sample of a finished run, shown in an
/// AttentionExplorer.
///
/// A view: "Show attention" (compute()) asks for the attention of the chosen sample
/// (attentionRequested: sample, channel, and either one sample with its gradient × input or the
/// mean of N samples); the controller (app/gui's ExplainController, running `twb-cli attention`
/// through an AttentionJob) answers with showComputing(), then showAttention() or
/// showFailure(). A new request while one is computed replaces it. The sample's input
/// (AttentionSet::input) is drawn under the map: the series for time-range and variate tokens,
/// the features as a spectrogram for tile tokens. The gradient × input is drawn under the
/// explorer by a SaliencyView.
///
/// When the run has epoch checkpoints (twb-cli train --checkpoint-every N; the controller gives
/// them with setCheckpoints()), an "Across training" toggle replaces the explorer by an
/// AttentionTimeline for the chosen sample and channel.
///
/// Under the explorer, a WhatIfPanel edits the sample shown (mask the query token, a time range
/// or a channel, switch the selected head off) and draws the prediction before and after. The
/// query token is offered only when it is an input token (not a distilled layer's or the
/// decoder's), the head only for self-attention layers (not cross-attention).
///
/// Threading and ownership: GUI thread only; owns its child views; starts no process and reads
/// no file.
class AttentionPanel : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit AttentionPanel(QWidget *parent = nullptr);
    ~AttentionPanel() override;

    /// The run whose samples are explained; clears the view and emits runChanged() (the
    /// controller ends what is under way and gives the run's checkpoints). `testSamples` bounds
    /// the sample spin box (0 = unknown: no bound), `channels` the channel spin box
    /// (channel-independent models attend per channel; -1 there means "the model's default").
    void setRun(const QString &runDir, int testSamples = 0, int channels = 0);
    QString runDir() const { return m_runDir; }
    /// The run's checkpoint files, in the timeline's order: "Across training" is offered when
    /// one of them is an epoch checkpoint.
    void setCheckpoints(const QStringList &checkpointNames);

    /// Asks for the attention of the chosen sample (attentionRequested(request())); false (with
    /// the reason in the status line) when no run is set.
    bool compute();
    /// What compute() asks for: the run, sample, channel, and the mean of averageBox() samples
    /// or one sample with its gradient × input.
    AttentionRequest request() const;
    bool isComputing() const { return m_computing; }

    /// The controller's reports: `request` is being computed; its attention (from `file`, named
    /// in the status line); or why there is none (shown and emitted as failed()).
    void showComputing(const AttentionRequest &request);
    void showAttention(explain::AttentionSet set, explain::AttentionSaliency saliency,
                       const QString &file);
    /// showFailure() also clears the explorer and shows the message in its place.
    void showFailure(const QString &message);

    AttentionExplorer *explorer() const { return m_explorer; }
    AttentionTimeline *timeline() const { return m_timeline; }
    /// What-if edits of the sample shown (under the explorer).
    WhatIfPanel *whatIf() const { return m_whatIf; }
    /// Gradient × input of the sample's prediction (the file's /saliency), under the explorer.
    SaliencyView *saliencyView() const { return m_saliency; }
    /// The "Across training" toggle: visible only for runs with epoch checkpoints.
    QPushButton *acrossTrainingButton() const { return m_acrossTraining; }
    /// Shows the timeline (true) or the explorer (false); the timeline only when available.
    void showAcrossTraining(bool on);
    QSpinBox *sampleBox() const { return m_sample; }
    QSpinBox *channelBox() const { return m_channel; }
    /// How many test samples from the chosen one are averaged (1 = just that sample).
    QSpinBox *averageBox() const { return m_average; }
    QString statusText() const;

    CsvTable csvTable() const override;

Q_SIGNALS:
    /// compute(): the attention of `request` is wanted.
    void attentionRequested(const twb::AttentionRequest &request);
    /// setRun(): another run (empty = none) is explained.
    void runChanged(const QString &runDir);
    /// Fine-tune… was pressed: a new run should start from this run's weights.
    void fineTuneRequested(const QString &runDir);
    /// An attention set was shown (showAttention(); `file` is where it came from).
    void attentionShown(const QString &file);
    /// A failure was shown (showFailure(): the child could not start, crashed, exited with an
    /// error, or its file could not be read).
    void failed(const QString &message);

private:
    void setStatus(const QString &text);
    void followExplorer();

    QString m_runDir;
    bool m_computing = false;
    AttentionExplorer *m_explorer = nullptr;
    QLabel *m_runLabel = nullptr;
    QSpinBox *m_sample = nullptr;
    QSpinBox *m_channel = nullptr;
    QSpinBox *m_average = nullptr;
    QPushButton *m_show = nullptr;
    QPushButton *m_acrossTraining = nullptr;
    QPushButton *m_fineTune = nullptr;
    AttentionTimeline *m_timeline = nullptr;
    WhatIfPanel *m_whatIf = nullptr;
    SaliencyView *m_saliency = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace twb
