#pragma once

#include <cstdint>

namespace twb {

/// The sizes and the dropout rate of a Transformer encoder as the models built on
/// TransformerEncoder expose them (TST, t2, PatchTST, iTransformer). Plain data without torch:
/// the models' options (nn/EncoderOptions.h) and the plugins' hyperparameters
/// (plugin/EncoderHyperparameters.h) share it, so a model states its defaults once.
struct EncoderSize
{
    std::int64_t dModel = 0;    ///< token width; divisible by numHeads
    std::int64_t numHeads = 0;  ///< attention heads per layer
    std::int64_t dFF = 0;       ///< hidden size of each layer's feed-forward block
    std::int64_t numLayers = 0; ///< encoder layers
    double dropout = 0.0;       ///< where it applies is up to the model
};

} // namespace twb
