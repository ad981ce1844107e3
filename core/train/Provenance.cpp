#include "Provenance.h"
#include "Environment.h"
#include "TaskPipeline.h"
#include "plugin/ModelPlugin.h"

#include <QDateTime>

namespace twb {

QJsonObject runProvenance(const TaskPipeline &pipeline, const ModelSource &source, int threads)
{
    QJsonObject p = pipeline.dataProvenance();
    p[QStringLiteral("plugin")] = QJsonObject{{QStringLiteral("id"), source.plugin->id()},
                                              {QStringLiteral("name"), source.name},
                                              {QStringLiteral("version"), source.version}};
    p[QStringLiteral("versions")] = versionsJson();
    p[QStringLiteral("threads_used")] = threads;
    p[QStringLiteral("start_time")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    return p;
}

} // namespace twb
