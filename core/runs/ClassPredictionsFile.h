#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// The test predictions of a classification run, as ClassifyPipeline writes predictions.h5:
///   /probabilities  float32 [cases, classes]  softmax output, row-major
///   /labels         int64 [cases]             true class of each case, in [0, classes)
///   /predicted      int64 [cases]             arg max of the row, in [0, classes)
///   /sources        strings [cases]           where each case came from (see below)
///   /class_names    strings [classes]
///   attributes of /probabilities: "split" (e.g. "test"), "task" ("classify")
///
/// Sources: for audio data sets, the file's path relative to the data set's root, with '/'
/// separators: the data folder, or the manifest CSV's folder (AudioDatasetLoader.h). The root
/// is the run config's "test-data" when set, else its "data" (both absolute in config.json).
/// For .ts / .arff tables, "<file name>:<line>" (1-based).
///
/// Plain data, no torch.
struct ClassPredictions
{
    std::int64_t cases = 0;
    int classes = 0;
    std::vector<float> probabilities; ///< [cases * classes], row-major
    std::vector<int> labels;          ///< [cases]
    std::vector<int> predicted;       ///< [cases]
    QStringList sources;              ///< [cases]
    QStringList classNames;           ///< [classes]
    QString split;                    ///< the "split" attribute, "" when absent

    /// Probability of class `c` for case `i` (no bounds check).
    float probability(std::int64_t i, int c) const
    {
        return probabilities[std::size_t(i) * std::size_t(classes) + std::size_t(c)];
    }
};

/// Reads a predictions.h5 of a classification run. Errors name the file and say what is wrong:
/// unreadable or not HDF5, a missing dataset, a shape that does not match (probabilities not
/// 2-D, labels / predicted / sources not one per case, class names not one per column), or a
/// label or prediction outside [0, classes). Never throws. Thread-safe (HDF5 serialises calls).
Expected<ClassPredictions> readClassPredictionsFile(const QString &path);

} // namespace twb
