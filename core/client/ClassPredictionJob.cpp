#include "ClassPredictionJob.h"

#include <memory>

namespace twb {

ClassPredictionJob::ClassPredictionJob(QObject *parent)
    : CliFileJob(QStringLiteral("predict"), parent)
{}

QStringList ClassPredictionJob::arguments(const QString &runDir, const QString &dataPath,
                                          bool unlabelled, const QString &outFile)
{
    QStringList args{QStringLiteral("predict"), runDir, QStringLiteral("--data"), dataPath,
                     QStringLiteral("--out"),   outFile};
    if (unlabelled)
        args << QStringLiteral("--unlabelled");
    return args;
}

void ClassPredictionJob::request(const QString &runDir, const QString &dataPath, bool unlabelled)
{
    run(
        QStringLiteral("predictions.csv"),
        [runDir, dataPath, unlabelled](const QString &file) {
            return arguments(runDir, dataPath, unlabelled, file);
        },
        [this](const QString &file) -> Deliver {
            // Worker thread: only the file is read here.
            auto read = std::make_shared<Expected<PredictedCases>>(loadPredictedCases(file));
            return [this, file, read] {
                if (!*read) {
                    Q_EMIT failed(read->error().toString(), false);
                    return;
                }
                Q_EMIT computed(**read, file);
            };
        });
}

} // namespace twb
