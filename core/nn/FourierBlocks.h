#pragma once

#include "CorrelationLayer.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// How FEDformer picks the frequencies it keeps.
enum class ModeSelect {
    Random, ///< a random subset of 0 .. length/2 - 1 (drawn from the global torch generator)
    Low,    ///< the lowest ones, 0 .. modes - 1
};

/// The kept frequencies of a series of `length` steps (the official get_frequency_modes):
/// min(modes, length / 2) of the rfft bins 0 .. length/2 - 1, sorted, int64 [M]. The Nyquist
/// bin is never kept (as the official code). Random draws with torch::randperm, so
/// torch::manual_seed before construction gives the same modes.
torch::Tensor selectFrequencyModes(std::int64_t length, std::int64_t modes, ModeSelect select);

struct FourierBlockOptions
{
    FourierBlockOptions(std::int64_t dModel, std::int64_t numHeads, std::int64_t length)
        : dModel_(dModel)
        , numHeads_(numHeads)
        , length_(length)
    {}
    TORCH_ARG(std::int64_t, dModel);   ///< in = out channels, divisible by numHeads
    TORCH_ARG(std::int64_t, numHeads); ///< the weights mix channels within a head only
    TORCH_ARG(std::int64_t, length);   ///< the series length the block is built for
    TORCH_ARG(std::int64_t, modes) = 32;
    TORCH_ARG(ModeSelect, modeSelect) = ModeSelect::Random;
    /// officialLayout(): see asOfficialLayout.
    TORCH_ARG(bool, officialLayout) = false;
};

/// The official code's reading of a Fourier block's output: its blocks return [B, H, E, L]
/// and the correlation layer views that memory as [B, L, H * E] without moving the axes, so
/// that "time step" t of what follows holds a stretch of one head's channels over time.
/// `output` [B, L, H, E] (time first, as the blocks here compute it) -> the same values laid
/// out as the official code passes them on, [B, L, H, E]. Used when officialLayout is set, to
/// reproduce the published models exactly.
torch::Tensor asOfficialLayout(const torch::Tensor &output);

/// FEDformer's frequency-enhanced block (FEB-f, Zhou et al., ICML 2022; Time-Series-Library's
/// FourierBlock), a self-attention replacement that reads only the queries:
///   X = rfft(q) along time [B, F, H, E]; for the j-th kept mode m_j,
///   Y[:, j, h, :] = X[:, m_j, h, :] · W[h, :, :, j]   (complex E x E matrix per head and mode);
///   out = irfft(Y, n = length).
/// As the official code, the output of the j-th kept mode lands in frequency bin j (not m_j);
/// with ModeSelect::Low the two are the same.
/// Parameters: "weight_real", "weight_imag" [H, E, E, M] (the complex W), each initialised
/// U(0, 1) / (dModel²) as the official code. Buffer "modes" [M] int64 (saved with the model).
///
/// Report: "modes" [M] int64, "mode_magnitude" [H, M] (|W| averaged over each head's in and out
/// channels), detached.
class FourierBlockImpl : public CorrelationMechanism
{
public:
    /// Throws c10::Error on non-positive sizes, dModel not divisible by numHeads, length < 2.
    explicit FourierBlockImpl(const FourierBlockOptions &options);

    /// queries [B, length, H, E] -> [B, length, H, E] (asOfficialLayout when officialLayout);
    /// keys and values are not read.
    torch::Tensor forward(const torch::Tensor &queries, const torch::Tensor &keys,
                          const torch::Tensor &values, const CorrelationRequest &request,
                          std::vector<NamedTensor> &report) override;
    bool usesKeys() const override { return false; }
    bool usesValues() const override { return false; }

    const FourierBlockOptions &options() const { return m_options; }
    const torch::Tensor &modes() const { return m_modes; }

private:
    FourierBlockOptions m_options;
    torch::Tensor m_modes;
    torch::Tensor m_weightReal;
    torch::Tensor m_weightImag;
};

TORCH_MODULE(FourierBlock);

struct FourierCrossAttentionOptions
{
    FourierCrossAttentionOptions(std::int64_t dModel, std::int64_t numHeads,
                                 std::int64_t queryLength, std::int64_t keyLength)
        : dModel_(dModel)
        , numHeads_(numHeads)
        , queryLength_(queryLength)
        , keyLength_(keyLength)
    {}
    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    TORCH_ARG(std::int64_t, queryLength); ///< decoder length (label_len + horizon)
    TORCH_ARG(std::int64_t, keyLength);   ///< encoder length (lookback)
    TORCH_ARG(std::int64_t, modes) = 32;
    TORCH_ARG(ModeSelect, modeSelect) = ModeSelect::Random;
    /// officialLayout(): see asOfficialLayout.
    TORCH_ARG(bool, officialLayout) = false;
};

/// FEDformer's frequency-enhanced cross attention (FEA-f; Time-Series-Library's
/// FourierCrossAttention with its tanh activation), reading queries and keys (the keys also
/// serve as values, as the official code):
///   Q = rfft(q)[query modes] [B, Mq, H, E], K = rfft(k)[key modes] [B, Mk, H, E];
///   A[b, h, x, y] = tanh(Re Σ_e Q·K) + i tanh(Im Σ_e Q·K) (no conjugate, as official);
///   V[b, x, h, e] = Σ_y A[b, h, x, y] K[b, y, h, e]; Y = V · W per head and query mode;
///   Y placed at the query modes' bins, divided by dModel², irfft(n = queryLength).
/// Parameters: "weight_real", "weight_imag" [H, E, E, Mq], U(0, 1) / dModel². Buffers
/// "query_modes" [Mq], "key_modes" [Mk] int64.
///
/// Report: "modes" [Mq] and "key_modes" [Mk] int64, "mode_magnitude" [H, Mq],
/// "frequency_attention" [B, H, Mq, Mk] (|A|), detached.
class FourierCrossAttentionImpl : public CorrelationMechanism
{
public:
    explicit FourierCrossAttentionImpl(const FourierCrossAttentionOptions &options);

    /// queries [B, queryLength, H, E], keys [B, keyLength, H, E] -> [B, queryLength, H, E]
    /// (asOfficialLayout when officialLayout); values are not read.
    torch::Tensor forward(const torch::Tensor &queries, const torch::Tensor &keys,
                          const torch::Tensor &values, const CorrelationRequest &request,
                          std::vector<NamedTensor> &report) override;
    bool usesValues() const override { return false; }

    const FourierCrossAttentionOptions &options() const { return m_options; }

private:
    FourierCrossAttentionOptions m_options;
    torch::Tensor m_queryModes;
    torch::Tensor m_keyModes;
    torch::Tensor m_weightReal;
    torch::Tensor m_weightImag;
};

TORCH_MODULE(FourierCrossAttention);

} // namespace twb
