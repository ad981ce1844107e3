#include "CrossValidation.h"
#include "audio/LabelledLoader.h"
#include "common/Errors.h"
#include "data/CaseGroups.h"
#include "runs/AtomicFile.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace twb {

namespace {

QString folderFor(const QString &name)
{
    QString safe = name;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return QStringLiteral("fold-") + safe;
}

} // namespace

Expected<std::vector<CvFold>> planFolds(const TrainConfig &config,
                                        const LabelledLoadFunction &loadFunction)
{
    if (config.cv.isEmpty())
        return makeError(QStringLiteral("no cross-validation asked for (cv)"), config.dataPath);
    TrainConfig base = config;
    base.cv.clear();
    std::vector<CvFold> folds;
    if (config.cv != QLatin1String("groups")) {
        const int k = config.cv.toInt();
        for (int i = 1; i <= k; ++i) {
            CvFold fold{QString::number(i), folderFor(QString::number(i)), base};
            fold.config.fold = i;
            fold.config.folds = k;
            folds.push_back(std::move(fold));
        }
        return folds;
    }
    Expected<GroupRule> rule = GroupRule::parse(config.groupBy);
    if (!rule)
        return Error{rule.error().reason, config.dataPath, 0};
    const LabelledLoadFunction load =
        loadFunction ? loadFunction
                     : [](const QString &path, const QStringList &classes, double rate) {
                           LabelledLoadOptions options;
                           options.classNames = classes;
                           options.sampleRate = rate;
                           return loadLabelled(path, options);
                       };
    Expected<LabelledDataset> data = load(config.dataPath, {}, config.sampleRate);
    if (!data)
        return data.error();
    Expected<QStringList> groups = caseGroups(*data, *rule);
    if (!groups)
        return groups.error();
    const QStringList names = distinctGroups(*groups);
    if (names.size() < 2)
        return makeError(QStringLiteral("leave-one-group-out needs at least two groups; found %1")
                             .arg(names.size()),
                         config.dataPath);
    for (const QString &name : names) {
        CvFold fold{name, folderFor(name), base};
        fold.config.testGroups = {name};
        folds.push_back(std::move(fold));
    }
    return folds;
}

QJsonObject cvSummary(const TrainConfig &config, const std::vector<CvFoldResult> &folds)
{
    QJsonArray foldArray;
    std::map<QString, std::vector<double>> values;
    int finished = 0;
    for (const CvFoldResult &f : folds) {
        foldArray.append(QJsonObject{{QStringLiteral("name"), f.name},
                                     {QStringLiteral("run_dir"), f.folder},
                                     {QStringLiteral("status"), f.status},
                                     {QStringLiteral("message"), f.message},
                                     {QStringLiteral("test"), f.metrics}});
        if (f.metrics.isEmpty())
            continue;
        ++finished;
        for (auto it = f.metrics.begin(); it != f.metrics.end(); ++it)
            if (it.value().isDouble())
                values[it.key()].push_back(it.value().toDouble());
    }
    QJsonObject summary;
    for (const auto &[key, list] : values) {
        double sum = 0.0;
        for (double v : list)
            sum += v;
        const double mean = sum / double(list.size());
        double squares = 0.0;
        for (double v : list)
            squares += (v - mean) * (v - mean);
        const double sd = list.size() > 1 ? std::sqrt(squares / double(list.size() - 1)) : 0.0;
        summary[key] =
            QJsonObject{{QStringLiteral("mean"), mean},
                        {QStringLiteral("sd"), sd},
                        {QStringLiteral("min"), *std::min_element(list.begin(), list.end())},
                        {QStringLiteral("max"), *std::max_element(list.begin(), list.end())}};
    }
    return {{QStringLiteral("kind"), QStringLiteral("cv")},
            {QStringLiteral("cv"), config.cv},
            {QStringLiteral("group_by"), config.groupBy},
            {QStringLiteral("config"), config.toJson()},
            {QStringLiteral("folds"), foldArray},
            {QStringLiteral("finished"), finished},
            {QStringLiteral("summary"), summary}};
}

Expected<QJsonObject> readCvSummary(const QString &parentDir)
{
    const QString path = QDir(parentDir).filePath(cvSummaryFileName());
    Expected<QByteArray> bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject() ||
        doc.object().value(QStringLiteral("kind")).toString() != QLatin1String("cv"))
        return makeError(QStringLiteral("not a cross-validation summary (%1)")
                             .arg(error.error != QJsonParseError::NoError
                                      ? error.errorString()
                                      : QStringLiteral("no \"kind\": "
                                                       "\"cv\"")),
                         path);
    return doc.object();
}

} // namespace twb
