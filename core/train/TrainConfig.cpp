#include "TrainConfig.h"
#include "Augmentation.h"
#include "FineTuneRecipe.h"
#include "common/Errors.h"
#include "data/CalendarFeatures.h"
#include "data/CaseGroups.h"
#include "runs/AtomicFile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <functional>

namespace twb {

namespace {

using Setter = std::function<Status(TrainConfig &, const QJsonValue &, const QString &key)>;

Error typeError(const QString &key, const char *expected, const QString &source)
{
    return makeError(QStringLiteral("\"%1\" must be %2").arg(key, QLatin1String(expected)), source);
}

Setter integer(std::int64_t TrainConfig::*member, const QString &source)
{
    return [=](TrainConfig &c, const QJsonValue &v, const QString &key) -> Status {
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 9.007199254740992e15)
            return typeError(key, "an integer", source);
        c.*member = std::int64_t(d);
        return {};
    };
}

Setter real(double TrainConfig::*member, const QString &source)
{
    return [=](TrainConfig &c, const QJsonValue &v, const QString &key) -> Status {
        if (!v.isDouble())
            return typeError(key, "a number", source);
        c.*member = v.toDouble();
        return {};
    };
}

Setter text(QString TrainConfig::*member, const QString &source)
{
    return [=](TrainConfig &c, const QJsonValue &v, const QString &key) -> Status {
        if (!v.isString())
            return typeError(key, "a string", source);
        c.*member = v.toString();
        return {};
    };
}

Setter names(QStringList TrainConfig::*member, const QString &source)
{
    return [=](TrainConfig &c, const QJsonValue &v, const QString &key) -> Status {
        if (!v.isArray())
            return typeError(key, "an array of names", source);
        QStringList list;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString() || item.toString().trimmed().isEmpty())
                return typeError(key, "an array of names", source);
            list << item.toString().trimmed();
        }
        c.*member = list;
        return {};
    };
}

