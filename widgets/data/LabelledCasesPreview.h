#pragma once

#include "data/LabelledDataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// How many cases of each class a preview keeps (the view draws up to this many).
constexpr int kPreviewCasesPerClass = 10;

/// The first cases of each class of a labelled data set, for a look before training. Plain
/// data: built on the loader's worker thread, drawn on the GUI thread.
struct LabelledCasesPreview
{
    QString sourcePath;
    QStringList classNames;
    QStringList channelNames;
    double sampleRate = 0.0;          ///< Hz for sound clips (x axis in seconds); 0: x = step
    std::vector<LabelledCase> cases;  ///< class by class, data-set order within a class
    std::vector<std::int64_t> counts; ///< all cases of each class in the data set

    bool isEmpty() const { return cases.empty(); }
};

/// Up to `perClass` cases of each class of `data` (copies; `data` can be dropped afterwards),
/// plus the case whose source is `include` (e.g. a misclassified test case) when it is not among
/// them: it comes last in its class.
LabelledCasesPreview previewOf(const LabelledDataset &data, int perClass,
                               const QString &include = {});

} // namespace twb
