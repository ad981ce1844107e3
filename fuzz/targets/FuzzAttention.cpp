#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "attention/AttentionFile.h"
#include "attention/AttentionMath.h"

namespace twb::fuzz {

// The attention file of `twb-cli attention --out attn.h5`, as the explorer opens it: the set,
// its saliency map, and the head averages and rollout the explorer draws from it.
int fuzzAttention(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("attention.h5"));
    if (const Expected<explain::AttentionSet> set = explain::readAttentionFile(path)) {
        for (const explain::AttentionLayer &layer : set->layers) {
            (void)explain::headAverage(layer);
            (void)explain::rowEntropy(layer);
        }
        if (!set->layers.empty()) {
            (void)explain::layerAverage(set->layers);
            (void)explain::rollout(set->layers);
        }
    }
    (void)explain::readAttentionSaliency(path);
    return 0;
}

} // namespace twb::fuzz
