#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "train/Checkpoint.h"

namespace twb::fuzz {

// A checkpoint (best.pt, last.pt) as `eval`, `predict`, `--resume` and `--init-from` read it:
// LibTorch's zip archive and pickle, then the project's format check and the SHA-256 of the
// content. LibTorch is not instrumented, so inside it this is a random mutation test; the
// sanitizers still catch a wild access in the project's code and LibTorch's heap errors.
int fuzzCheckpoint(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("checkpoint.pt"));
    (void)loadCheckpoint(path);
    return 0;
}

} // namespace twb::fuzz
