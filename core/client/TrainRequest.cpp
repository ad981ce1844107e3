#include "TrainRequest.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMetaType>

namespace twb {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

bool needsNoQuotes(QChar c)
{
    if (c.unicode() >= 128)
        return false;
    return c.isLetterOrNumber() || QStringLiteral("_@%+=:,./-").contains(c);
}

QString sanitized(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text)
        out += (c.unicode() < 128 && (c.isLetterOrNumber() || c == QLatin1Char('.') ||
                                      c == QLatin1Char('_') || c == QLatin1Char('-')))
                   ? c
                   : QLatin1Char('_');
    return out;
}

/// The file part of a path spec ("f.h5:/ds" -> "f.h5"); a plain path is returned unchanged.
QString filePart(const QString &pathSpec)
{
    const qsizetype colon = pathSpec.lastIndexOf(QLatin1String(":/"));
    return colon > 0 ? pathSpec.left(colon) : pathSpec;
}

/// The `--task separate` part of the arguments: how the utterances are split (as in
/// classification), then the mixtures made of them.
QStringList separationArguments(const TrainRequest &r)
{
    QStringList args;
    if (!r.testData.isEmpty())
        args << QStringLiteral("--test-data") << r.testData;
    if (!r.testGlob.isEmpty())
        args << QStringLiteral("--test-glob") << r.testGlob;
    if (!r.extraTrain.isEmpty())
        args << QStringLiteral("--extra-train") << r.extraTrain;
    if (r.sampleRate > 0.0)
        args << QStringLiteral("--sample-rate") << number(r.sampleRate);
    args << QStringLiteral("--val-fraction") << number(r.valFraction);
    if (r.testData.isEmpty() && r.testGlob.isEmpty() && r.testGroups.trimmed().isEmpty())
        args << QStringLiteral("--test-fraction") << number(r.testFraction);
    const std::pair<const char *, const QString *> groups[] = {{"--group-by", &r.groupBy},
                                                               {"--test-groups", &r.testGroups},
                                                               {"--val-groups", &r.valGroups},
                                                               {"--val-by", &r.valBy}};
    for (const auto &[flag, value] : groups)
        if (!value->trimmed().isEmpty())
            args << QLatin1String(flag) << value->trimmed();
    args << QStringLiteral("--sources") << QString::number(r.sources)
         << QStringLiteral("--level-min") << number(r.levelMin) << QStringLiteral("--level-max")
         << number(r.levelMax) << QStringLiteral("--mix-seconds") << number(r.mixSeconds)
         << QStringLiteral("--train-mixtures") << QString::number(r.trainMixtures)
         << QStringLiteral("--val-mixtures") << QString::number(r.valMixtures)
         << QStringLiteral("--test-mixtures") << QString::number(r.testMixtures)
         << QStringLiteral("--speaker-by") << r.speakerBy.trimmed();
    return args;
}

} // namespace

QString TrainRequest::displayName() const
{
    if (resume)
        return QStringLiteral("%1 on %2 (resumed)")
            .arg(modelId, QFileInfo(filePart(dataPath)).fileName());
    if (isClassification() && !cv.isEmpty())
        return QStringLiteral("%1 on %2 (classify, cv %3)")
            .arg(modelId, QFileInfo(filePart(dataPath)).fileName(), cv);
    if (isClassification())
        return QStringLiteral("%1 on %2 (classify)")
            .arg(modelId, QFileInfo(filePart(dataPath)).fileName());
    if (isSeparation())
        return QStringLiteral("%1 on %2 (separate, %3 sources)")
            .arg(modelId, QFileInfo(filePart(dataPath)).fileName())
            .arg(sources);
    if (isPretraining())
        return QStringLiteral("%1 on %2 (pretrain, L %3)")
            .arg(modelId, QFileInfo(filePart(dataPath)).fileName())
            .arg(lookback);
    return QStringLiteral("%1 on %2 (L %3, H %4)")
        .arg(modelId, QFileInfo(filePart(dataPath)).fileName())
        .arg(lookback)
        .arg(horizon);
}

