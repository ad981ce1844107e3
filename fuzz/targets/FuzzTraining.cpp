#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "protocol/TrainingMessages.h"

namespace twb::fuzz {

// The progress lines of `twb-cli train --progress jsonl` as the GUI and the run queue read
// them: parseTrainingEvent on every line (it never fails; anything unknown is OtherLine).
int fuzzTraining(const std::uint8_t *data, std::size_t size)
{
    for (const QByteArray &line : inputLines(data, size))
        (void)parseTrainingEvent(line);
    return 0;
}

} // namespace twb::fuzz
