#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "attention/ForwardTrace.h"

namespace twb::fuzz {

// The forward-pass trace of `twb-cli forward --out trace.h5`, as the forward view opens it.
int fuzzForwardTrace(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("trace.h5"));
    if (const Expected<explain::ForwardTrace> trace = explain::readForwardFile(path)) {
        for (const explain::ForwardStage &stage : trace->stages)
            (void)explain::shapeText(stage.shape);
    }
    return 0;
}

} // namespace twb::fuzz