std::vector<std::pair<QString, Setter>> setters(const QString &source)
{
    using C = TrainConfig;
    std::vector<std::pair<QString, Setter>> s = {
        {"data", text(&C::dataPath, source)},
        {"task", text(&C::task, source)},
        {"split", text(&C::split, source)},
        {"freq", text(&C::freq, source)},
        {"target", text(&C::target, source)},
        {"lookback", integer(&C::lookback, source)},
        {"horizon", integer(&C::horizon, source)},
        {"stride", integer(&C::stride, source)},
        {"model", text(&C::modelId, source)},
        {"epochs", integer(&C::epochs, source)},
        {"batch-size", integer(&C::batchSize, source)},
        {"lr", real(&C::lr, source)},
        {"weight-decay", real(&C::weightDecay, source)},
        {"step-size", integer(&C::stepSize, source)},
        {"gamma", real(&C::gamma, source)},
        {"hold", integer(&C::hold, source)},
        {"t-max", integer(&C::tMax, source)},
        {"eta-min", real(&C::etaMin, source)},
        {"pct-start", real(&C::pctStart, source)},
        {"clip-grad", real(&C::clipGrad, source)},
        {"patience", integer(&C::patience, source)},
        {"checkpoint-every", integer(&C::checkpointEvery, source)},
        {"swa", integer(&C::swa, source)},
        {"init-from", text(&C::initFrom, source)},
        {"finetune", text(&C::finetune, source)},
        {"train-fraction", real(&C::trainFraction, source)},
        {"test-data", text(&C::testData, source)},
        {"test-glob", text(&C::testGlob, source)},
        {"extra-train", names(&C::extraTrain, source)},
        {"val-fraction", real(&C::valFraction, source)},
        {"test-fraction", real(&C::testFraction, source)},
        {"features", text(&C::features, source)},
        {"sample-rate", real(&C::sampleRate, source)},
        {"mel-bins", integer(&C::melBins, source)},
        {"mfcc", integer(&C::mfcc, source)},
        {"frames", integer(&C::frames, source)},
        {"freq-mask", integer(&C::freqMask, source)},
        {"time-mask", integer(&C::timeMask, source)},
        {"group-by", text(&C::groupBy, source)},
        {"val-by", text(&C::valBy, source)},
        {"cv", text(&C::cv, source)},
        {"fold", integer(&C::fold, source)},
        {"folds", integer(&C::folds, source)},
        {"feature-norm", text(&C::featureNorm, source)},
        {"scale", text(&C::scale, source)},
        {"level-norm", text(&C::levelNorm, source)},
        {"augment", text(&C::augment, source)},
        {"test-groups", names(&C::testGroups, source)},
        {"val-groups", names(&C::valGroups, source)},
        {"sources", integer(&C::sources, source)},
        {"level-min", real(&C::levelMin, source)},
        {"level-max", real(&C::levelMax, source)},
        {"mix-seconds", real(&C::mixSeconds, source)},
        {"train-mixtures", integer(&C::trainMixtures, source)},
        {"val-mixtures", integer(&C::valMixtures, source)},
        {"test-mixtures", integer(&C::testMixtures, source)},
        {"speaker-by", text(&C::speakerBy, source)},
    };
    s.push_back({"hyperparameters", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     if (!v.isObject())
                         return typeError(key, "an object of hyperparameter values", source);
                     c.hyperparameters = v.toObject().toVariantMap();
                     return {};
                 }});
    s.push_back({"optimizer", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     const auto kind = optimizerFromName(v.toString());
                     if (!kind)
                         return typeError(key, "\"adam\" or \"adamw\"", source);
                     c.optimizer = *kind;
                     return {};
                 }});
    s.push_back({"schedule", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     const auto kind = scheduleFromName(v.toString());
                     if (!kind)
                         return typeError(key,
                                          "one of constant, step, cosine, onecycle, "
                                          "exponential, plateau",
                                          source);
                     c.schedule = *kind;
                     return {};
                 }});
    s.push_back({"seed", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     // Checked before the conversion: casting a negative or huge double to an
                     // unsigned integer is undefined (found by the trainconfig fuzzer).
                     bool ok = false;
                     quint64 seed = 0;
                     if (v.isString()) {
                         seed = v.toString().toULongLong(&ok);
                     } else if (v.isDouble()) {
                         const double d = v.toDouble();
                         ok = d >= 0.0 && d == std::floor(d) && d <= 9.007199254740992e15;
                         if (ok)
                             seed = quint64(d);
                     }
                     if (!ok)
                         return typeError(key, "a non-negative integer", source);
                     c.seed = seed;
                     return {};
                 }});
    s.push_back({"threads", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
                         return typeError(key, "an integer", source);
                     c.threads = int(v.toDouble());
                     return {};
                 }});
    s.push_back({"drop-last", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     if (!v.isBool())
                         return typeError(key, "true or false", source);
                     c.dropLast = v.toBool();
                     return {};
                 }});
    s.push_back({"channels", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     if (!v.isArray())
                         return typeError(key, "an array of channel names", source);
                     c.channels.clear();
                     for (const QJsonValue &item : v.toArray()) {
                         if (!item.isString() || item.toString().isEmpty())
                             return typeError(key, "an array of channel names", source);
                         c.channels << item.toString();
                     }
                     return {};
                 }});
    s.push_back({"freeze", [=](C &c, const QJsonValue &v, const QString &key) -> Status {
                     if (!v.isArray())
                         return typeError(key, "an array of parameter-name prefixes", source);
                     c.freeze.clear();
                     for (const QJsonValue &item : v.toArray()) {
                         if (!item.isString())
                             return typeError(key, "an array of strings", source);
                         c.freeze << item.toString();
                     }
                     return {};
                 }});
    return s;
}

} // namespace

QString defaultSplitFor(const QString &dataPath)
{
    const QString name = QFileInfo(dataPath.section(QLatin1String(":/"), 0, 0)).fileName();
    if (name.startsWith(QLatin1String("ETTh")))
        return QStringLiteral("ett-hour");
    if (name.startsWith(QLatin1String("ETTm")))
        return QStringLiteral("ett-minute");
    return QStringLiteral("ratio");
}

