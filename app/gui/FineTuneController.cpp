#include "FineTuneController.h"

#include "client/ParametersJob.h"
#include "widgets/training/FineTuneBox.h"
#include "widgets/training/ModelPanel.h"

namespace twb {

FineTuneController::FineTuneController(ModelPanel *panel, QObject *parent)
    : QObject(parent)
    , m_panel(panel)
    , m_job(new ParametersJob(this))
{
    connect(m_job, &ParametersJob::computed, this,
            [this](const QString &runDir, const QList<ParameterEntry> &parameters) {
                FineTuneBox *box = m_panel->fineTuneBox();
                if (box->hasSource() && box->source().runDir == runDir)
                    box->setParameters(parameters);
            });
    connect(m_job, &ParametersJob::failed, this, [this](const QString &message, bool) {
        m_panel->fineTuneBox()->setParametersProblem(message);
    });
}

FineTuneController::~FineTuneController() = default;

void FineTuneController::setProgram(const QString &program)
{
    m_job->setProgram(program);
}

bool FineTuneController::start(const QString &runDir)
{
    const Expected<FineTuneSource> source = readFineTuneSource(runDir);
    if (!source) {
        Q_EMIT errorOccurred(tr("Cannot fine-tune from this run"), source.error().toString());
        return false;
    }
    m_panel->setFineTuneSource(*source);
    m_job->request(source->runDir);
    Q_EMIT started(*source);
    return true;
}

} // namespace twb
