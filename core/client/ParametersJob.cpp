#include "ParametersJob.h"

#include <QFile>

#include <memory>

namespace twb {

ParametersJob::ParametersJob(QObject *parent)
    : CliFileJob(QStringLiteral("parameters"), parent)
{}

QStringList ParametersJob::arguments(const QString &runDir, const QString &outFile)
{
    return {QStringLiteral("parameters"), runDir, QStringLiteral("--out"), outFile};
}

void ParametersJob::request(const QString &runDir)
{
    run(
        QStringLiteral("parameters.json"),
        [runDir](const QString &file) { return arguments(runDir, file); },
        [this, runDir](const QString &file) -> Deliver {
            // Worker thread: read and parse only; the returned function runs on the job's thread.
            QFile in(file);
            auto parsed = std::make_shared<Expected<QList<ParameterEntry>>>(
                in.open(QIODevice::ReadOnly)
                    ? parseParameterList(in.readAll(), file)
                    : Expected<QList<ParameterEntry>>(Error{in.errorString(), file}));
            return [this, runDir, parsed] {
                if (!*parsed) {
                    Q_EMIT failed(parsed->error().toString(), false);
                    return;
                }
                Q_EMIT computed(runDir, **parsed);
            };
        });
}

} // namespace twb
