// PatchTST's self-supervised forward pass: masked patches in, every patch reconstructed.

#include "PatchTST.h"

#include <string>

namespace twb {

std::optional<MaskingScheme> PatchTSTImpl::maskingScheme() const
{
    if (m_options.spec().task != Task::Reconstruct)
        return std::nullopt;
    MaskingScheme scheme;
    scheme.kind = MaskingScheme::Kind::Patches;
    scheme.ratio = m_options.maskRatio();
    scheme.patchLength = m_options.patchLength();
    return scheme;
}

ModelOutput PatchTSTImpl::reconstruct(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(input.dim() == 3 && input.size(1) == spec.lookback &&
                    input.size(2) == spec.channels,
                "PatchTST: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ",
                input.sizes());
    TORCH_CHECK(!options.hidden.defined() || options.hidden.sizes() == input.sizes(),
                "PatchTST: the hidden mask must be shaped like the input ", input.sizes(), ", got ",
                options.hidden.sizes());
    const std::int64_t batch = input.size(0), length = spec.lookback, channels = spec.channels;
    const std::int64_t n = numPatches(), p = m_options.patchLength();
    const bool keep = options.captureIntermediates;

    ModelOutput out;
    if (keep)
        out.intermediates.push_back({"input", input});
    const torch::Tensor normalized = m_revin ? m_revin->normalize(input) : input;
    if (keep)
        out.intermediates.push_back({"revin", normalized});
    torch::Tensor patches = m_patching(normalized.transpose(1, 2)); // [B, M, N, P]
    if (keep)
        out.intermediates.push_back({"patches", patches});
    if (options.hidden.defined()) {
        // Patch j of a channel is hidden when its first step is (masks come in blocks of P).
        // The end padding repeats the last value, so it is hidden when that value is.
        const torch::Tensor mask = options.hidden.transpose(1, 2).to(torch::kFloat); // [B,M,L]
        const torch::Tensor steps = torch::cat(
            {mask, mask.narrow(2, length - 1, 1).expand({batch, channels, n * p - length})},
            2); // [B, M, N*P]
        const torch::Tensor hiddenPatches =
            steps.reshape({batch, channels, n, p}).select(3, 0).unsqueeze(-1).to(torch::kBool);
        patches = patches.masked_fill(hiddenPatches, 0.0);
        if (keep)
            out.intermediates.push_back({"masked_patches", patches});
    }

    EncoderRequest request;
    request.needWeights = options.captureAttention;
    request.needLayerOutputs = keep;
    EncoderOutput encoded = m_encoder->forward(embed(patches), request);
    out.attention = std::move(encoded.attention);
    if (keep)
        for (std::size_t i = 0; i < encoded.layerOutputs.size(); ++i)
            out.intermediates.push_back(
                {"encoder_layer_" + std::to_string(i), encoded.layerOutputs[i]});

    const torch::Tensor patchesOut = m_pretrainHead(m_pretrainDropout(encoded.output)); // [B*M,N,P]
    torch::Tensor reconstruction = patchesOut.reshape({batch, channels, n * p})
                                       .narrow(2, 0, length)
                                       .transpose(1, 2); // [B, L, M]
    if (keep)
        out.intermediates.push_back({"reconstruction", reconstruction});
    if (m_revin)
        reconstruction = m_revin->denormalize(reconstruction);
    out.prediction = reconstruction;
    if (keep)
        out.intermediates.push_back({"output", reconstruction});
    return out;
}

} // namespace twb