Status TrainConfig::validate(const QString &source) const
{
    auto fail = [&](const QString &reason) {
        return Status(makeError(reason, source));
    };
    if (dataPath.isEmpty())
        return fail(QStringLiteral("no data file given (--data)"));
    const bool separate = task == QLatin1String("separate");
    if (separate) // speech separation: the split keys of classification, its own mixtures
        if (Status s = validateSeparation(); !s)
            return fail(s.error().reason);
    // From here on a separation run is checked as a classification run of its utterances.
    const bool classify = task == QLatin1String("classify") || separate;
    const bool pretrain = task == QLatin1String("pretrain");
    if (task != QLatin1String("forecast") && !classify && !pretrain)
        return fail(QStringLiteral("task \"%1\" is not supported by train (forecast, classify, "
                                   "pretrain or separate)")
                        .arg(task));
    if (modelId.isEmpty())
        return fail(QStringLiteral("no model given (--model)"));
    if (!classify && (pretrain ? lookback < 0 : lookback < 1))
        return fail(QStringLiteral("lookback must be at least 1"));
    if (!classify && !pretrain && horizon < 1)
        return fail(QStringLiteral("horizon must be at least 1"));
    if (Status s = validateFineTuning(*this); !s)
        return fail(s.error().reason);
    if (classify && !channels.isEmpty())
        return fail(QStringLiteral("channels is for forecasting (classification uses every "
                                   "channel)"));
    if (QStringList unique = channels; unique.removeDuplicates() > 0)
        return fail(QStringLiteral("channels names a channel twice"));
    if (classify && !target.isEmpty())
        return fail(QStringLiteral("target is for forecasting (the MS setting)"));
    if (!classify && !extraTrain.isEmpty())
        return fail(QStringLiteral("extra-train is for classification"));
    if (!freq.isEmpty())
        if (Expected<TimeFrequency> f = parseFrequency(freq); !f)
            return fail(QStringLiteral("freq: %1").arg(f.error().reason));
    if (!target.isEmpty() && !channels.isEmpty() && !channels.contains(target))
        return fail(QStringLiteral("target %1 is not one of the channels (%2)")
                        .arg(target, channels.join(QStringLiteral(", "))));
    if (classify) {
        if (!(valFraction > 0.0 && valFraction < 1.0))
            return fail(QStringLiteral("val-fraction must lie in (0, 1)"));
        if (!(testFraction > 0.0 && testFraction < 1.0))
            return fail(QStringLiteral("test-fraction must lie in (0, 1)"));
        if (!testData.isEmpty() && !testGlob.isEmpty())
            return fail(QStringLiteral("give either test-data or test-glob, not both"));
        static const QStringList kinds{QStringLiteral("auto"), QStringLiteral("raw"),
                                       QStringLiteral("fbank"), QStringLiteral("logmel"),
                                       QStringLiteral("mfcc")};
        if (!kinds.contains(features))
            return fail(QStringLiteral("features must be one of auto, raw, fbank, logmel, mfcc"));
        if (features == QLatin1String("mfcc") && (mfcc < 1 || mfcc > melBins))
            return fail(QStringLiteral("mfcc must lie in 1..mel-bins (%1)").arg(melBins));
        if (!(sampleRate >= 0.0) || !std::isfinite(sampleRate))
            return fail(QStringLiteral("sample-rate must not be negative (0 = keep)"));
        if (melBins < 1)
            return fail(QStringLiteral("mel-bins must be at least 1"));
        if (frames < 0 || freqMask < 0 || timeMask < 0)
            return fail(QStringLiteral("frames, freq-mask and time-mask must not be negative"));
        if (Status s = validateGroupsAndFolds(); !s)
            return fail(s.error().reason);
        if (!QStringList{QStringLiteral("none"), QStringLiteral("cmvn"), QStringLiteral("pcen")}
                 .contains(featureNorm))
            return fail(QStringLiteral("feature-norm must be none, cmvn or pcen"));
        if (!QStringList{QStringLiteral("none"), QStringLiteral("peak"), QStringLiteral("rms")}
                 .contains(levelNorm))
            return fail(QStringLiteral("level-norm must be none, peak or rms"));
        if (!QStringList{QStringLiteral("channel"), QStringLiteral("none")}.contains(scale))
            return fail(QStringLiteral("scale must be channel or none"));
        if (Expected<AugmentSpec> spec = AugmentSpec::parse(augment); !spec)
            return fail(spec.error().reason);
    }
    if (stride < 1)
        return fail(QStringLiteral("stride must be at least 1"));
    if (epochs < 1)
        return fail(QStringLiteral("epochs must be at least 1"));
    if (batchSize < 1)
        return fail(QStringLiteral("batch-size must be at least 1"));
    if (!(lr > 0.0) || !std::isfinite(lr))
        return fail(QStringLiteral("lr must be a positive number"));
    if (!(weightDecay >= 0.0) || !std::isfinite(weightDecay))
        return fail(QStringLiteral("weight-decay must not be negative"));
    if (!(clipGrad >= 0.0) || !std::isfinite(clipGrad))
        return fail(QStringLiteral("clip-grad must not be negative (0 = off)"));
    if (patience < 0)
        return fail(QStringLiteral("patience must not be negative (0 = off)"));
    if (checkpointEvery < 0)
        return fail(QStringLiteral("checkpoint-every must not be negative (0 = off)"));
    if (swa < 0 || swa > epochs)
        return fail(QStringLiteral("swa must be an epoch from 1 to epochs (%1), or 0 (off); got %2")
                        .arg(epochs)
                        .arg(swa));
    if (threads < 0)
        return fail(QStringLiteral("threads must not be negative (0 = physical cores)"));
    return {};
}

