#pragma once

#include "CliFileJob.h"
#include "FutureForecast.h"

namespace twb {

/// `twb-cli predict RUN --data DATA --out TMP.csv` — the forecast of the next horizon after the
/// end of DATA by a finished forecast run — and the CSV read back on a worker thread
/// (loadFutureForecast).
///
/// request() replaces a request under way (the latest wins, see CliFileJob); computed() or
/// failed() follows the latest one. twb-cli's own message (naming the file and the problem: a
/// channel missing from DATA, fewer rows than the lookback ...) comes with failed().
/// Threading and ownership: as CliFileJob (an event-loop thread; owns its child and the file,
/// which lives as long as the job or until the next request).
class FutureForecastJob : public CliFileJob
{
    Q_OBJECT

public:
    explicit FutureForecastJob(QObject *parent = nullptr);

    using CliFileJob::arguments;
    /// The command line writing `outFile` (without the program).
    static QStringList arguments(const QString &runDir, const QString &dataPath,
                                 const QString &outFile);

    void request(const QString &runDir, const QString &dataPath);

Q_SIGNALS:
    /// The forecast of the latest request and the CSV it was read from (in the job's folder).
    void computed(const twb::FutureForecast &forecast, const QString &file);
};

} // namespace twb
