#include "LabelledCasesPreview.h"

#include <algorithm>

namespace twb {

LabelledCasesPreview previewOf(const LabelledDataset &data, int perClass, const QString &include)
{
    LabelledCasesPreview p;
    p.sourcePath = data.sourcePath;
    p.classNames = data.classNames;
    p.channelNames = data.channelNames;
    p.sampleRate = data.sampleRate;
    p.counts = data.classCounts();
    std::vector<std::vector<const LabelledCase *>> byClass(std::size_t(data.classNames.size()));
    for (const LabelledCase &c : data.cases) {
        if (c.label < 0 || c.label >= int(byClass.size()))
            continue;
        auto &cases = byClass[std::size_t(c.label)];
        if (int(cases.size()) < perClass ||
            (!include.isEmpty() && c.source == include &&
             std::none_of(cases.begin(), cases.end(),
                          [&](const LabelledCase *k) { return k->source == include; })))
            cases.push_back(&c);
    }
    for (const auto &cases : byClass)
        for (const LabelledCase *c : cases)
            p.cases.push_back(*c);
    return p;
}

} // namespace twb
