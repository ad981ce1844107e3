#include "ForwardJob.h"

namespace twb {

ForwardJob::ForwardJob(QObject *parent)
    : CliFileJob(QStringLiteral("forward"), parent)
{}

QStringList ForwardJob::arguments(const ForwardRequest &request, const QString &outFile)
{
    return {QStringLiteral("forward"),      request.runDir,          QStringLiteral("--index"),
            QString::number(request.index), QStringLiteral("--out"), outFile};
}

void ForwardJob::request(const ForwardRequest &request)
{
    m_request = request;
    run(
        QStringLiteral("forward-%1.h5").arg(request.index),
        [request](const QString &file) { return arguments(request, file); },
        [this, request](const QString &file) -> Deliver {
            // Worker thread: only the file is read here; the returned function runs on the
            // job's thread.
            auto trace =
                std::make_shared<Expected<explain::ForwardTrace>>(explain::readForwardFile(file));
            return [this, request, file, trace] {
                if (!*trace) {
                    Q_EMIT failed(trace->error().toString(), false);
                    return;
                }
                Q_EMIT computed(std::make_shared<const ForwardResult>(
                    ForwardResult{request, file, std::move(**trace)}));
            };
        });
}

} // namespace twb
