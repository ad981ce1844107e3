#pragma once

#include "AttentionSet.h"

#include <vector>

namespace twb::explain {

/// Plain-array attention arithmetic for the explorer and `twb-cli attention`. No torch.
/// Every function takes and returns post-softmax maps [heads, queries, keys]; the inputs are not
/// checked beyond AttentionLayer::isValid() (an invalid input gives an empty result).

/// The mean over heads: one head [1, queries, keys].
AttentionLayer headAverage(const AttentionLayer &layer);

/// The element-wise mean over the first `count` layers (all when count < 0), head by head
/// ([heads, queries, keys]); they must have the same shape (empty result otherwise). Layers over
/// other tokens (distilled, cross-attention) cannot be averaged with the others: pass
/// AttentionSet::inputTokenChain() as `count`.
AttentionLayer layerAverage(const std::vector<AttentionLayer> &layers, int count = -1);

/// Running mean of the attention of several samples (`twb-cli attention --count N`): after
/// k calls, `mean` holds the element-wise mean of the k sets' maps (the first call copies
/// `next`). `count` is the number of sets already in `mean`. The sets must have the same
/// layers of the same shape; otherwise `mean` is left unchanged and false is returned.
bool addToMean(AttentionSet &mean, const AttentionSet &next, int count);

/// Attention rollout (Abnar & Zuidema 2020) through layers [0, upToLayer]: each layer's head
/// average A is mixed with the residual identity, Â = 0.5·A + 0.5·I, rows re-normalised to sum
/// to 1, and the product taken from the first layer up: R = Â_upTo · … · Â_1 · Â_0.
/// R[q, k] is how much token q of layer upToLayer's output draws on input token k.
/// Returns [1, tokens, tokens]; upToLayer < 0 means the last layer. Queries must equal keys and
/// every layer must attend over the same tokens: rollout is defined over a chain of square maps
/// of the same tokens only, so for a set pass AttentionSet::inputTokenChain() - 1 (rollout
/// through the leading layers over the input tokens; none when that is 0).
AttentionLayer rollout(const std::vector<AttentionLayer> &layers, int upToLayer = -1);

/// The weights row `query` of `head` gives to every key (size keys); head < 0 averages heads.
std::vector<float> queryRow(const AttentionLayer &layer, int head, int query);

/// Entropy (nats) of every query's distribution over keys, per head: [heads * queries]. A low
/// value is a sharp head, log(keys) a uniform one.
std::vector<float> rowEntropy(const AttentionLayer &layer);

} // namespace twb::explain