Status TrainConfig::validateGroupsAndFolds() const
{
    const auto fail = [](const QString &reason) {
        return Status(Error{reason, {}, 0});
    };
    if (Expected<GroupRule> rule = GroupRule::parse(groupBy); !rule)
        return rule.error();
    const bool grouped = !groupBy.trimmed().isEmpty();
    if (!grouped && !(testGroups.isEmpty() && valGroups.isEmpty()))
        return fail(QStringLiteral("test-groups and val-groups need group-by (where the groups "
                                   "come from)"));
    if (!testGroups.isEmpty() && !(testData.isEmpty() && testGlob.isEmpty()))
        return fail(QStringLiteral("give one of test-data, test-glob and test-groups"));
    if (valBy != QLatin1String("groups") && valBy != QLatin1String("cases"))
        return fail(QStringLiteral("val-by must be groups or cases"));
    if (folds != 0 || fold != 0) {
        if (folds < 2 || folds > 100 || fold < 1 || fold > folds)
            return fail(QStringLiteral("fold must lie in 1..folds and folds in 2..100 (fold %1 "
                                       "of %2)")
                            .arg(fold)
                            .arg(folds));
        if (!(testData.isEmpty() && testGlob.isEmpty() && testGroups.isEmpty()))
            return fail(QStringLiteral("a fold is its own test part: no test-data, test-glob "
                                       "or test-groups with fold"));
        if (grouped)
            return fail(QStringLiteral("a K-fold deals out cases, so a group would lie in two "
                                       "parts: with group-by use cv groups"));
    }
    if (cv.isEmpty())
        return {};
    if (!(testData.isEmpty() && testGlob.isEmpty() && testGroups.isEmpty()) || fold != 0)
        return fail(QStringLiteral("cv makes the test part of each fold: no test-data, "
                                   "test-glob, test-groups or fold with it"));
    if (cv == QLatin1String("groups"))
        return grouped ? Status()
                       : fail(QStringLiteral("cv groups needs group-by (where the groups come "
                                             "from)"));
    if (grouped)
        return fail(QStringLiteral("a K-fold deals out cases, so a group would lie in two parts: "
                                   "with group-by use cv groups"));
    bool ok = false;
    const int k = cv.toInt(&ok);
    if (!ok || k < 2 || k > 100)
        return fail(QStringLiteral("cv must be \"groups\" (leave one group out) or a number "
                                   "of folds from 2 to 100; got \"%1\"")
                        .arg(cv));
    return {};
}

