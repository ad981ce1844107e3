#pragma once

#include "common/TokenInfo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twb::explain {

/// The attention weights of one layer for one sample: [heads, queries, keys] float32,
/// row-major, post-softmax (every row over keys sums to 1). Plain data, no torch.
///
/// Queries and keys need not be the same tokens: Informer's distilled encoder layers attend over
/// fewer tokens than the input has, and an encoder-decoder model's cross-attention has the
/// decoder's tokens as queries and the last encoder layer's tokens as keys. `queryTokens` and
/// `keyTokens` describe them; an empty list means the set's `tokens` (the model's input tokens).
struct AttentionLayer
{
    enum class Kind {
        SelfAttention,  ///< an encoder layer: queries and keys from the same sequence
        CrossAttention, ///< a decoder layer's cross-attention: decoder queries x encoder keys
    };

    int heads = 0;
    int queries = 0;
    int keys = 0;
    std::vector<float> weights; ///< size == heads * queries * keys
    /// "encoder layer 0", "decoder layer 1 cross-attention"; empty: "layer i" (older files).
    std::string name = {};
    Kind kind = Kind::SelfAttention;
    std::vector<TokenInfo> queryTokens = {}; ///< empty: the set's tokens
    std::vector<TokenInfo> keyTokens = {};   ///< empty: the set's tokens

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
    /// True when queries and keys are the set's own tokens (no token lists of its own).
    bool usesSetTokens() const { return queryTokens.empty() && keyTokens.empty(); }
};

/// Everything the attention explorer draws for one sample of one run, and what an attention
/// HDF5 file holds (`twb-cli attention`). `tokens` are the model's input tokens (Model::
/// tokens()): what each covers in the input. A layer without token lists of its own attends
/// over them (queries == keys == tokens); the others carry their own (distilled encoder layers,
/// cross-attention). Layers are in forward order, the cross-attention maps after the encoder
/// layers.
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
    std::vector<AttentionLayer> layers;    ///< encoder layers in forward order, then cross maps
    std::vector<TokenInfo> tokens;         ///< the model's input tokens
    /// The model's input for this sample, [inputRows, inputCols] row-major, on the scale the
    /// model sees (normalised series [lookback, channels]; features [frames, mel bins] for
    /// audio). File: /input float32 with the same shape. Empty when not stored.
    std::vector<float> input;
    int inputRows = 0;
    int inputCols = 0;
    /// When the input is a sound ([samples, 1], a separation model's mixture): its rate in Hz,
    /// so that views can draw its spectrogram and seconds. 0 for any other input. File: the
    /// attribute "sample_rate" of /input (absent = 0).
    double inputSampleRate = 0.0;

    int layerCount() const { return int(layers.size()); }
    int tokenCount() const { return int(tokens.size()); }

    /// The query tokens of `layer` (its own, else `tokens`); `tokens` for an index out of range.
    const std::vector<TokenInfo> &queryTokens(int layer) const
    {
        if (layer < 0 || layer >= layerCount() || layers[std::size_t(layer)].queryTokens.empty())
            return tokens;
        return layers[std::size_t(layer)].queryTokens;
    }
    /// The key tokens of `layer` (its own, else `tokens`); `tokens` for an index out of range.
    const std::vector<TokenInfo> &keyTokens(int layer) const
    {
        if (layer < 0 || layer >= layerCount() || layers[std::size_t(layer)].keyTokens.empty())
            return tokens;
        return layers[std::size_t(layer)].keyTokens;
    }
    /// The layer's name, or "layer i" when it has none.
    std::string layerName(int layer) const
    {
        if (layer >= 0 && layer < layerCount() && !layers[std::size_t(layer)].name.empty())
            return layers[std::size_t(layer)].name;
        return "layer " + std::to_string(layer);
    }
    /// True when layer `layer` is a square map over `tokens` (self-attention over the input's
    /// tokens): the layers that averages over layers and rollout can combine.
    bool overInputTokens(int layer) const
    {
        if (layer < 0 || layer >= layerCount())
            return false;
        const AttentionLayer &l = layers[std::size_t(layer)];
        return l.kind == AttentionLayer::Kind::SelfAttention && l.usesSetTokens() &&
               l.queries == tokenCount() && l.keys == tokenCount();
    }
    /// How many leading layers are square maps over `tokens` (a chain attention rollout and the
    /// layer average are defined over); 0 when the first layer is not.
    int inputTokenChain() const
    {
        int n = 0;
        while (n < layerCount() && overInputTokens(n))
            ++n;
        return n;
    }
};

} // namespace twb::explain
