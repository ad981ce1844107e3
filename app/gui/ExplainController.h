#pragma once

#include <QObject>
#include <QString>

namespace twb {

class AttentionJob;
class AttentionPanel;
class AttentionSequence;
class AttentionTimeline;
class ForwardJob;
class ForwardPassPanel;
class WhatIfPanel;
class WhatIfSession;

/// The controller of the Explain and Forward pass tabs (Sonic Visualiser's svapp): owns the
/// clients that reach twb-cli and wires them to the views, which only send requests and show
/// what they are given.
///
/// - AttentionPanel: its requests go to an AttentionJob (`twb-cli attention`, the file read on
///   a worker thread; the latest request wins); a new run ends what is under way and gives the
///   panel the run's checkpoints (listCheckpoints).
/// - AttentionTimeline: its checkpoint requests go to an AttentionSequence, one child per
///   checkpoint; another run or sample abandons the sequence.
/// - ForwardPassPanel: its requests go to a ForwardJob (`twb-cli forward`).
/// - WhatIfPanel: its prediction requests go to a WhatIfSession (`twb-cli whatif RUN --serve`,
///   started for the panel's run when needed and stopped when the run changes); the answers
///   are decoded (WhatIfAnswer) and shown, a rejected request as a failure.
///
/// attach(AttentionPanel *) also attaches the panel's timeline and what-if panel. At most one
/// view of each kind is attached; the controller may outlive its views (connections end with
/// them) and they may outlive it (they then just ask without an answer).
/// Threading and ownership: GUI thread; owns its clients (so every twb-cli child it started,
/// ended when it is destroyed), not the views.
class ExplainController : public QObject
{
    Q_OBJECT

public:
    explicit ExplainController(QObject *parent = nullptr);
    ~ExplainController() override;

    /// The twb-cli executable of every client (default: "twb-cli" next to the application).
    void setProgram(const QString &program);
    QString program() const { return m_program; }

    void attach(AttentionPanel *panel);
    void attach(AttentionTimeline *timeline);
    void attach(ForwardPassPanel *panel);
    void attach(WhatIfPanel *panel);

    AttentionJob *attentionJob() const { return m_attention; }
    AttentionSequence *attentionSequence() const { return m_sequence; }
    ForwardJob *forwardJob() const { return m_forward; }
    WhatIfSession *whatIfSession() const { return m_whatIf; }

private:
    QString m_program;
    AttentionJob *m_attention = nullptr;
    AttentionSequence *m_sequence = nullptr;
    ForwardJob *m_forward = nullptr;
    WhatIfSession *m_whatIf = nullptr;
};

} // namespace twb
