#pragma once

#include "explain/AttentionSet.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QWidget>

#include <map>
#include <memory>

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QThread;

namespace twb {

class AttentionMapView;

/// "Attention across training" (issue 5 part 5): one sample's attention at every checkpoint of
/// a run trained with --checkpoint-every, and a slider over the checkpoints that shows the chosen
/// layer / head at that epoch.
///
/// Checkpoints: RUN/checkpoints/epoch_<N>.pt in epoch order (epoch_010 after epoch_002), then
/// best.pt and last.pt when present. compute() runs `twb-cli attention RUN --index I
/// [--channel C] --checkpoint NAME --out FILE.h5` for each checkpoint not yet cached, one child
/// at a time; each finished file is read on a worker thread (explain::readAttentionFile) and
/// kept (cache key: sample, channel, checkpoint) until setRun(). The status line counts the
/// computed checkpoints ("3 of 10 checkpoints computed") and names each failed checkpoint with
/// the child's last stderr lines; a failure does not stop the others.
///
/// Threading and ownership: GUI thread; never waits for a child or a file read (except in the
/// destructor, which kills the child and waits for a running read). Owns its child process and a
/// temporary folder for the files (removed with the widget).
class AttentionTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit AttentionTimeline(QWidget *parent = nullptr);
    ~AttentionTimeline() override;

    /// The twb-cli executable (default: "twb-cli" next to the running application).
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }

    /// The checkpoint files of `runDir`/checkpoints, in the order the slider shows them.
    static QStringList checkpointNames(const QString &runDir);
    /// The 1-based epoch of "epoch_012.pt" (12); -1 for any other name.
    static int epochOf(const QString &checkpointName);
    /// True when `runDir`/checkpoints holds at least one epoch_<N>.pt.
    static bool hasEpochCheckpoints(const QString &runDir);

    /// Lists the run's checkpoints and forgets every cached map; stops a running computation.
    void setRun(const QString &runDir);
    QString runDir() const { return m_runDir; }
    const QStringList &checkpoints() const { return m_checkpoints; }

    /// The sample (test index) and channel (-1 = the model's default) compute() explains.
    void setSample(int index, int channel = -1);
    int sample() const { return m_sample; }
    int channel() const { return m_channel; }

    /// Starts computing the checkpoints of the current sample that are not cached yet, one
    /// after the other. False (reason in the status line) without a run or checkpoints, or while
    /// already computing. Emits finished() at the end (at once when everything is cached).
    bool compute();
    bool isComputing() const { return m_current >= 0; }
    /// The checkpoints of the current sample with an attention set.
    int computedCount() const;
    /// The arguments compute() gives twb-cli for one checkpoint.
    QStringList arguments(const QString &checkpointName, const QString &outFile) const;

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
    /// The attention of one checkpoint is available.
    void checkpointComputed(const QString &checkpointName);
    /// One checkpoint failed; `message` names it and carries the child's last stderr lines.
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
    void startNext();
    void onChildFinished(int exitCode, QProcess::ExitStatus status);
    void readFile(const QString &checkpointName, const QString &path);
    void fail(const QString &message);
    void updateProgress();
    void showCurrent();
    void stop();

    QString m_program;
    QString m_runDir;
    QStringList m_checkpoints;
    int m_sample = 0;
    int m_channel = -1;
    std::map<Key, std::shared_ptr<const explain::AttentionSet>> m_cache;
    int m_current = -1; ///< index into m_checkpoints being computed; -1 = idle
    QString m_outFile;
    QByteArray m_errorOutput;
    QStringList m_failures;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QProcess *m_process = nullptr;
    QThread *m_reader = nullptr;
    std::uint64_t m_generation = 0; ///< bumped by setRun(): late results are dropped

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
