#pragma once

#include "client/RunSummary.h"
#include "common/Expected.h"

#include <QObject>
#include <QString>

#include <functional>

namespace twb {

class ForecastView;
class FutureForecastJob;

/// "Forecast Beyond the Data" in the forecast view: runs `twb-cli predict` on the forecast run
/// the view shows (FutureForecastJob: a child process, the CSV read on a worker) and gives the
/// forecast — or twb-cli's reason it could not — to the view; saves that CSV where the user
/// asks (written atomically).
///
/// Which data it forecasts after comes from the DataSource (the window: its open file when it
/// is the run's, else the run's own data path when that file exists); an empty answer fails
/// with a message naming the run's data.
///
/// Ownership: the view is not owned and must outlive the controller; the job is a child.
/// Threading: GUI thread.
class FutureForecastController : public QObject
{
    Q_OBJECT

public:
    /// The data file (a path spec) to forecast after for `run`; empty when none is found.
    using DataSource = std::function<QString(const RunSummary &run)>;

    FutureForecastController(ForecastView *view, DataSource source, QObject *parent = nullptr);
    ~FutureForecastController() override;

    /// The forecast run the view shows now (an empty runDir: none). Ends a forecast under way.
    void setRun(const QString &runDir, const RunSummary &summary);
    /// Starts the forecast past the end of the data for the shown run.
    void forecastBeyond();
    /// Copies the forecast shown to `path` (temporary file, then rename); the error names it.
    Status saveForecast(const QString &path) const;
    /// The CSV of the forecast shown (in the job's temporary folder); empty when none.
    QString forecastFile() const { return m_file; }
    /// The `twb-cli` program (tests).
    void setProgram(const QString &program);

Q_SIGNALS:
    /// A forecast was shown (ok) or its failure, with the message.
    void finished(bool ok, const QString &message);

private:
    ForecastView *m_view = nullptr;
    DataSource m_source;
    FutureForecastJob *m_job = nullptr;
    QString m_runDir;
    RunSummary m_summary;
    QString m_file;
};

} // namespace twb
