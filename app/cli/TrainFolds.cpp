// twb-cli train --cv: one child run per fold under a parent folder, and cv.json.

#include "TrainFolds.h"
#include "data/AtomicWrite.h"
#include "runs/RunStore.h"
#include "train/CrossValidation.h"
#include "train/TrainingRun.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace twb::cli {

namespace {

QString outcomeName(TrainOutcome outcome)
{
    switch (outcome) {
    case TrainOutcome::Finished:
        return QStringLiteral("finished");
    case TrainOutcome::EarlyStopped:
        return QStringLiteral("early_stopped");
    case TrainOutcome::Interrupted:
        return QStringLiteral("interrupted");
    case TrainOutcome::Diverged:
        return QStringLiteral("diverged");
    case TrainOutcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

/// The test metrics of a fold that finished earlier (status.json "test"), or empty.
QJsonObject finishedMetrics(const QString &dir)
{
    Expected<RunStore> store = RunStore::open(dir);
    if (!store)
        return {};
    Expected<QJsonObject> status = store->readStatus();
    if (!status || status->value(QStringLiteral("state")).toString() != QLatin1String("finished"))
        return {};
    return status->value(QStringLiteral("test")).toObject();
}

Status writeSummary(const QString &parentDir, const TrainConfig &config,
                    const std::vector<CvFoldResult> &results)
{
    return writeFileAtomically(QDir(parentDir).filePath(cvSummaryFileName()),
                               QJsonDocument(cvSummary(config, results)).toJson());
}

QString percent(const QJsonObject &metrics, const char *key)
{
    const QJsonValue v = metrics.value(QLatin1String(key));
    return v.isDouble() ? QString::number(100.0 * v.toDouble(), 'f', 1) + QStringLiteral(" %")
                        : QStringLiteral("-");
}

void printTable(const std::vector<CvFoldResult> &results, const QJsonObject &summary)
{
    QString text = QStringLiteral("fold              accuracy   balanced   status\n");
    for (const CvFoldResult &r : results)
        text += QStringLiteral("%1 %2 %3   %4\n")
                    .arg(r.name.left(16), -16)
                    .arg(percent(r.metrics, "accuracy"), 9)
                    .arg(percent(r.metrics, "balanced_accuracy"), 10)
                    .arg(r.status);
    const QJsonObject accuracy = summary.value(QStringLiteral("summary"))
                                     .toObject()
                                     .value(QStringLiteral("accuracy"))
                                     .toObject();
    if (!accuracy.isEmpty())
        text += QStringLiteral("mean accuracy %1 %, sd %2, min %3 %, max %4 % over %5 fold(s)\n")
                    .arg(100.0 * accuracy.value(QStringLiteral("mean")).toDouble(), 0, 'f', 1)
                    .arg(100.0 * accuracy.value(QStringLiteral("sd")).toDouble(), 0, 'f', 1)
                    .arg(100.0 * accuracy.value(QStringLiteral("min")).toDouble(), 0, 'f', 1)
                    .arg(100.0 * accuracy.value(QStringLiteral("max")).toDouble(), 0, 'f', 1)
                    .arg(summary.value(QStringLiteral("finished")).toInt());
    printText(text);
}

} // namespace

int runFolds(Context &ctx, const TrainConfig &given, const QString &parentDir, bool resume,
             bool json, ProgressReporter &reporter, TrainControl &control)
{
    TrainConfig config = given;
    if (resume) {
        Expected<QJsonObject> saved = readCvSummary(parentDir);
        if (!saved)
            return fail("train", saved.error().toString());
        Expected<TrainConfig> savedConfig =
            TrainConfig::fromJson(saved->value(QStringLiteral("config")).toObject(),
                                  QDir(parentDir).filePath(cvSummaryFileName()));
        if (!savedConfig)
            return fail("train", savedConfig.error().toString());
        config = *savedConfig;
    } else if (QDir(parentDir).exists() &&
               !QDir(parentDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        return fail("train", QStringLiteral("%1: the folder is not empty; give a new --run-dir "
                                            "(or --resume to continue a cross-validation)")
                                 .arg(parentDir));
    }
    Expected<std::vector<CvFold>> folds = planFolds(config);
    if (!folds)
        return fail("train", folds.error().toString());
    if (!QDir().mkpath(parentDir))
        return fail("train", QStringLiteral("%1: cannot create the folder").arg(parentDir));

    std::vector<CvFoldResult> results;
    for (const CvFold &fold : *folds)
        results.push_back({fold.name, fold.folder, QStringLiteral("pending"), {}, {}});
    if (Status s = writeSummary(parentDir, config, results); !s)
        return fail("train", s.error().toString());

    bool anyFailed = false;
    for (std::size_t i = 0; i < folds->size(); ++i) {
        const CvFold &fold = (*folds)[i];
        const QString dir = QDir(parentDir).filePath(fold.folder);
        CvFoldResult &r = results[i];
        if (resume) {
            r.metrics = finishedMetrics(dir);
            if (!r.metrics.isEmpty()) {
                r.status = QStringLiteral("finished");
                continue;
            }
        }
        if (!json)
            printText(
                QStringLiteral("fold %1 of %2: %3\n").arg(i + 1).arg(folds->size()).arg(fold.name));
        TrainingRun run(ctx.pluginLookup(), &reporter, &control);
        const RunResult result =
            resume && QDir(dir).exists() ? run.resume(dir) : run.start(fold.config, dir);
        r.status = outcomeName(result.outcome);
        r.message = result.message;
        if (result.succeeded())
            r.metrics = result.testMetrics;
        if (Status s = writeSummary(parentDir, config, results); !s)
            return fail("train", s.error().toString());
        if (result.outcome == TrainOutcome::Interrupted) {
            std::fprintf(stderr,
                         "twb-cli train: fold %s: %s. Continue with: twb-cli train --run-dir %s "
                         "--resume\n",
                         fold.name.toUtf8().constData(), result.message.toUtf8().constData(),
                         parentDir.toUtf8().constData());
            return ExitInterrupted;
        }
        if (!result.succeeded()) {
            warn("train", QStringLiteral("fold %1 failed: %2").arg(fold.name, result.message));
            anyFailed = true;
        }
    }
    const QJsonObject summary = cvSummary(config, results);
    if (json)
        printText(QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact)) +
                  QLatin1Char('\n'));
    else
        printTable(results, summary);
    return anyFailed ? ExitFailure : ExitOk;
}

} // namespace twb::cli
