#include "LabelledCasesPreview.h"

namespace twb {

LabelledCasesPreview previewOf(const LabelledDataset &data, int perClass)
{
    LabelledCasesPreview p;
    p.sourcePath = data.sourcePath;
    p.classNames = data.classNames;
    p.channelNames = data.channelNames;
    p.sampleRate = data.sampleRate;
    p.counts = data.classCounts();
    std::vector<std::vector<const LabelledCase *>> byClass(std::size_t(data.classNames.size()));
    for (const LabelledCase &c : data.cases)
        if (c.label >= 0 && c.label < int(byClass.size()) &&
            int(byClass[std::size_t(c.label)].size()) < perClass)
            byClass[std::size_t(c.label)].push_back(&c);
    for (const auto &cases : byClass)
        for (const LabelledCase *c : cases)
            p.cases.push_back(*c);
    return p;
}

} // namespace twb
