#include "RunSummary.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>

namespace twb {

namespace {

QString hyperparameterText(const QJsonObject &hyper)
{
    QStringList keys = hyper.keys(); // QJsonObject keys are sorted
    QStringList parts;
    for (const QString &key : keys) {
        const QJsonValue v = hyper.value(key);
        QString text;
        if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 6);
        else if (v.isBool())
            text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (v.isString())
            text = v.toString();
        else
            text = QStringLiteral("?");
        parts << key + QLatin1Char('=') + text;
    }
    return parts.join(QStringLiteral(", "));
}

double numberOr(const QJsonObject &o, const QString &key, double fallback)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? v.toDouble() : fallback;
}

} // namespace

RunSummary readRunSummary(const QString &dir)
{
    RunSummary s;
    const QFileInfo info(dir);
    s.dir = info.absoluteFilePath();
    s.name = info.fileName();
    Expected<RunStore> store = RunStore::open(dir);
    if (!store) {
        s.problem = store.error().reason;
        return s;
    }
    Expected<QJsonObject> config = store->readConfig();
    if (!config) {
        s.problem = QStringLiteral("config.json: ") + config.error().reason;
        return s;
    }
    const QJsonObject &c = *config;
    s.model = c.value(QStringLiteral("model")).toString();
    s.task = c.value(QStringLiteral("task")).toString(QStringLiteral("forecast"));
    s.dataPath = c.value(QStringLiteral("data")).toString();
    s.dataFile = QFileInfo(s.dataPath.section(QLatin1String(":/"), 0, 0)).fileName();
    s.lookback = c.value(QStringLiteral("lookback")).toInteger();
    s.horizon = c.value(QStringLiteral("horizon")).toInteger();
    s.epochs = c.value(QStringLiteral("epochs")).toInteger();
    s.batchSize = c.value(QStringLiteral("batch-size")).toInteger();
    s.lr = c.value(QStringLiteral("lr")).toDouble();
    s.hyperparameters = hyperparameterText(c.value(QStringLiteral("hyperparameters")).toObject());
    const QString start = c.value(QStringLiteral("provenance"))
                              .toObject()
                              .value(QStringLiteral("start_time"))
                              .toString();
    s.created = QDateTime::fromString(start, Qt::ISODateWithMs);
    if (!s.created.isValid())
        s.created =
            QFileInfo(store->filePath(QStringLiteral("config.json"))).lastModified().toUTC();

    s.state = QStringLiteral("unknown");
    if (QFileInfo::exists(store->filePath(QStringLiteral("status.json")))) {
        Expected<QJsonObject> status = store->readStatus();
        if (!status) {
            s.problem = QStringLiteral("status.json: ") + status.error().reason;
            return s;
        }
        s.state = status->value(QStringLiteral("state")).toString(s.state);
        s.bestEpoch = status->value(QStringLiteral("best_epoch")).toInteger();
        const QJsonObject test = status->value(QStringLiteral("test")).toObject();
        s.testMse = numberOr(test, QStringLiteral("mse"), s.testMse);
        s.testMae = numberOr(test, QStringLiteral("mae"), s.testMae);
        s.testMseOriginal = numberOr(test, QStringLiteral("mse_original"), s.testMseOriginal);
        s.testMaeOriginal = numberOr(test, QStringLiteral("mae_original"), s.testMaeOriginal);
        s.testAccuracy = numberOr(test, QStringLiteral("accuracy"), s.testAccuracy);
        s.testMacroF1 = numberOr(test, QStringLiteral("macro_f1"), s.testMacroF1);
    }
    s.readable = true;
    return s;
}

bool canResume(const RunSummary &run)
{
    return run.readable && run.state == QLatin1String("interrupted");
}

TrainRequest resumeRequest(const RunSummary &run)
{
    TrainRequest request;
    request.resume = true;
    request.runDir = run.dir;
    request.task = run.task;
    request.modelId = run.model;
    request.dataPath = run.dataPath;
    request.lookback = run.lookback;
    request.horizon = run.horizon;
    request.epochs = run.epochs;
    request.batchSize = run.batchSize;
    request.lr = run.lr;
    return request;
}

QStringList findRunFolders(const QString &workspace)
{
    QStringList runs;
    const QDir root(workspace);
    const QStringList names = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names)
        if (QFileInfo::exists(root.filePath(name + QStringLiteral("/config.json"))))
            runs << root.absoluteFilePath(name);
    return runs;
}

Expected<std::vector<EpochRecord>> readRunEpochs(const QString &dir)
{
    Expected<RunStore> store = RunStore::open(dir);
    if (!store)
        return store.error();
    if (Status s = store->loadMetrics(std::numeric_limits<std::int64_t>::max()); !s)
        return s.error();
    return store->epochs();
}

} // namespace twb
