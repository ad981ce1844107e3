#pragma once

#include "EncoderSize.h"
#include "TransformerEncoderLayer.h"

#include <cstdint>

namespace twb {

/// The encoder part of a model's options: dModel, numHeads, dFF, numLayers and dropout with
/// TORCH_ARG-style accessors whose setters return the model's options, so that one chain sets
/// both the encoder and the model's own options:
///
///     struct FooOptions : EncoderOptions<FooOptions> {
///         static constexpr EncoderSize defaultEncoder{.dModel = 64, .numHeads = 8, .dFF = 256,
///                                                     .numLayers = 3, .dropout = 0.1};
///         explicit FooOptions(ModelSpec spec)
///             : EncoderOptions(defaultEncoder), spec_(std::move(spec)) {}
///         TORCH_ARG(ModelSpec, spec);
///         TORCH_ARG(EncoderNorm, norm) = EncoderNorm::Batch;
///     };
///     FooOptions(spec).dModel(32).numHeads(4).norm(EncoderNorm::Layer);
///
/// checkEncoderSizes(model, options.encoder()) validates them (nn/SpecCheck.h).
template<typename Options>
class EncoderOptions
{
public:
    Options &dModel(std::int64_t value) { return set(m_encoder.dModel, value); }
    std::int64_t dModel() const noexcept { return m_encoder.dModel; }
    Options &numHeads(std::int64_t value) { return set(m_encoder.numHeads, value); }
    std::int64_t numHeads() const noexcept { return m_encoder.numHeads; }
    Options &dFF(std::int64_t value) { return set(m_encoder.dFF, value); }
    std::int64_t dFF() const noexcept { return m_encoder.dFF; }
    Options &numLayers(std::int64_t value) { return set(m_encoder.numLayers, value); }
    std::int64_t numLayers() const noexcept { return m_encoder.numLayers; }
    Options &dropout(double value) { return set(m_encoder.dropout, value); }
    double dropout() const noexcept { return m_encoder.dropout; }

    /// All five at once (e.g. from the plugin's hyperparameters).
    Options &encoder(const EncoderSize &size) { return set(m_encoder, size); }
    const EncoderSize &encoder() const noexcept { return m_encoder; }

    /// One encoder layer of these sizes with dropout() on its residual branches and in its
    /// feed-forward block; the model adds its own choices (norm, activation, attention dropout).
    TransformerEncoderLayerOptions encoderLayer() const
    {
        return TransformerEncoderLayerOptions(dModel(), numHeads(), dFF()).dropout(dropout());
    }

protected:
    explicit EncoderOptions(const EncoderSize &defaults)
        : m_encoder(defaults)
    {}

private:
    template<typename T>
    Options &set(T &field, const T &value)
    {
        field = value;
        return static_cast<Options &>(*this);
    }

    EncoderSize m_encoder;
};

} // namespace twb
