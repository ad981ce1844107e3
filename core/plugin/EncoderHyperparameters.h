#pragma once

#include "Hyperparameters.h"
#include "nn/EncoderSize.h"

#include <cstdint>
#include <vector>

namespace twb {

/// How a model names the parts of its Transformer encoder in the labels and help of its
/// hyperparameters (plain ASCII).
struct EncoderWording
{
    /// What one token is: "patch" gives d_model the help "Size of each patch token; must be
    /// divisible by the number of heads."
    const char *token = "";
    /// One layer of the encoder: "encoder layer" gives n_heads the help "Number of attention
    /// heads per encoder layer.", and the number of layers the label "Encoder layers" and the
    /// help "Number of Transformer encoder layers."
    const char *layer = "encoder layer";
    /// The key of the number of layers ("num_layers"; PatchTST and iTransformer keep the
    /// official code's "e_layers").
    const char *layersKey = "num_layers";
    /// d_ff's help: "Hidden size of the <feedForward> of each <layer>."
    const char *feedForward = "feed-forward block";
    /// The help of "dropout": where the model applies it.
    const char *dropoutHelp = "";
    /// The largest d_model accepted.
    std::int64_t maxDModel = 4096;
};

/// The hyperparameters of a model built on nn/TransformerEncoder, in this order: d_model
/// (1..maxDModel), n_heads (1..256), d_ff (1..65536), <layersKey> (1..64) and dropout
/// (0..0.99), with `defaults` as their defaults. The plugin adds its own before or after.
std::vector<HyperparameterSpec> encoderHyperparameters(const EncoderSize &defaults,
                                                       const EncoderWording &wording);

/// Those five values read back from values validated by a schema that holds them.
EncoderSize encoderSize(const HyperparameterValues &values, const EncoderWording &wording);

/// The settings every encoder-decoder forecaster shares (Time-Series-Library's flags), in this
/// order: d_layers (1..64, default 1), label_len (0..100000, default 48), activation (gelu,
/// relu) and embed (timeF: read the calendar features when the data has dates; none).
std::vector<HyperparameterSpec> encoderDecoderHyperparameters();

struct EncoderDecoderSettings
{
    std::int64_t decoderLayers = 1;
    std::int64_t labelLen = 48;
    bool reluActivation = false; ///< false: GELU
    bool useMarks = true;        ///< embed == "timeF"
};

/// Those four read back from values validated by a schema that holds them.
EncoderDecoderSettings encoderDecoderSettings(const HyperparameterValues &values);

} // namespace twb
