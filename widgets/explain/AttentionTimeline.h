#pragma once

#include "attention/AttentionSet.h"
#include "client/ExplainRequests.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <memory>

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace twb {

class AttentionMapView;

/// "Attention across training" (issue 5 part 5): one sample's attention at every checkpoint of
/// a run trained with --checkpoint-every, and a slider over the checkpoints that shows the chosen
/// layer / head at that epoch.
///
/// A view: it is given the run's checkpoints (setRun; in the order the slider shows them, see
/// listCheckpoints in client/RunCheckpoints.h) and asks for the ones it lacks
/// (checkpointsRequested) when "Compute across training" is pressed; the controller (app/gui's
/// ExplainController with an AttentionSequence) reports each checkpoint as it starts, its
/// attention or its failure, and the end. The maps are kept (key: sample, channel, checkpoint)
/// until setRun(). The status line counts the computed checkpoints ("3 of 10 checkpoints
/// computed") and names each failed checkpoint with the reason; a failure does not stop the
/// others.
///
/// Threading and ownership: GUI thread only; shares the attention sets it is given.
class AttentionTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit AttentionTimeline(QWidget *parent = nullptr);
    ~AttentionTimeline() override;

    /// The run and its checkpoint files; forgets every kept map and abandons a computation.
    void setRun(const QString &runDir, const QStringList &checkpoints);
    QString runDir() const { return m_runDir; }
    const QStringList &checkpoints() const { return m_checkpoints; }

    /// The sample (test index) and channel (-1 = the model's default) compute() explains;
    /// another one abandons a computation under way.
    void setSample(int index, int channel = -1);
    int sample() const { return m_sample; }
    int channel() const { return m_channel; }

    /// Asks for the checkpoints of the current sample that are not kept yet (one request:
    /// checkpointsRequested). False (reason in the status line) without a run or checkpoints,
    /// or while computing. When every checkpoint is kept, emits finished() at once.
    bool compute();
    bool isComputing() const { return m_computing; }
    /// The checkpoints of the current sample with an attention set.
    int computedCount() const;

    /// The controller's reports: a checkpoint's child started; its attention (kept under
    /// request's sample, channel and checkpoint); its failure (`message` without the
    /// checkpoint's name); every checkpoint tried.
    void showComputing(const QString &checkpointName);
    void showCheckpointAttention(const AttentionRequest &request,
                                 std::shared_ptr<const explain::AttentionSet> set);
    void showCheckpointFailure(const QString &checkpointName, const QString &message);
    void showFinished();

    /// The slider: index into checkpoints().
    void setCheckpointIndex(int index);
    int checkpointIndex() const;
    void setLayer(int layer);
    void setHead(int head);
    /// The attention set of a checkpoint for the current sample; null when not computed.
    std::shared_ptr<const explain::AttentionSet> attentionAt(const QString &checkpointName) const;

    AttentionMapView *mapView() const { return m_view; }
    QSlider *slider() const { return m_slider; }
    QString epochText() const;
    QString statusText() const;

Q_SIGNALS:
    /// compute(): the attention of `base` (sample, channel) with each of `checkpoints`, in order.
    void checkpointsRequested(const twb::AttentionRequest &base, const QStringList &checkpoints);
    /// The computation under way is no longer wanted (another run or sample).
    void computationAbandoned();
    /// The attention of one checkpoint is available.
    void checkpointComputed(const QString &checkpointName);
    /// One checkpoint failed; `message` names it and carries the reason.
    void failed(const QString &message);
    /// compute() is done with every checkpoint (some may have failed).
    void finished();

private:
    struct Key
    {
        int sample = 0;
        int channel = -1;
        QString checkpoint;
        bool operator<(const Key &other) const;
    };

    Key keyOf(const QString &checkpointName) const;
    void abandon();
    void fail(const QString &message);
    void updateProgress();
    void showCurrent();

    QString m_runDir;
    QStringList m_checkpoints;
    int m_sample = 0;
    int m_channel = -1;
    std::map<Key, std::shared_ptr<const explain::AttentionSet>> m_cache;
    bool m_computing = false;
    QString m_current; ///< the checkpoint being computed
    QStringList m_failures;

    QSlider *m_slider = nullptr;
    QSpinBox *m_layer = nullptr;
    QSpinBox *m_head = nullptr;
    QCheckBox *m_fixedScale = nullptr;
    QPushButton *m_compute = nullptr;
    QLabel *m_epoch = nullptr;
    QLabel *m_status = nullptr;
    AttentionMapView *m_view = nullptr;
};

} // namespace twb
