#include "FourierBlocks.h"

#include <algorithm>

namespace twb {

namespace {

void checkSizes(const char *what, std::int64_t dModel, std::int64_t heads, std::int64_t modes)
{
    TORCH_CHECK(dModel > 0 && heads > 0 && dModel % heads == 0, what, ": dModel ", dModel,
                " must be a positive multiple of numHeads ", heads);
    TORCH_CHECK(modes >= 1, what, ": modes must be at least 1, got ", modes);
}

/// scale * U(0, 1) of shape [heads, E, E, modes], as the official initialisation.
torch::Tensor fourierWeight(std::int64_t dModel, std::int64_t heads, std::int64_t modes)
{
    const std::int64_t width = dModel / heads;
    return torch::rand({heads, width, width, modes}) / double(dModel * dModel);
}

/// |W| averaged over in and out channels: [H, E, E, M] -> [H, M].
torch::Tensor magnitude(const torch::Tensor &real, const torch::Tensor &imag)
{
    return torch::sqrt(real.detach().square() + imag.detach().square()).mean({1, 2});
}

} // namespace

torch::Tensor asOfficialLayout(const torch::Tensor &output)
{
    TORCH_CHECK(output.dim() == 4, "asOfficialLayout: expected [B, L, H, E], got ", output.sizes());
    return output.permute({0, 2, 3, 1}).reshape(output.sizes());
}

torch::Tensor selectFrequencyModes(std::int64_t length, std::int64_t modes, ModeSelect select)
{
    TORCH_CHECK(length >= 2 && modes >= 1, "selectFrequencyModes: length must be at least 2 and ",
                "modes at least 1, got ", length, " and ", modes);
    const std::int64_t available = length / 2;
    const std::int64_t kept = std::min(modes, available);
    if (select == ModeSelect::Low)
        return torch::arange(kept, torch::kLong);
    return std::get<0>(torch::sort(torch::randperm(available, torch::kLong).narrow(0, 0, kept)));
}

FourierBlockImpl::FourierBlockImpl(const FourierBlockOptions &options)
    : m_options(options)
{
    checkSizes("FourierBlock", m_options.dModel(), m_options.numHeads(), m_options.modes());
    TORCH_CHECK(m_options.length() >= 2, "FourierBlock: length must be at least 2");
    m_modes = register_buffer("modes", selectFrequencyModes(m_options.length(), m_options.modes(),
                                                            m_options.modeSelect()));
    const std::int64_t kept = m_modes.size(0);
    m_weightReal = register_parameter(
        "weight_real", fourierWeight(m_options.dModel(), m_options.numHeads(), kept));
    m_weightImag = register_parameter(
        "weight_imag", fourierWeight(m_options.dModel(), m_options.numHeads(), kept));
}

torch::Tensor FourierBlockImpl::forward(const torch::Tensor &queries, const torch::Tensor &,
                                        const torch::Tensor &, const CorrelationRequest &request,
                                        std::vector<NamedTensor> &report)
{
    const std::int64_t heads = m_options.numHeads();
    const std::int64_t width = m_options.dModel() / heads;
    TORCH_CHECK(queries.dim() == 4 && queries.size(1) == m_options.length() &&
                    queries.size(2) == heads && queries.size(3) == width,
                "FourierBlock: queries must be [B, ", m_options.length(), ", ", heads, ", ", width,
                "], got ", queries.sizes());
    const std::int64_t bins = m_options.length() / 2 + 1;
    const torch::Tensor spectrum = torch::fft_rfft(queries, c10::nullopt, 1); // [B, F, H, E]
    const torch::Tensor kept = spectrum.index_select(1, m_modes);             // [B, M, H, E]
    const torch::Tensor weight = torch::complex(m_weightReal, m_weightImag);  // [H, E, O, M]
    const torch::Tensor mixed = torch::einsum("bmhe,heom->bmho", {kept, weight});
    const torch::Tensor full =
        torch::cat({mixed, torch::zeros({queries.size(0), bins - mixed.size(1), heads, width},
                                        mixed.options())},
                   1);
    if (request.report) {
        report.push_back({"modes", m_modes.clone()});
        report.push_back({"mode_magnitude", magnitude(m_weightReal, m_weightImag)});
    }
    const torch::Tensor out = torch::fft_irfft(full, m_options.length(), 1);
    return m_options.officialLayout() ? asOfficialLayout(out) : out;
}

FourierCrossAttentionImpl::FourierCrossAttentionImpl(const FourierCrossAttentionOptions &options)
    : m_options(options)
{
    checkSizes("FourierCrossAttention", m_options.dModel(), m_options.numHeads(),
               m_options.modes());
    TORCH_CHECK(m_options.queryLength() >= 2 && m_options.keyLength() >= 2,
                "FourierCrossAttention: queryLength and keyLength must be at least 2");
    m_queryModes = register_buffer(
        "query_modes",
        selectFrequencyModes(m_options.queryLength(), m_options.modes(), m_options.modeSelect()));
    m_keyModes =
        register_buffer("key_modes", selectFrequencyModes(m_options.keyLength(), m_options.modes(),
                                                          m_options.modeSelect()));
    const std::int64_t kept = m_queryModes.size(0);
    m_weightReal = register_parameter(
        "weight_real", fourierWeight(m_options.dModel(), m_options.numHeads(), kept));
    m_weightImag = register_parameter(
        "weight_imag", fourierWeight(m_options.dModel(), m_options.numHeads(), kept));
}

torch::Tensor FourierCrossAttentionImpl::forward(const torch::Tensor &queries,
                                                 const torch::Tensor &keys, const torch::Tensor &,
                                                 const CorrelationRequest &request,
                                                 std::vector<NamedTensor> &report)
{
    const std::int64_t heads = m_options.numHeads();
    const std::int64_t width = m_options.dModel() / heads;
    TORCH_CHECK(queries.dim() == 4 && queries.size(1) == m_options.queryLength() &&
                    queries.size(2) == heads && queries.size(3) == width,
                "FourierCrossAttention: queries must be [B, ", m_options.queryLength(), ", ", heads,
                ", ", width, "], got ", queries.sizes());
    TORCH_CHECK(keys.dim() == 4 && keys.size(0) == queries.size(0) &&
                    keys.size(1) == m_options.keyLength() && keys.size(2) == heads &&
                    keys.size(3) == width,
                "FourierCrossAttention: keys must be [B, ", m_options.keyLength(), ", ", heads,
                ", ", width, "], got ", keys.sizes());
    const torch::Tensor q =
        torch::fft_rfft(queries, c10::nullopt, 1).index_select(1, m_queryModes); // [B,Mq,H,E]
    const torch::Tensor k =
        torch::fft_rfft(keys, c10::nullopt, 1).index_select(1, m_keyModes); // [B, Mk, H, E]
    const torch::Tensor scores = torch::einsum("bxhe,byhe->bhxy", {q, k});
    const torch::Tensor attention =
        torch::complex(torch::real(scores).tanh(), torch::imag(scores).tanh()); // [B,H,Mq,Mk]
    const torch::Tensor context = torch::einsum("bhxy,byhe->bxhe", {attention, k});
    const torch::Tensor weight = torch::complex(m_weightReal, m_weightImag); // [H, E, O, Mq]
    const torch::Tensor mixed = torch::einsum("bxhe,heox->bxho", {context, weight});
    const std::int64_t bins = m_options.queryLength() / 2 + 1;
    const double scale = 1.0 / double(m_options.dModel() * m_options.dModel());
    const torch::Tensor full = torch::zeros({queries.size(0), bins, heads, width}, mixed.options())
                                   .index_copy(1, m_queryModes, mixed * scale);
    if (request.report) {
        report.push_back({"modes", m_queryModes.clone()});
        report.push_back({"key_modes", m_keyModes.clone()});
        report.push_back({"mode_magnitude", magnitude(m_weightReal, m_weightImag)});
        report.push_back({"frequency_attention", attention.detach().abs()});
    }
    const torch::Tensor out = torch::fft_irfft(full, m_options.queryLength(), 1);
    return m_options.officialLayout() ? asOfficialLayout(out) : out;
}

} // namespace twb
