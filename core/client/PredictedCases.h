#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace twb {

/// What `twb-cli predict` writes for a classification run on new data (CSV): per case its
/// source, its label (empty for unlabelled data), the predicted class and the probability of
/// every class.
struct PredictedCases
{
    QStringList classNames;
    struct Case
    {
        QString source;
        QString label; ///< empty when the data has no labels
        QString predicted;
        std::vector<float> probabilities; ///< one per class, in classNames' order
    };
    std::vector<Case> cases;

    /// Cases with a label whose prediction equals it, and cases with a label.
    int correct() const;
    int labelled() const;
};

/// Reads "source,label,predicted,p_<class>..." (twb-cli's CSV). Errors name the file, the line
/// and the problem (a missing column, a probability that is not a number). Any thread.
Expected<PredictedCases> loadPredictedCases(const QString &path);

} // namespace twb
