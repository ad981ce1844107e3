#include "SeparationData.h"
#include "ClassifySplit.h"
#include "common/Errors.h"
#include "data/CaseGroups.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>

#include <cmath>

namespace twb {

namespace {

/// The part's mixtures as an ExampleSet; `what` names the part in errors.
Expected<std::shared_ptr<MixtureExamples>> makePart(LabelledDataset part, const GroupRule &rule,
                                                    std::int64_t count, MixtureOptions options,
                                                    bool fresh, const QString &what,
                                                    QStringList &speakersOut)
{
    Expected<QStringList> speakers = caseGroups(part, rule);
    if (!speakers)
        return speakers.error();
    speakersOut = distinctGroups(*speakers);
    if (speakersOut.size() < options.sources)
        return makeError(QStringLiteral("the %1 part has %2 speaker(s) (%3); mixtures of %4 "
                                        "need as many different speakers")
                             .arg(what)
                             .arg(speakersOut.size())
                             .arg(speakersOut.join(QStringLiteral(", ")))
                             .arg(options.sources),
                         part.sourcePath);
    auto data = std::make_shared<const LabelledDataset>(std::move(part));
    std::vector<std::int64_t> all(std::size_t(data->size()));
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = std::int64_t(i);
    Expected<std::vector<MixtureSpec>> specs = drawMixtures(*data, *speakers, all, count, options);
    if (!specs)
        return specs.error();
    return std::make_shared<MixtureExamples>(data, *speakers, std::move(*specs), options, fresh);
}

QJsonArray mixtureList(const MixtureExamples &part, const QString &root)
{
    QJsonArray list;
    const QDir dir(root);
    for (const MixtureSpec &m : part.mixtures()) {
        QJsonArray files, gains, levels;
        for (std::size_t s = 0; s < m.cases.size(); ++s) {
            files.append(
                dir.relativeFilePath(part.utterances().cases[std::size_t(m.cases[s])].source));
            gains.append(m.gains[s]);
            levels.append(m.levelsDb[s]);
        }
        list.append(QJsonObject{{QStringLiteral("files"), files},
                                {QStringLiteral("gains"), gains},
                                {QStringLiteral("levels_db"), levels}});
    }
    return list;
}

} // namespace

QJsonObject SeparationData::toJson(const QString &root) const
{
    const auto count = [](const std::shared_ptr<MixtureExamples> &p) {
        return qint64(p->utterances().size());
    };
    return {{QStringLiteral("split"), splitName},
            {QStringLiteral("sample_rate"), sampleRate},
            {QStringLiteral("length"), qint64(length)},
            {QStringLiteral("sources"), qint64(options.sources)},
            {QStringLiteral("level_min_db"), options.minLevelDb},
            {QStringLiteral("level_max_db"), options.maxLevelDb},
            {QStringLiteral("train_speakers"), QJsonArray::fromStringList(trainSpeakers)},
            {QStringLiteral("validation_speakers"), QJsonArray::fromStringList(validationSpeakers)},
            {QStringLiteral("test_speakers"), QJsonArray::fromStringList(testSpeakers)},
            {QStringLiteral("train_utterances"), count(train)},
            {QStringLiteral("validation_utterances"), count(validation)},
            {QStringLiteral("test_utterances"), count(test)},
            {QStringLiteral("validation_mixtures"), mixtureList(*validation, root)},
            {QStringLiteral("test_mixtures"), mixtureList(*test, root)}};
}

Expected<SeparationData> prepareSeparationData(const TrainConfig &config,
                                               const LabelledLoadFunction &loadFunction)
{
    const LabelledLoadFunction load = loadFunction ? loadFunction : loadLabelledData;
    Expected<LabelledDataset> data = load(config.dataPath, {}, config.sampleRate);
    if (!data)
        return data.error();
    if (data->channels() != 1 || !(data->sampleRate > 0.0))
        return makeError(
            QStringLiteral("separation needs mono audio with a sample rate; this "
                           "data has %1 channel(s) and %2")
                .arg(data->channels())
                .arg(data->sampleRate > 0.0 ? QStringLiteral("a rate") : QStringLiteral("no rate")),
            config.dataPath);
    Expected<GroupRule> rule = GroupRule::parse(config.speakerBy);
    if (!rule)
        return makeError(QStringLiteral("speaker-by: %1").arg(rule.error().reason),
                         config.dataPath);
    if (!rule->enabled())
        return makeError(QStringLiteral("speaker-by must say where the speaker is"),
                         config.dataPath);
    // Classification's split needs two classes; an unlabelled folder has one, which the
    // stratified split handles as well.
    Expected<ClassifyParts> parts = splitClassifyParts(config, load, *data);
    if (!parts)
        return parts.error();

    SeparationData out;
    out.splitName = parts->splitName;
    out.fingerprint = parts->fingerprint;
    out.skipped = parts->skipped;
    out.sampleRate = data->sampleRate;
    out.length = std::int64_t(std::llround(config.mixSeconds * data->sampleRate));
    if (out.length < 1)
        return makeError(QStringLiteral("mix-seconds %1 is shorter than one sample at %2 Hz")
                             .arg(config.mixSeconds)
                             .arg(data->sampleRate),
                         config.dataPath);
    out.options.sources = int(config.sources);
    out.options.minLevelDb = config.levelMin;
    out.options.maxLevelDb = config.levelMax;
    out.options.length = out.length;

    MixtureOptions train = out.options, validation = out.options, test = out.options;
    train.seed = config.seed;
    validation.seed = config.seed + 1;
    test.seed = config.seed + 2;
    auto trainPart = makePart(std::move(parts->train), *rule, config.trainMixtures, train, true,
                              QStringLiteral("training"), out.trainSpeakers);
    if (!trainPart)
        return trainPart.error();
    auto validationPart =
        makePart(std::move(parts->validation), *rule, config.valMixtures, validation, false,
                 QStringLiteral("validation"), out.validationSpeakers);
    if (!validationPart)
        return validationPart.error();
    auto testPart = makePart(std::move(parts->test), *rule, config.testMixtures, test, false,
                             QStringLiteral("test"), out.testSpeakers);
    if (!testPart)
        return testPart.error();
    out.train = *trainPart;
    out.validation = *validationPart;
    out.test = *testPart;
    return out;
}

Expected<SeparationShape> separationShape(const QJsonObject &provenance, const QString &source)
{
    SeparationShape shape;
    shape.sampleRate = provenance.value(QStringLiteral("sample_rate")).toDouble(0.0);
    shape.length = provenance.value(QStringLiteral("length")).toInteger(0);
    shape.sources = provenance.value(QStringLiteral("sources")).toInteger(0);
    if (!(shape.sampleRate > 0.0) || shape.length < 1 || shape.sources < 2)
        return makeError(QStringLiteral("provenance of a separation run needs a positive "
                                        "sample_rate and length and at least 2 sources (found "
                                        "%1 Hz, %2 samples, %3 sources)")
                             .arg(shape.sampleRate)
                             .arg(shape.length)
                             .arg(shape.sources),
                         source);
    return shape;
}

Expected<std::shared_ptr<MixtureExamples>> mixturesOfData(const QString &path,
                                                          const TrainConfig &config,
                                                          double sampleRate, std::int64_t length,
                                                          const LabelledLoadFunction &loadFunction)
{
    const LabelledLoadFunction load = loadFunction ? loadFunction : loadLabelledData;
    Expected<LabelledDataset> data = load(path, {}, sampleRate);
    if (!data)
        return data.error();
    if (data->channels() != 1 || data->sampleRate != sampleRate)
        return makeError(
            QStringLiteral("separation needs mono audio at the run's %1 Hz").arg(sampleRate), path);
    Expected<GroupRule> rule = GroupRule::parse(config.speakerBy);
    if (!rule || !rule->enabled())
        return makeError(QStringLiteral("speaker-by \"%1\" does not say where the speaker is")
                             .arg(config.speakerBy),
                         path);
    MixtureOptions options;
    options.sources = int(config.sources);
    options.minLevelDb = config.levelMin;
    options.maxLevelDb = config.levelMax;
    options.length = length;
    options.seed = config.seed + 2;
    QStringList speakers;
    return makePart(std::move(*data), *rule, config.testMixtures, options, false,
                    QStringLiteral("given"), speakers);
}

Expected<std::vector<MixtureSpec>> mixturesFromJson(const QJsonArray &list,
                                                    const LabelledDataset &utterances,
                                                    const QString &root, std::int64_t length,
                                                    const QString &source)
{
    QHash<QString, std::int64_t> byPath;
    for (std::int64_t i = 0; i < utterances.size(); ++i)
        byPath.insert(QFileInfo(utterances.cases[std::size_t(i)].source).absoluteFilePath(), i);
    const QDir dir(root);
    std::vector<MixtureSpec> out;
    for (qsizetype k = 0; k < list.size(); ++k) {
        const QJsonObject m = list.at(k).toObject();
        const QJsonArray files = m.value(QStringLiteral("files")).toArray();
        const QJsonArray gains = m.value(QStringLiteral("gains")).toArray();
        const QJsonArray levels = m.value(QStringLiteral("levels_db")).toArray();
        if (files.size() < 2 || gains.size() != files.size())
            return makeError(QStringLiteral("mixture %1 needs two or more files and a gain for "
                                            "each")
                                 .arg(k),
                             source);
        MixtureSpec spec;
        spec.length = length;
        for (qsizetype s = 0; s < files.size(); ++s) {
            const QString path = QFileInfo(dir.filePath(files.at(s).toString())).absoluteFilePath();
            const auto found = byPath.constFind(path);
            if (found == byPath.cend())
                return makeError(QStringLiteral("mixture %1: %2 is not among the data's files")
                                     .arg(k)
                                     .arg(files.at(s).toString()),
                                 source);
            spec.cases.push_back(*found);
            spec.gains.push_back(gains.at(s).toDouble());
            spec.levelsDb.push_back(levels.at(s).toDouble());
        }
        out.push_back(std::move(spec));
    }
    return out;
}

} // namespace twb
