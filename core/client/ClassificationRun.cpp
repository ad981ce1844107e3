#include "ClassificationRun.h"

#include "FileProbe.h"
#include "RunFolder.h"

#include <QDir>

#include <stdexcept>

namespace twb {

Expected<ClassificationRunData> readClassificationRun(const QString &runDir)
{
    Expected<RunFolder> folder = openRunFolder(runDir);
    if (!folder)
        return folder.error();
    const QJsonObject &config = folder->config;
    const QString task = config.value(QStringLiteral("task")).toString();
    if (task != QLatin1String("classify"))
        return Error{QStringLiteral("not a classification run (task \"%1\")").arg(task),
                     folder->store.filePath(QStringLiteral("config.json"))};
    const QString path = folder->store.filePath(QStringLiteral("predictions.h5"));
    if (std::optional<Error> unsafe = probeFileInChild(path, ProbeKind::ClassPredictions))
        return *unsafe;
    Expected<ClassPredictions> predictions = readClassPredictionsFile(path);
    if (!predictions)
        return predictions.error();

    ClassificationRunData run;
    try {
        run.metrics = computeClassificationMetrics(predictions->probabilities, predictions->labels,
                                                   predictions->classes);
    } catch (const std::exception &e) {
        return Error{QString::fromUtf8(e.what()), path};
    }
    run.runDir = QDir(runDir).absolutePath();
    run.model = config.value(QStringLiteral("model")).toString();
    const QString testData = config.value(QStringLiteral("test-data")).toString();
    run.sourcesRoot =
        testData.isEmpty() ? config.value(QStringLiteral("data")).toString() : testData;
    run.predictions = std::make_shared<const ClassPredictions>(std::move(*predictions));
    return run;
}

} // namespace twb
