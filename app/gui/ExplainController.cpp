#include "ExplainController.h"

#include "client/AttentionJob.h"
#include "client/AttentionSequence.h"
#include "client/CliJob.h"
#include "client/ForwardJob.h"
#include "client/RunCheckpoints.h"
#include "client/WhatIfSession.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/AttentionTimeline.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/WhatIfPanel.h"

namespace twb {

ExplainController::ExplainController(QObject *parent)
    : QObject(parent)
    , m_attention(new AttentionJob(this))
    , m_sequence(new AttentionSequence(this))
    , m_forward(new ForwardJob(this))
    , m_whatIf(new WhatIfSession(this))
{
    setProgram(CliJob::defaultProgram());
}

ExplainController::~ExplainController() = default;

void ExplainController::setProgram(const QString &program)
{
    m_program = program;
    m_attention->setProgram(program);
    m_sequence->setProgram(program);
    m_forward->setProgram(program);
    m_whatIf->setProgram(program);
}

void ExplainController::attach(AttentionPanel *panel)
{
    connect(panel, &AttentionPanel::attentionRequested, this,
            [this, panel](const AttentionRequest &request) {
                panel->showComputing(request);
                m_attention->request(request);
            });
    connect(panel, &AttentionPanel::runChanged, this, [this, panel](const QString &runDir) {
        m_attention->cancel();
        panel->setCheckpoints(listCheckpoints(runDir));
    });
    connect(m_attention, &AttentionJob::computed, panel,
            [panel](const std::shared_ptr<AttentionResult> &result) {
                // The one receiver: the set moves into the explorer.
                panel->showAttention(std::move(result->set), std::move(result->saliency),
                                     result->file);
            });
    connect(m_attention, &AttentionJob::failed, panel,
            [panel](const QString &message) { panel->showFailure(message); });
    attach(panel->timeline());
    attach(panel->whatIf());
}

void ExplainController::attach(AttentionTimeline *timeline)
{
    connect(timeline, &AttentionTimeline::checkpointsRequested, m_sequence,
            &AttentionSequence::start);
    connect(timeline, &AttentionTimeline::computationAbandoned, m_sequence,
            &AttentionSequence::cancel);
    connect(m_sequence, &AttentionSequence::checkpointStarted, timeline,
            &AttentionTimeline::showComputing);
    connect(m_sequence, &AttentionSequence::checkpointComputed, timeline,
            &AttentionTimeline::showCheckpointAttention);
    connect(m_sequence, &AttentionSequence::checkpointFailed, timeline,
            &AttentionTimeline::showCheckpointFailure);
    connect(m_sequence, &AttentionSequence::finished, timeline, &AttentionTimeline::showFinished);
}

void ExplainController::attach(ForwardPassPanel *panel)
{
    connect(panel, &ForwardPassPanel::traceRequested, this,
            [this, panel](const ForwardRequest &request) {
                panel->showComputing(request);
                m_forward->request(request);
            });
    connect(panel, &ForwardPassPanel::runChanged, m_forward, &ForwardJob::cancel);
    connect(m_forward, &ForwardJob::computed, panel,
            [panel](const std::shared_ptr<const ForwardResult> &result) {
                panel->showTrace(result->trace, result->file);
            });
    connect(m_forward, &ForwardJob::failed, panel,
            [panel](const QString &message) { panel->showFailure(message); });
}

void ExplainController::attach(WhatIfPanel *panel)
{
    connect(panel, &WhatIfPanel::predictionRequested, this,
            [this, panel](qint64 index, const WhatIfEdit &edit) {
                if (!m_whatIf->isRunning() || m_whatIf->runDir() != panel->runDir())
                    m_whatIf->start(panel->runDir());
                m_whatIf->request(index, edit);
            });
    connect(panel, &WhatIfPanel::runChanged, m_whatIf, &WhatIfSession::stop);
    connect(m_whatIf, &WhatIfSession::ready, panel, &WhatIfPanel::showModelLoaded);
    connect(m_whatIf, &WhatIfSession::answered, panel, [panel](const QJsonObject &json) {
        Expected<WhatIfAnswer> answer = WhatIfAnswer::fromJson(json);
        if (!answer) {
            panel->showFailure(tr("What-if: %1").arg(answer.error().toString()));
            return;
        }
        panel->showAnswer(std::move(*answer));
    });
    connect(m_whatIf, &WhatIfSession::failed, panel, &WhatIfPanel::showFailure);
}

} // namespace twb
