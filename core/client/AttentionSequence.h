#pragma once

#include "ExplainRequests.h"
#include "attention/AttentionSet.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace twb {

class AttentionJob;

/// "Attention across training": one sample's attention with each checkpoint of a run, one
/// `twb-cli attention ... --checkpoint NAME` child at a time (through an AttentionJob; each
/// file is read on a worker thread).
///
/// start() computes `base` with every checkpoint given, in that order; a checkpoint that fails
/// is reported (checkpointFailed) and the others go on, except when the program cannot start at
/// all: then the sequence ends at once. finished() follows the last checkpoint. A start() while
/// running replaces the running sequence; cancel() ends it without finished().
/// Threading and ownership: an event-loop thread (the GUI thread in the window); owns its job.
class AttentionSequence : public QObject
{
    Q_OBJECT

public:
    explicit AttentionSequence(QObject *parent = nullptr);
    ~AttentionSequence() override;

    void setProgram(const QString &program);
    QString program() const;

    void start(const AttentionRequest &base, const QStringList &checkpoints);
    void cancel();
    bool isRunning() const { return m_next >= 0; }
    AttentionJob *job() const { return m_job; }

Q_SIGNALS:
    /// The child of `checkpoint` was started.
    void checkpointStarted(const QString &checkpoint);
    /// `request.checkpoint`'s attention (request = the base with that checkpoint).
    void checkpointComputed(const twb::AttentionRequest &request,
                            std::shared_ptr<const twb::explain::AttentionSet> set);
    /// `message` carries the child's last stderr lines or the file's problem (without the
    /// checkpoint's name).
    void checkpointFailed(const QString &checkpoint, const QString &message);
    /// Every checkpoint was tried (some may have failed), or the program could not start.
    void finished();

private:
    void startNext();
    void end();

    AttentionJob *m_job = nullptr;
    AttentionRequest m_base;
    QStringList m_checkpoints;
    int m_next = -1;   ///< index of the checkpoint being computed; -1 = idle
    quint64 m_run = 0; ///< bumped by start() and cancel()
};

} // namespace twb