QJsonObject TrainConfig::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("data")] = dataPath;
    o[QStringLiteral("task")] = task;
    o[QStringLiteral("split")] = split;
    if (!freq.isEmpty())
        o[QStringLiteral("freq")] = freq;
    o[QStringLiteral("lookback")] = qint64(lookback);
    o[QStringLiteral("horizon")] = qint64(horizon);
    o[QStringLiteral("stride")] = qint64(stride);
    if (task != QLatin1String("classify"))
        o[QStringLiteral("channels")] = QJsonArray::fromStringList(channels);
    if (!target.isEmpty())
        o[QStringLiteral("target")] = target;
    o[QStringLiteral("model")] = modelId;
    o[QStringLiteral("hyperparameters")] = QJsonObject::fromVariantMap(hyperparameters);
    o[QStringLiteral("epochs")] = qint64(epochs);
    o[QStringLiteral("batch-size")] = qint64(batchSize);
    o[QStringLiteral("lr")] = lr;
    o[QStringLiteral("optimizer")] = optimizerName(optimizer);
    o[QStringLiteral("weight-decay")] = weightDecay;
    o[QStringLiteral("schedule")] = scheduleName(schedule);
    o[QStringLiteral("step-size")] = qint64(stepSize);
    o[QStringLiteral("gamma")] = gamma;
    o[QStringLiteral("hold")] = qint64(hold);
    o[QStringLiteral("t-max")] = qint64(tMax);
    o[QStringLiteral("eta-min")] = etaMin;
    o[QStringLiteral("pct-start")] = pctStart;
    o[QStringLiteral("clip-grad")] = clipGrad;
    o[QStringLiteral("patience")] = qint64(patience);
    o[QStringLiteral("checkpoint-every")] = qint64(checkpointEvery);
    o[QStringLiteral("swa")] = qint64(swa);
    // Seeds above 2^53 do not survive a JSON number.
    if (seed <= 9007199254740992ULL)
        o[QStringLiteral("seed")] = qint64(seed);
    else
        o[QStringLiteral("seed")] = QString::number(seed);
    o[QStringLiteral("threads")] = threads;
    o[QStringLiteral("drop-last")] = dropLast;
    o[QStringLiteral("init-from")] = initFrom;
    o[QStringLiteral("freeze")] = QJsonArray::fromStringList(freeze);
    o[QStringLiteral("finetune")] = finetune;
    o[QStringLiteral("train-fraction")] = trainFraction;
    if (task == QLatin1String("separate")) {
        o[QStringLiteral("sources")] = qint64(sources);
        o[QStringLiteral("level-min")] = levelMin;
        o[QStringLiteral("level-max")] = levelMax;
        o[QStringLiteral("mix-seconds")] = mixSeconds;
        o[QStringLiteral("train-mixtures")] = qint64(trainMixtures);
        o[QStringLiteral("val-mixtures")] = qint64(valMixtures);
        o[QStringLiteral("test-mixtures")] = qint64(testMixtures);
        o[QStringLiteral("speaker-by")] = speakerBy;
    }
    if (task == QLatin1String("classify") || task == QLatin1String("separate")) {
        o[QStringLiteral("test-data")] = testData;
        o[QStringLiteral("test-glob")] = testGlob;
        o[QStringLiteral("extra-train")] = QJsonArray::fromStringList(extraTrain);
        o[QStringLiteral("val-fraction")] = valFraction;
        o[QStringLiteral("test-fraction")] = testFraction;
        o[QStringLiteral("features")] = features;
        o[QStringLiteral("sample-rate")] = sampleRate;
        o[QStringLiteral("mel-bins")] = qint64(melBins);
        o[QStringLiteral("mfcc")] = qint64(mfcc);
        o[QStringLiteral("frames")] = qint64(frames);
        o[QStringLiteral("freq-mask")] = qint64(freqMask);
        o[QStringLiteral("time-mask")] = qint64(timeMask);
        o[QStringLiteral("group-by")] = groupBy;
        o[QStringLiteral("test-groups")] = QJsonArray::fromStringList(testGroups);
        o[QStringLiteral("val-groups")] = QJsonArray::fromStringList(valGroups);
        o[QStringLiteral("val-by")] = valBy;
        o[QStringLiteral("cv")] = cv;
        o[QStringLiteral("fold")] = qint64(fold);
        o[QStringLiteral("folds")] = qint64(folds);
        o[QStringLiteral("feature-norm")] = featureNorm;
        o[QStringLiteral("level-norm")] = levelNorm;
        o[QStringLiteral("scale")] = scale;
        o[QStringLiteral("augment")] = augment;
    }
    return o;
}

