#pragma once

#include "common/TokenInfo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twb::explain {

/// The attention weights of one encoder layer for one sample: [heads, queries, keys] float32,
/// row-major, post-softmax (every row over keys sums to 1). Plain data, no torch.
struct AttentionLayer
{
    int heads = 0;
    int queries = 0;
    int keys = 0;
    std::vector<float> weights; ///< size == heads * queries * keys

    float at(int head, int query, int key) const
    {
        return weights[(std::size_t(head) * std::size_t(queries) + std::size_t(query)) *
                           std::size_t(keys) +
                       std::size_t(key)];
    }
    float &at(int head, int query, int key)
    {
        return weights[(std::size_t(head) * std::size_t(queries) + std::size_t(query)) *
                           std::size_t(keys) +
                       std::size_t(key)];
    }
    /// Row `query` of `head`: `keys` contiguous weights.
    const float *row(int head, int query) const
    {
        return &weights[(std::size_t(head) * std::size_t(queries) + std::size_t(query)) *
                        std::size_t(keys)];
    }
    bool isValid() const
    {
        return heads > 0 && queries > 0 && keys > 0 &&
               weights.size() == std::size_t(heads) * std::size_t(queries) * std::size_t(keys);
    }
};

/// Everything the attention explorer draws for one sample of one run, and what an attention
/// HDF5 file holds (`twb-cli attention`). Queries and keys are the same tokens for every model
/// in the registry, described by `tokens` (what each covers in the input).
struct AttentionSet
{
    std::string modelId;          ///< plugin id, e.g. "patchtst"
    std::string runDir;           ///< the run it came from (may be empty)
    std::string sampleLabel;      ///< "test window 12 (2017-10-20 08:00)", "0_george_0.wav"
    std::int64_t sampleIndex = 0; ///< index in the run's test part
    /// Channel-independent models (PatchTST) attend per channel: the channel these maps are for;
    /// -1 when the tokens cover all channels (iTransformer, TST, AST).
    std::int64_t channel = -1;
    std::vector<std::string> channelNames; ///< of the input, in order
    std::vector<AttentionLayer> layers;    ///< encoder layers in forward order
    std::vector<TokenInfo> tokens;         ///< size == queries == keys of every layer
    /// The model's input for this sample, [inputRows, inputCols] row-major, on the scale the
    /// model sees (normalised series [lookback, channels]; features [frames, mel bins] for
    /// audio). File: /input float32 with the same shape. Empty when not stored.
    std::vector<float> input;
    int inputRows = 0;
    int inputCols = 0;

    int layerCount() const { return int(layers.size()); }
    int tokenCount() const { return int(tokens.size()); }
};

} // namespace twb::explain
