#pragma once

#include "CliFileJob.h"
#include "PredictedCases.h"

namespace twb {

/// `twb-cli predict RUN --data DATA --out TMP.csv [--unlabelled]` for a classification run —
/// the classes of new data: a sound file or a folder of them (unlabelled: new recordings), or
/// a labelled file with the run's classes — and the CSV read back on a worker thread
/// (loadPredictedCases).
///
/// request() replaces a request under way (the latest wins, see CliFileJob); computed() or
/// failed() follows the latest one, failed() with twb-cli's own message naming the file.
/// Threading and ownership: as CliFileJob.
class ClassPredictionJob : public CliFileJob
{
    Q_OBJECT

public:
    explicit ClassPredictionJob(QObject *parent = nullptr);

    using CliFileJob::arguments;
    /// The command line writing `outFile` (without the program).
    static QStringList arguments(const QString &runDir, const QString &dataPath, bool unlabelled,
                                 const QString &outFile);

    void request(const QString &runDir, const QString &dataPath, bool unlabelled);

Q_SIGNALS:
    /// The predictions of the latest request and the CSV they were read from (job's folder).
    void computed(const twb::PredictedCases &predictions, const QString &file);
};

} // namespace twb
