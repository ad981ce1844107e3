#include "AttentionJob.h"

namespace twb {

AttentionJob::AttentionJob(QObject *parent)
    : CliFileJob(QStringLiteral("attention"), parent)
{}

QStringList AttentionJob::arguments(const AttentionRequest &request, const QString &outFile)
{
    QStringList args{QStringLiteral("attention"), request.runDir, QStringLiteral("--index"),
                     QString::number(request.index)};
    if (!request.checkpoint.isEmpty())
        args << QStringLiteral("--checkpoint") << request.checkpoint;
    args << QStringLiteral("--out") << outFile;
    if (request.count > 1)
        args << QStringLiteral("--count") << QString::number(request.count);
    if (request.saliency)
        args << QStringLiteral("--saliency");
    if (request.channel >= 0)
        args << QStringLiteral("--channel") << QString::number(request.channel);
    return args;
}

Expected<AttentionResult> AttentionJob::read(const QString &file)
{
    Expected<explain::AttentionSet> set = explain::readAttentionFile(file);
    if (!set)
        return set.error();
    AttentionResult result;
    result.file = file;
    result.request.runDir = QString::fromStdString(set->runDir);
    result.request.index = set->sampleIndex;
    result.request.channel = int(set->channel);
    result.set = std::move(*set);
    if (Expected<explain::AttentionSaliency> saliency = explain::readAttentionSaliency(file))
        result.saliency = std::move(*saliency);
    return result;
}

void AttentionJob::request(const AttentionRequest &request)
{
    m_request = request;
    QString name = QStringLiteral("attention-s%1-c%2").arg(request.index).arg(request.channel);
    if (request.count > 1)
        name += QStringLiteral("-n%1").arg(request.count);
    if (!request.checkpoint.isEmpty())
        name += QLatin1Char('-') + QString(request.checkpoint).remove(QLatin1String(".pt"));
    run(
        name + QStringLiteral(".h5"),
        [request](const QString &file) { return arguments(request, file); },
        [this, request](const QString &file) -> Deliver {
            // Worker thread: only values are touched here; `this` is used by the returned
            // function, which runs on the job's thread.
            auto result = std::make_shared<Expected<AttentionResult>>(read(file));
            return [this, request, result] {
                if (!*result) {
                    Q_EMIT failed(result->error().toString(), false);
                    return;
                }
                auto shown = std::make_shared<AttentionResult>(std::move(**result));
                shown->request = request;
                Q_EMIT computed(shown);
            };
        });
}

} // namespace twb
