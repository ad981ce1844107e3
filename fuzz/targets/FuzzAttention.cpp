#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "attention/AttentionFile.h"
#include "attention/AttentionMath.h"

#include <cstdlib>

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
        // As the explorer: averages and rollout over the leading layers over the input tokens,
        // each layer's own query and key tokens.
        const int chain = set->inputTokenChain();
        if (chain > 0) {
            (void)explain::layerAverage(set->layers, chain);
            (void)explain::rollout(set->layers, chain - 1);
        }
        for (int l = 0; l < set->layerCount(); ++l)
            if (set->queryTokens(l).size() != std::size_t(set->layers[std::size_t(l)].queries) ||
                set->keyTokens(l).size() != std::size_t(set->layers[std::size_t(l)].keys))
                std::abort(); // the reader let through a layer that disagrees with its tokens
    }
    (void)explain::readAttentionSaliency(path);
    return 0;
}

} // namespace twb::fuzz
