#include "ClassifySplit.h"
#include "audio/AudioDatasetLoader.h"
#include "common/Errors.h"
#include "data/CaseGroups.h"
#include "data/LabelledSplit.h"

#include <numeric>

namespace twb {

namespace {

/// The cases `indices` of `data` as a new data set (same classes, channels and rate).
LabelledDataset subset(const LabelledDataset &data, const std::vector<std::int64_t> &indices)
{
    LabelledDataset part;
    part.sourcePath = data.sourcePath;
    part.classNames = data.classNames;
    part.channelNames = data.channelNames;
    part.sampleRate = data.sampleRate;
    part.cases.reserve(indices.size());
    for (std::int64_t i : indices)
        part.cases.push_back(data.cases[std::size_t(i)]);
    return part;
}

/// Every case's group under config.groupBy (empty when there is none).
Expected<QStringList> groupsOf(const TrainConfig &config, const LabelledDataset &data)
{
    Expected<GroupRule> rule = GroupRule::parse(config.groupBy);
    if (!rule)
        return Error{rule.error().reason, config.dataPath, 0};
    if (!rule->enabled())
        return QStringList();
    return caseGroups(data, *rule);
}

/// Splits `candidates` into train, validation and (unless `testGiven`) test: stratified, or
/// by whole groups when `groups` is not empty; records the groups of each part in `parts`.
Expected<LabelledSplitIndices> partition(const TrainConfig &config, const LabelledDataset &data,
                                         const QStringList &groups,
                                         const std::vector<std::int64_t> &candidates,
                                         bool testGiven, ClassifyParts &parts)
{
    if (groups.isEmpty()) {
        const double testFraction = testGiven ? 0.0 : config.testFraction;
        // val-fraction is a share of the cases that are not test.
        Expected<LabelledSplitIndices> split = stratifiedSplit(
            data, candidates, config.valFraction * (1.0 - testFraction), testFraction, config.seed);
        if (!split)
            return Error{split.error().reason, config.dataPath, 0};
        return split;
    }
    GroupSplitOptions options;
    options.testGroups = config.testGroups;
    options.valGroups = config.valGroups;
    options.testFraction = config.testFraction;
    options.valFraction = config.valFraction;
    options.valByGroups = config.valBy != QLatin1String("cases");
    options.testGiven = testGiven;
    options.seed = config.seed;
    Expected<GroupSplit> split = groupSplit(data, groups, candidates, options);
    if (!split)
        return Error{split.error().reason, config.dataPath, 0};
    parts.trainGroups = split->trainGroups;
    parts.validationGroups = split->validationGroups;
    parts.testGroups = split->testGroups;
    parts.validationByCases = split->validationByCases;
    if (testGiven) { // the test part's groups: those of the given cases outside `candidates`
        QStringList testGroups;
        std::vector<std::uint8_t> candidate(std::size_t(data.size()), 0);
        for (std::int64_t i : candidates)
            candidate[std::size_t(i)] = 1;
        for (std::int64_t i = 0; i < data.size(); ++i)
            if (!candidate[std::size_t(i)])
                testGroups << groups.at(qsizetype(i));
        parts.testGroups = distinctGroups(testGroups);
    }
    return split->indices;
}

/// The file or folder `path` loaded with the classes and rate of `data`; another channel count
/// is refused, naming `path` and its `role` ("test", "extra training").
Expected<LabelledDataset> loadLike(const LabelledLoadFunction &load, const QString &path,
                                   const LabelledDataset &data, const char *role)
{
    Expected<LabelledDataset> loaded = load(path, data.classNames, data.sampleRate);
    if (loaded && loaded->channels() != data.channels())
        return makeError(QStringLiteral("the %1 data has %2 channels, the training data %3")
                             .arg(QLatin1String(role))
                             .arg(loaded->channels())
                             .arg(data.channels()),
                         path);
    return loaded;
}

/// --test-data: the test part is that file; train and validation are split from `data`.
Expected<ClassifyParts> splitWithTestFile(const TrainConfig &config,
                                          const LabelledLoadFunction &load,
                                          const LabelledDataset &data)
{
    Expected<LabelledDataset> testFile = loadLike(load, config.testData, data, "test");
    if (!testFile)
        return testFile.error();
    Expected<QStringList> groups = groupsOf(config, data);
    if (!groups)
        return groups.error();
    ClassifyParts parts;
    Expected<LabelledSplitIndices> split =
        partition(config, data, *groups, allCaseIndices(data), true, parts);
    if (!split)
        return split.error();
    parts.fingerprint = data.fingerprint() + QLatin1Char('+') + testFile->fingerprint();
    parts.skipped = data.skipped + testFile->skipped;
    parts.train = subset(data, split->train);
    parts.validation = subset(data, split->validation);
    parts.test = std::move(*testFile);
    parts.splitName = QStringLiteral("test-data");
    return parts;
}

/// --test-glob or a stratified test share: all three parts come from `data`.
Expected<ClassifyParts> splitWithinData(const TrainConfig &config, const LabelledDataset &data)
{
    ClassifyParts parts;
    Expected<QStringList> groups = groupsOf(config, data);
    if (!groups)
        return groups.error();
    std::vector<std::int64_t> candidates = allCaseIndices(data), testCases;
    std::vector<std::uint8_t> inTest;
    if (!config.testGlob.isEmpty()) {
        inTest = casesMatchingGlob(data, config.testGlob);
        parts.splitName = QStringLiteral("test-glob");
    } else if (config.fold > 0) {
        Expected<std::vector<int>> folds = stratifiedFolds(data, int(config.folds), config.seed);
        if (!folds)
            return Error{folds.error().reason, config.dataPath, 0};
        for (int f : *folds)
            inTest.push_back(f == int(config.fold) - 1 ? 1 : 0);
        parts.splitName = QStringLiteral("fold %1/%2").arg(config.fold).arg(config.folds);
    } else {
        parts.splitName =
            groups->isEmpty() ? QStringLiteral("stratified") : QStringLiteral("groups");
    }
    if (!inTest.empty()) {
        candidates.clear();
        for (std::int64_t i = 0; i < data.size(); ++i)
            (inTest[std::size_t(i)] ? testCases : candidates).push_back(i);
        if (testCases.empty())
            return makeError(
                QStringLiteral("no file matches --test-glob \"%1\"").arg(config.testGlob),
                config.dataPath);
    }
    Expected<LabelledSplitIndices> split =
        partition(config, data, *groups, candidates, !inTest.empty(), parts);
    if (!split)
        return split.error();
    if (inTest.empty())
        testCases = split->test;
    parts.fingerprint = data.fingerprint();
    parts.skipped = data.skipped;
    parts.train = subset(data, split->train);
    parts.validation = subset(data, split->validation);
    parts.test = subset(data, testCases);
    return parts;
}

/// config.extraTrain: each file or folder loaded with the training data's classes and rate,
/// its cases appended to the training part only.
Status addExtraTraining(const TrainConfig &config, const LabelledLoadFunction &load,
                        const LabelledDataset &data, ClassifyParts &parts)
{
    for (const QString &path : config.extraTrain) {
        Expected<LabelledDataset> extra = loadLike(load, path, data, "extra training");
        if (!extra)
            return extra.error();
        if (extra->size() == 0)
            return makeError(QStringLiteral("no case in the extra training data"), path);
        for (LabelledCase &c : extra->cases)
            parts.train.cases.push_back(std::move(c));
        parts.extraTrainCases += extra->size();
        parts.fingerprint += QStringLiteral("+extra:") + extra->fingerprint();
        parts.skipped << extra->skipped;
    }
    return {};
}

} // namespace

std::vector<std::int64_t> allCaseIndices(const LabelledDataset &data)
{
    std::vector<std::int64_t> indices(std::size_t(data.size()));
    std::iota(indices.begin(), indices.end(), 0);
    return indices;
}

Expected<ClassifyParts> splitClassifyParts(const TrainConfig &config,
                                           const LabelledLoadFunction &load,
                                           const LabelledDataset &data)
{
    Expected<ClassifyParts> parts = config.testData.isEmpty()
                                        ? splitWithinData(config, data)
                                        : splitWithTestFile(config, load, data);
    if (!parts)
        return parts;
    if (Status s = addExtraTraining(config, load, data, *parts); !s)
        return s.error();
    if (parts->train.size() == 0 || parts->validation.size() == 0 || parts->test.size() == 0)
        return makeError(QStringLiteral("too few cases: train %1, validation %2, test %3")
                             .arg(parts->train.size())
                             .arg(parts->validation.size())
                             .arg(parts->test.size()),
                         config.dataPath);
    return parts;
}

} // namespace twb
