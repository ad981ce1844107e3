#pragma once

// A known 3-class example shared by the classification view tests, and a run folder with it.
//
//   case: 0  1  2  3  4  5  6  7  8  9
//   truth 0  0  0  0  1  1  1  2  2  2
//   pred  0  0  1  2  1  1  0  2  2  2
//
// confusion (rows = truth): [2 1 1] [1 2 0] [0 0 3]
// precision 2/3, 2/3, 3/4; recall 1/2, 2/3, 1; F1 4/7, 2/3, 6/7; support 4, 3, 3.
// The predicted class has probability 0.6, the two others 0.2.

#include "data/Hdf5File.h"
#include "runs/RunStore.h"

#include <QDir>
#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb::test {

inline const std::vector<int> kTruth{0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
inline const std::vector<int> kPredicted{0, 0, 1, 2, 1, 1, 0, 2, 2, 2};
inline const QStringList kClassNames{"zero", "one", "two"};

inline std::vector<float> probabilities()
{
    std::vector<float> p;
    for (int predicted : kPredicted)
        for (int c = 0; c < 3; ++c)
            p.push_back(c == predicted ? 0.6f : 0.2f);
    return p;
}

/// Writes predictions.h5 with ClassifyPipeline's layout; false on any error.
inline bool writePredictions(const QString &path, const QStringList &sources,
                             const QStringList &classNames = kClassNames)
{
    twb::Expected<twb::Hdf5Writer> w = twb::Hdf5Writer::create(path);
    if (!w)
        return false;
    const std::vector<float> p = probabilities();
    const std::vector<std::int64_t> labels(kTruth.begin(), kTruth.end());
    const std::vector<std::int64_t> predicted(kPredicted.begin(), kPredicted.end());
    const std::int64_t n = std::int64_t(labels.size());
    return w->writeFloats("/probabilities", p.data(), {n, 3}) &&
           w->writeInt64s("/labels", labels.data(), {n}) &&
           w->writeInt64s("/predicted", predicted.data(), {n}) &&
           w->writeStrings("/sources", sources) && w->writeStrings("/class_names", classNames) &&
           w->setAttribute("/probabilities", "split", QStringLiteral("test")) &&
           w->setAttribute("/probabilities", "task", QStringLiteral("classify")) && w->commit();
}

/// A classification run folder in `dir` (config.json + predictions.h5).
inline bool writeRun(const QString &dir, const QString &dataPath, const QStringList &sources,
                     const QString &testData = {})
{
    twb::Expected<twb::RunStore> store = twb::RunStore::create(dir);
    if (!store)
        return false;
    const QJsonObject config{{"task", "classify"},
                             {"model", "ast"},
                             {"data", dataPath},
                             {"test-data", testData},
                             {"epochs", 1}};
    if (!store->writeConfig(config))
        return false;
    return writePredictions(QDir(dir).filePath("predictions.h5"), sources);
}

inline QStringList wavSources()
{
    QStringList s;
    for (std::size_t i = 0; i < kTruth.size(); ++i)
        s << QStringLiteral("%1_george_%2.wav").arg(kTruth[i]).arg(i);
    return s;
}

} // namespace twb::test
