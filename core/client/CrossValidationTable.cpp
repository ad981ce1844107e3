#include "CrossValidationTable.h"
#include "common/Errors.h"
#include "runs/AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

namespace twb {

namespace {

double numberOr(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 1);
}

} // namespace

QString CrossValidationTable::describe() const
{
    const QString how =
        cv == QLatin1String("groups")
            ? (groupBy.isEmpty()
                   ? QObject::tr("leave one group out")
                   : QObject::tr("leave one %1 out").arg(groupBy.section(QLatin1Char(':'), 0, 0)))
            : QObject::tr("stratified %1-fold").arg(cv);
    QString text = QObject::tr("%1 \u00b7 %2 of %3 folds").arg(how).arg(finished).arg(folds.size());
    if (meanAccuracy == meanAccuracy)
        text += QObject::tr(" \u00b7 mean accuracy %1 % \u00b1 %2 (%3\u2013%4 %)")
                    .arg(percent(meanAccuracy), percent(sdAccuracy), percent(minAccuracy),
                         percent(maxAccuracy));
    return text;
}

int CrossValidationTable::indexOf(const QString &runDir) const
{
    const QString wanted = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    for (std::size_t i = 0; i < folds.size(); ++i)
        if (QDir::cleanPath(folds[i].runDir) == wanted)
            return int(i);
    return -1;
}

bool isCrossValidationDir(const QString &dir)
{
    const QDir d(dir);
    return d.exists(QStringLiteral("cv.json")) && !d.exists(QStringLiteral("config.json"));
}

QString crossValidationOf(const QString &runDir)
{
    const QString parent = QFileInfo(QDir::cleanPath(QFileInfo(runDir).absoluteFilePath())).path();
    return isCrossValidationDir(parent) ? parent : QString();
}

Expected<CrossValidationTable> readCrossValidation(const QString &parentDir)
{
    const QString path = QDir(parentDir).filePath(QStringLiteral("cv.json"));
    Expected<QJsonObject> json = readJsonObjectFile(path);
    if (!json)
        return json.error();
    const QJsonObject &root = *json;
    if (root.value(QStringLiteral("kind")).toString() != QLatin1String("cv"))
        return makeError(QStringLiteral("not a cross-validation summary (no \"kind\": \"cv\")"),
                         path);
    CrossValidationTable table;
    table.dir = QDir::cleanPath(QFileInfo(parentDir).absoluteFilePath());
    const QJsonValue cv = root.value(QStringLiteral("cv"));
    table.cv = cv.isDouble() ? QString::number(cv.toInteger()) : cv.toString();
    table.groupBy = root.value(QStringLiteral("group_by")).toString();
    table.model =
        root.value(QStringLiteral("config")).toObject().value(QStringLiteral("model")).toString();
    for (const QJsonValue &v : root.value(QStringLiteral("folds")).toArray()) {
        const QJsonObject f = v.toObject();
        FoldResult fold;
        fold.name = f.value(QStringLiteral("name")).toString();
        const QString dir = f.value(QStringLiteral("run_dir")).toString();
        fold.runDir = QDir::cleanPath(QDir(table.dir).absoluteFilePath(dir));
        fold.status = f.value(QStringLiteral("status")).toString();
        const QJsonObject test = f.value(QStringLiteral("test")).toObject();
        fold.accuracy = numberOr(test, QStringLiteral("accuracy"));
        fold.balancedAccuracy = numberOr(test, QStringLiteral("balanced_accuracy"));
        fold.macroF1 = numberOr(test, QStringLiteral("macro_f1"));
        fold.logLoss = numberOr(test, QStringLiteral("log_loss"));
        fold.examples = test.value(QStringLiteral("examples")).toInteger(-1);
        table.folds.push_back(fold);
    }
    const QJsonObject accuracy = root.value(QStringLiteral("summary"))
                                     .toObject()
                                     .value(QStringLiteral("accuracy"))
                                     .toObject();
    table.meanAccuracy = numberOr(accuracy, QStringLiteral("mean"));
    table.sdAccuracy = numberOr(accuracy, QStringLiteral("sd"));
    table.minAccuracy = numberOr(accuracy, QStringLiteral("min"));
    table.maxAccuracy = numberOr(accuracy, QStringLiteral("max"));
    for (const FoldResult &f : table.folds)
        table.finished += f.hasResult() ? 1 : 0;
    return table;
}

} // namespace twb