QStringList TrainRequest::arguments() const
{
    if (resume)
        return {QStringLiteral("train"), QStringLiteral("--run-dir"), runDir,
                QStringLiteral("--resume")};
    QStringList args{QStringLiteral("train"),
                     QStringLiteral("--data"),
                     dataPath,
                     QStringLiteral("--model"),
                     modelId,
                     QStringLiteral("--task"),
                     isClassification() ? QStringLiteral("classify")
                     : isPretraining()  ? QStringLiteral("pretrain")
                     : isSeparation()   ? QStringLiteral("separate")
                                        : QStringLiteral("forecast")};
    if (isSeparation()) {
        args << separationArguments(*this);
    } else if (isClassification()) {
        if (!testData.isEmpty())
            args << QStringLiteral("--test-data") << testData;
        if (!testGlob.isEmpty())
            args << QStringLiteral("--test-glob") << testGlob;
        if (!extraTrain.isEmpty())
            args << QStringLiteral("--extra-train") << extraTrain;
        if (!features.isEmpty())
            args << QStringLiteral("--features") << features;
        if (sampleRate > 0.0)
            args << QStringLiteral("--sample-rate") << number(sampleRate);
        if (melBins > 0)
            args << QStringLiteral("--mel-bins") << QString::number(melBins);
        args << QStringLiteral("--val-fraction") << number(valFraction);
        if (testData.isEmpty() && testGlob.isEmpty() && testGroups.trimmed().isEmpty())
            args << QStringLiteral("--test-fraction") << number(testFraction);
        if (frames > 0)
            args << QStringLiteral("--frames") << QString::number(frames);
        if (freqMask > 0)
            args << QStringLiteral("--freq-mask") << QString::number(freqMask);
        if (timeMask > 0)
            args << QStringLiteral("--time-mask") << QString::number(timeMask);
        const std::pair<const char *, const QString *> optional[] = {
            {"--group-by", &groupBy},
            {"--test-groups", &testGroups},
            {"--val-groups", &valGroups},
            {"--val-by", &valBy},
            {"--feature-norm", &featureNorm},
            {"--level-norm", &levelNorm},
            {"--scale", &scale},
            {"--augment", &augment},
            {"--cv", &cv}};
        for (const auto &[flag, value] : optional)
            if (!value->trimmed().isEmpty())
                args << QLatin1String(flag) << value->trimmed();
    } else {
        if (!split.isEmpty())
            args << QStringLiteral("--split") << split;
        if (!channels.isEmpty())
            args << QStringLiteral("--channels") << channels.join(QLatin1Char(','));
        if (!target.isEmpty())
            args << QStringLiteral("--target") << target;
        args << QStringLiteral("--lookback") << QString::number(lookback)
             << QStringLiteral("--horizon") << QString::number(horizon);
    }
    args << QStringLiteral("--epochs") << QString::number(epochs) << QStringLiteral("--batch-size")
         << QString::number(batchSize) << QStringLiteral("--lr") << number(lr)
         << QStringLiteral("--seed") << QString::number(seed) << QStringLiteral("--patience")
         << QString::number(patience);
    if (!schedule.isEmpty() && schedule != QLatin1String("constant")) {
        const bool step = schedule == QLatin1String("step");
        const bool plateau = schedule == QLatin1String("plateau");
        const bool exponential = schedule == QLatin1String("exponential");
        args << QStringLiteral("--schedule") << schedule;
        if (step || plateau || exponential)
            args << QStringLiteral("--gamma") << number(gamma);
        if (step || plateau)
            args << QStringLiteral("--step-size") << QString::number(stepSize);
        if (exponential && hold > 0)
            args << QStringLiteral("--hold") << QString::number(hold);
    }
    if (swa > 0)
        args << QStringLiteral("--swa") << QString::number(swa);
    if (threads > 0)
        args << QStringLiteral("--threads") << QString::number(threads);
    if (trainFraction < 1.0)
        args << QStringLiteral("--train-fraction") << number(trainFraction);
    if (!initFrom.isEmpty()) {
        args << QStringLiteral("--init-from") << initFrom;
        if (!finetune.isEmpty())
            args << QStringLiteral("--finetune") << finetune;
        for (const QString &prefix : freeze)
            args << QStringLiteral("--freeze") << prefix;
    }
    for (auto it = hyperparameters.constBegin(); it != hyperparameters.constEnd(); ++it)
        args << QStringLiteral("--set") << it.key() + QLatin1Char('=') + commandLineValue(*it);
    args << QStringLiteral("--run-dir") << runDir;
    return args;
}

QString commandLineValue(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return number(value.toDouble());
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return value.toString();
    }
}

QString shellQuote(const QString &argument)
{
    if (argument.isEmpty())
        return QStringLiteral("''");
    bool plain = true;
    for (QChar c : argument)
        plain = plain && needsNoQuotes(c);
    if (plain)
        return argument;
    QString quoted = argument;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString shellCommand(const QString &program, const QStringList &arguments)
{
    QStringList parts{shellQuote(program)};
    for (const QString &a : arguments)
        parts << shellQuote(a);
    return parts.join(QLatin1Char(' '));
}

QString runFolderName(const TrainRequest &request, const QDateTime &when)
{
    const QString data = QFileInfo(filePart(request.dataPath)).completeBaseName();
    return sanitized(QStringLiteral("%1-%2-%3")
                         .arg(request.modelId.isEmpty() ? QStringLiteral("model") : request.modelId,
                              data.isEmpty() ? QStringLiteral("data") : data,
                              when.toString(QStringLiteral("yyyyMMdd-hhmmss"))));
}

QString uniqueRunDir(const QString &parent, const TrainRequest &request, const QDateTime &when)
{
    const QDir dir(parent);
    const QString base = runFolderName(request, when);
    QString path = dir.filePath(base);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(base + QLatin1Char('-') + QString::number(n));
    return path;
}

} // namespace twb
