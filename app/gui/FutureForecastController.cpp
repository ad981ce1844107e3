#include "FutureForecastController.h"

#include "client/FutureForecastJob.h"
#include "data/AtomicWrite.h"
#include "widgets/forecast/ForecastView.h"

#include <QDir>
#include <QLabel>

namespace twb {

FutureForecastController::FutureForecastController(ForecastView *view, DataSource source,
                                                   QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_source(std::move(source))
    , m_job(new FutureForecastJob(this))
{
    connect(m_view, &ForecastView::futureForecastRequested, this,
            &FutureForecastController::forecastBeyond);
    connect(m_job, &FutureForecastJob::computed, this,
            [this](const FutureForecast &forecast, const QString &file) {
                m_file = file;
                m_view->setFutureForecast(forecast);
                Q_EMIT finished(true, m_view->futureLabel()->text());
            });
    connect(m_job, &FutureForecastJob::failed, this, [this](const QString &message, bool) {
        m_file.clear();
        m_view->showFutureForecastFailure(message);
        Q_EMIT finished(false, message);
    });
}

FutureForecastController::~FutureForecastController() = default;

void FutureForecastController::setProgram(const QString &program)
{
    m_job->setProgram(program);
}

void FutureForecastController::setRun(const QString &runDir, const RunSummary &summary)
{
    m_job->cancel();
    m_runDir = runDir;
    m_summary = summary;
    m_file.clear();
}

void FutureForecastController::forecastBeyond()
{
    if (m_runDir.isEmpty())
        return;
    const QString data = m_source ? m_source(m_summary) : QString();
    if (data.isEmpty()) {
        const QString message =
            tr("Cannot forecast past the end of the data: the run's data %1 is not found; open "
               "it in the window first")
                .arg(QDir::toNativeSeparators(m_summary.dataPath));
        m_view->showFutureForecastFailure(message);
        Q_EMIT finished(false, message);
        return;
    }
    m_file.clear();
    m_view->setFutureForecastBusy(true);
    m_job->request(m_runDir, data);
}

Status FutureForecastController::saveForecast(const QString &path) const
{
    if (m_file.isEmpty())
        return Error{tr("no forecast past the end of the data to save"), path};
    return copyFileAtomically(m_file, path);
}

} // namespace twb
