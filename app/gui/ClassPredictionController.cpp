#include "ClassPredictionController.h"

#include "client/ClassPredictionJob.h"
#include "data/AtomicWrite.h"
#include "widgets/classify/NewDataPredictionsView.h"

#include <QFileInfo>
#include <QLabel>

namespace twb {

ClassPredictionController::ClassPredictionController(NewDataPredictionsView *view, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_job(new ClassPredictionJob(this))
{
    connect(m_job, &ClassPredictionJob::computed, this,
            [this](const PredictedCases &predictions, const QString &file) {
                m_file = file;
                m_view->setPredictions(predictions, m_dataPath);
                Q_EMIT finished(true, m_view->summaryLabel()->text());
            });
    connect(m_job, &ClassPredictionJob::failed, this, [this](const QString &message, bool) {
        m_file.clear();
        m_view->showFailure(message);
        Q_EMIT finished(false, message);
    });
}

ClassPredictionController::~ClassPredictionController() = default;

void ClassPredictionController::setProgram(const QString &program)
{
    m_job->setProgram(program);
}

bool ClassPredictionController::readsUnlabelled(const QString &dataPath)
{
    const QFileInfo info(dataPath);
    if (info.isDir())
        return true;
    const QString suffix = info.suffix().toLower();
    return suffix != QLatin1String("ts") && suffix != QLatin1String("arff") &&
           suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5");
}

void ClassPredictionController::setRun(const QString &runDir)
{
    m_job->cancel();
    m_runDir = runDir;
    m_file.clear();
    m_view->clear();
    m_view->setRunAvailable(!runDir.isEmpty());
}

void ClassPredictionController::predict(const QString &dataPath)
{
    if (m_runDir.isEmpty() || dataPath.isEmpty())
        return;
    m_dataPath = dataPath;
    m_file.clear();
    m_view->setBusy(true, dataPath);
    m_job->request(m_runDir, dataPath, readsUnlabelled(dataPath));
}

Status ClassPredictionController::savePredictions(const QString &path) const
{
    if (m_file.isEmpty())
        return Error{tr("no predictions to save"), path};
    return copyFileAtomically(m_file, path);
}

} // namespace twb
