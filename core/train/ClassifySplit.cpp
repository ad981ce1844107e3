#include "ClassifySplit.h"
#include "audio/AudioDatasetLoader.h"
#include "common/Errors.h"
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

/// --test-data: the test part is that file; train and validation are split from `data`.
Expected<ClassifyParts> splitWithTestFile(const TrainConfig &config,
                                          const LabelledLoadFunction &load,
                                          const LabelledDataset &data)
{
    Expected<LabelledDataset> testFile = load(config.testData, data.classNames, data.sampleRate);
    if (!testFile)
        return testFile.error();
    if (testFile->channels() != data.channels())
        return makeError(QStringLiteral("the test data has %1 channels, the training data %2")
                             .arg(testFile->channels())
                             .arg(data.channels()),
                         config.testData);
    Expected<LabelledSplitIndices> split =
        stratifiedSplit(data, config.valFraction, 0.0, config.seed);
    if (!split)
        return Error{split.error().reason, config.dataPath, 0};
    ClassifyParts parts;
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
    std::vector<std::int64_t> candidates = allCaseIndices(data), testCases;
    double testFraction = config.testFraction;
    if (!config.testGlob.isEmpty()) {
        const std::vector<std::uint8_t> inTest = casesMatchingGlob(data, config.testGlob);
        candidates.clear();
        for (std::int64_t i = 0; i < data.size(); ++i)
            (inTest[std::size_t(i)] ? testCases : candidates).push_back(i);
        if (testCases.empty())
            return makeError(
                QStringLiteral("no file matches --test-glob \"%1\"").arg(config.testGlob),
                config.dataPath);
        testFraction = 0.0;
        parts.splitName = QStringLiteral("test-glob");
    } else {
        parts.splitName = QStringLiteral("stratified");
    }
    // val-fraction is a share of the cases that are not test.
    const double valFraction = config.valFraction * (1.0 - testFraction);
    Expected<LabelledSplitIndices> split =
        stratifiedSplit(data, candidates, valFraction, testFraction, config.seed);
    if (!split)
        return Error{split.error().reason, config.dataPath, 0};
    if (testCases.empty())
        testCases = split->test;
    parts.fingerprint = data.fingerprint();
    parts.skipped = data.skipped;
    parts.train = subset(data, split->train);
    parts.validation = subset(data, split->validation);
    parts.test = subset(data, testCases);
    return parts;
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
    if (parts->train.size() == 0 || parts->validation.size() == 0 || parts->test.size() == 0)
        return makeError(QStringLiteral("too few cases: train %1, validation %2, test %3")
                             .arg(parts->train.size())
                             .arg(parts->validation.size())
                             .arg(parts->test.size()),
                         config.dataPath);
    return parts;
}

} // namespace twb