Expected<TrainConfig> TrainConfig::fromJson(const QJsonObject &json, const QString &source,
                                            const TrainConfig &base, const QStringList &ignoredKeys)
{
    TrainConfig c = base;
    const auto table = setters(source);
    for (auto it = json.begin(); it != json.end(); ++it) {
        QString key = it.key();
        key.replace(QLatin1Char('_'), QLatin1Char('-'));
        if (ignoredKeys.contains(it.key()) || ignoredKeys.contains(key))
            continue;
        auto setter = std::find_if(table.begin(), table.end(),
                                   [&](const auto &entry) { return entry.first == key; });
        if (setter == table.end())
            return makeError(QStringLiteral("unknown setting \"%1\"").arg(it.key()), source);
        if (Status s = setter->second(c, it.value(), it.key()); !s)
            return s.error();
    }
    return c;
}

Expected<TrainConfig> TrainConfig::fromJson(const QJsonObject &json, const QString &source,
                                            const QStringList &ignoredKeys)
{
    return fromJson(json, source, TrainConfig(), ignoredKeys);
}

Expected<TrainConfig> TrainConfig::fromFile(const QString &path)
{
    return fromFile(path, TrainConfig());
}

Expected<TrainConfig> TrainConfig::fromFile(const QString &path, const TrainConfig &base)
{
    Expected<QByteArray> bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qint64 line = bytes->left(parseError.offset).count('\n') + 1;
        return Error{QStringLiteral("invalid JSON: %1").arg(parseError.errorString()), path, line};
    }
    if (!doc.isObject())
        return makeError(QStringLiteral("a configuration must be a JSON object"), path);
    // "world_size": recorded by a data-parallel run (TrainingRunDistributed.cpp), not a setting.
    return fromJson(doc.object(), path, base,
                    {QStringLiteral("provenance"), QStringLiteral("world_size")});
}

Status TrainConfig::validateSeparation() const
{
    const auto fail = [](const QString &reason) {
        return Status(makeError(reason));
    };
    if (sources < 2 || sources > 5)
        return fail(QStringLiteral("sources must lie in 2..5"));
    if (!std::isfinite(levelMin) || !std::isfinite(levelMax) || levelMin > levelMax)
        return fail(QStringLiteral("level-min and level-max must be finite with level-min <= "
                                   "level-max"));
    if (!(mixSeconds > 0.0) || !std::isfinite(mixSeconds) || mixSeconds > 60.0)
        return fail(QStringLiteral("mix-seconds must lie in (0, 60]"));
    if (trainMixtures < 1 || valMixtures < 1 || testMixtures < 1)
        return fail(QStringLiteral("train-mixtures, val-mixtures and test-mixtures must be at "
                                   "least 1"));
    if (speakerBy.isEmpty())
        return fail(QStringLiteral("speaker-by must say where the speaker is (e.g. speaker)"));
    if (cv.size() > 0 || fold > 0)
        return fail(QStringLiteral("cv and fold are for classification"));
    if (features != QLatin1String("auto"))
        return fail(QStringLiteral("features are for classification (separation reads the "
                                   "waveform)"));
    return {};
}

QStringList TrainConfig::differences(const TrainConfig &other) const
{
    const QJsonObject a = toJson(), b = other.toJson();
    // Keys written only when set (e.g. "target") may be in one object alone.
    QStringList all = a.keys() + b.keys();
    all.sort();
    all.removeDuplicates();
    QStringList keys;
    for (const QString &key : std::as_const(all))
        if (key != QLatin1String("threads") && a.value(key) != b.value(key))
            keys << key;
    return keys;
}

ScheduleOptions TrainConfig::scheduleOptions() const
{
    ScheduleOptions s;
    s.kind = schedule;
    s.baseLr = lr;
    s.stepSize = stepSize;
    s.gamma = gamma;
    s.hold = hold;
    s.tMax = tMax;
    s.etaMin = etaMin;
    s.pctStart = pctStart;
    return s;
}

OptimizerOptions TrainConfig::optimizerOptions() const
{
    return {optimizer, lr, weightDecay};
}

} // namespace twb
