#pragma once

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// Precision, recall and F1 of one class (one-vs-rest), with its number of true examples.
struct ClassScores
{
    double precision = 0.0; ///< 0 when the class was never predicted
    double recall = 0.0;    ///< 0 when the class has no example
    double f1 = 0.0;
    std::int64_t support = 0;
};

/// Metrics of a classifier over one part. Plain data, no torch (views and the CLI use it).
struct ClassificationMetrics
{
    std::int64_t examples = 0;
    double accuracy = 0.0;
    double balancedAccuracy = 0.0; ///< mean recall over the classes that have examples
    double macroF1 = 0.0;          ///< mean F1 over the classes that have examples
    /// Mean -ln p(true class), p clipped to [1e-15, 1] (scikit-learn's convention).
    double logLoss = 0.0;
    /// Macro mean of the one-vs-rest ROC AUCs (ties averaged) over classes with both
    /// positives and negatives; NaN when no class has both.
    double rocAucOvr = 0.0;
    /// confusion[truth][predicted] = count.
    std::vector<std::vector<std::int64_t>> confusion;
    std::vector<ClassScores> perClass;

    /// {"accuracy","balanced_accuracy","macro_f1","log_loss","roc_auc_ovr","examples",
    ///  "confusion" (rows = truth), "per_class":[{"class","precision","recall","f1","support"}]}
    /// NaN values are written as null.
    QJsonObject toJson(const QStringList &classNames = {}) const;
};

/// Computes every metric from class probabilities and true labels.
/// probabilities: row-major [examples, classes], each row a distribution (softmax output);
/// labels: [examples], each in [0, classes). The predicted class is the row's arg max (the
/// first on ties). Throws std::invalid_argument on inconsistent sizes or labels.
ClassificationMetrics computeClassificationMetrics(const std::vector<float> &probabilities,
                                                   const std::vector<int> &labels, int classes);

/// One-vs-rest ROC AUC of `scores` for the examples where `positive` is true: the probability
/// that a random positive scores above a random negative (ties count half). NaN when either
/// group is empty.
double rocAuc(const std::vector<float> &scores, const std::vector<bool> &positive);

} // namespace twb
