#pragma once

#include "AttentionSet.h"
#include "common/Expected.h"

#include <QString>

#include <string>
#include <vector>

namespace twb::explain {

/// The attention HDF5 file written by `twb-cli attention` and read by the explorer. Layout
/// (h5py-readable, see core/data/Hdf5File.h for the conventions):
///   /attention/layer_{i}   float32 [heads, queries, keys], i = 0 .. layers-1, post-softmax;
///                          optional attributes: @name (string, "encoder layer 1"), @kind
///                          (self_attention | cross_attention), @query_tokens and @key_tokens
///                          (int64 j: the layer's queries / keys are /layer_tokens/list_{j},
///                          absent: /tokens)
///   /attention @model, @run, @sample_label (strings), @sample_index, @channel (int64)
///   /tokens/label, /tokens/kind  strings [tokens]; kind is time_step | time_range | variate |
///                                tile | special
///   /tokens/begin, end, channel, freq_begin, freq_end  int64 [tokens]
///   /layer_tokens/list_{j}/label, kind, begin, end, channel, freq_begin, freq_end
///                                the token lists of layers over other tokens than /tokens
///                                (distilled encoder layers, cross-attention); written only
///                                when a layer has such tokens
///   /channel_names               strings [channels] (absent when the set has none)
///   /input                       float32 [time, channels]: the model's input (optional)
///   /saliency                    float32 [time, channels], gradient x input (optional), with
///                                @target: what was differentiated (e.g. "sum of the forecast
///                                of OT", "logit of class 3")
/// /tokens are the model's input tokens. A layer without @query_tokens / @key_tokens must be
/// [heads, tokens, tokens]; one with them has as many queries / keys as its lists have tokens.
/// Files written before the per-layer attributes existed have none of them and read as before.

/// Writes `set` (and `saliency`, salRows x salCols row-major, when not null) to `path`
/// atomically (temporary file + rename: an existing file is replaced only on success).
/// A layer's own token lists equal to `set.tokens` are written as /tokens (and read back empty).
/// Errors name the file: no layers, a layer whose shape disagrees with its tokens, an input or
/// saliency of another size than its rows x cols, HDF5 failures.
Status writeAttentionFile(const QString &path, const AttentionSet &set,
                          const std::vector<float> *saliency = nullptr, int salRows = 0,
                          int salCols = 0, const QString &saliencyTarget = {});

/// Reads a file written by writeAttentionFile. Errors name the file and the problem: not an
/// HDF5 file, not an attention file (no /attention/layer_0), a layer that is not
/// [heads, n, n] over /tokens, token arrays of different lengths, tokens count != queries, an
/// unknown kind, a layer's token list that is missing or whose length disagrees with its map.
Expected<AttentionSet> readAttentionFile(const QString &path);

/// The optional gradient x input map of an attention file: values [rows, cols] row-major.
struct AttentionSaliency
{
    int rows = 0; ///< time steps (frames) of the input
    int cols = 0; ///< channels (mel bins) of the input
    std::vector<float> values;
    std::string target; ///< what was differentiated
    bool isEmpty() const { return values.empty(); }
};

/// The /saliency of an attention file; an empty result when the file has none. Errors: the
/// file cannot be read, /saliency is not 2-D.
Expected<AttentionSaliency> readAttentionSaliency(const QString &path);

/// "time_step", "time_range", "variate", "tile", "special".
QString tokenKindName(TokenInfo::Kind kind);
/// The inverse of tokenKindName; false for another name.
bool tokenKindFromName(const QString &name, TokenInfo::Kind *kind);

} // namespace twb::explain
