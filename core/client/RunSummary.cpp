#include "RunSummary.h"

#include "runs/AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
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

/// The summary of a cross-validation's parent folder from its cv.json.
RunSummary readCrossValidationSummary(RunSummary s, const QString &cvPath)
{
    s.crossValidation = true;
    Expected<QByteArray> bytes = readWholeFile(cvPath);
    const QJsonObject cv = bytes ? QJsonDocument::fromJson(*bytes).object() : QJsonObject();
    if (cv.value(QStringLiteral("kind")).toString() != QLatin1String("cv")) {
        s.problem = QStringLiteral("cv.json: not a cross-validation summary");
        return s;
    }
    const QJsonObject c = cv.value(QStringLiteral("config")).toObject();
    s.model = c.value(QStringLiteral("model")).toString();
    s.task = c.value(QStringLiteral("task")).toString(QStringLiteral("classify"));
    s.dataPath = c.value(QStringLiteral("data")).toString();
    s.dataFile = QFileInfo(s.dataPath).fileName();
    s.epochs = c.value(QStringLiteral("epochs")).toInteger();
    s.batchSize = c.value(QStringLiteral("batch-size")).toInteger();
    s.lr = c.value(QStringLiteral("lr")).toDouble();
    s.created = QFileInfo(cvPath).lastModified().toUTC();
    const QJsonArray folds = cv.value(QStringLiteral("folds")).toArray();
    QStringList parts;
    for (const QJsonValue &v : folds) {
        const QJsonObject fold = v.toObject();
        const QJsonValue accuracy =
            fold.value(QStringLiteral("test")).toObject().value(QStringLiteral("accuracy"));
        parts << fold.value(QStringLiteral("name")).toString() + QLatin1Char(' ') +
                     (accuracy.isDouble() ? QString::number(100.0 * accuracy.toDouble(), 'f', 1) +
                                                QStringLiteral(" %")
                                          : fold.value(QStringLiteral("status")).toString());
    }
    const QJsonObject summary = cv.value(QStringLiteral("summary")).toObject();
    const QJsonObject accuracy = summary.value(QStringLiteral("accuracy")).toObject();
    s.testAccuracy = numberOr(accuracy, QStringLiteral("mean"), s.testAccuracy);
    s.testMacroF1 = numberOr(summary.value(QStringLiteral("macro_f1")).toObject(),
                             QStringLiteral("mean"), s.testMacroF1);
    const int finished = cv.value(QStringLiteral("finished")).toInt();
    s.state = finished == folds.size() && finished > 0 ? QStringLiteral("finished")
                                                       : QStringLiteral("incomplete");
    s.hyperparameters =
        QStringLiteral("cv %1 (%2 folds): %3")
            .arg(cv.value(QStringLiteral("cv")).toString())
            .arg(folds.size())
            .arg(parts.join(QStringLiteral(", "))) +
        (accuracy.isEmpty()
             ? QString()
             : QStringLiteral("; sd %1").arg(
                   100.0 * accuracy.value(QStringLiteral("sd")).toDouble(), 0, 'f', 1));
    s.readable = true;
    return s;
}

} // namespace

RunSummary readRunSummary(const QString &dir)
{
    RunSummary s;
    const QFileInfo info(dir);
    s.dir = info.absoluteFilePath();
    s.name = info.fileName();
    const QString cvPath = QDir(s.dir).filePath(QStringLiteral("cv.json"));
    if (QFileInfo::exists(cvPath) &&
        !QFileInfo::exists(QDir(s.dir).filePath(QStringLiteral("config.json"))))
        return readCrossValidationSummary(s, cvPath);
    if (QFileInfo::exists(QDir(info.absolutePath()).filePath(QStringLiteral("cv.json"))))
        s.name = QFileInfo(info.absolutePath()).fileName() + QLatin1Char('/') + s.name;
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
    s.split = c.value(QStringLiteral("split")).toString();
    s.initFrom = c.value(QStringLiteral("init-from")).toString();
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
        s.testSiSnri = numberOr(test, QStringLiteral("si_snri"), s.testSiSnri);
        s.testSiSnr = numberOr(test, QStringLiteral("si_snr"), s.testSiSnr);
        s.testSdri = numberOr(test, QStringLiteral("sdri"), s.testSdri);
        s.testSdr = numberOr(test, QStringLiteral("sdr"), s.testSdr);
    }
    s.readable = true;
    return s;
}

bool canResume(const RunSummary &run)
{
    return !run.crossValidation && run.readable && run.state == QLatin1String("interrupted");
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
    for (const QString &name : names) {
        if (QFileInfo::exists(root.filePath(name + QStringLiteral("/config.json")))) {
            runs << root.absoluteFilePath(name);
        } else if (QFileInfo::exists(root.filePath(name + QStringLiteral("/cv.json")))) {
            runs << root.absoluteFilePath(name);
            const QDir parent(root.filePath(name));
            for (const QString &fold :
                 parent.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                if (QFileInfo::exists(parent.filePath(fold + QStringLiteral("/config.json"))))
                    runs << parent.absoluteFilePath(fold);
        }
    }
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
