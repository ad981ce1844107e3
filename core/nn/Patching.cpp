#include "Patching.h"

#include <algorithm>
#include <string>

namespace twb {

PatchingImpl::PatchingImpl(const PatchingOptions &options)
    : m_options(options)
{
    reset();
}

void PatchingImpl::reset()
{
    TORCH_CHECK(m_options.patchLength() > 0 && m_options.stride() > 0,
                "Patching: patchLength and stride must be positive");
}

torch::Tensor PatchingImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() >= 1, "Patching: input must have a time axis");
    const std::int64_t length = x.size(-1);
    TORCH_CHECK(length >= m_options.patchLength(), "Patching: series length ", length,
                " is shorter than the patch length ", m_options.patchLength());
    std::vector<std::int64_t> padShape = x.sizes().vec();
    padShape.back() = m_options.stride();
    const torch::Tensor padded = torch::cat({x, x.narrow(-1, length - 1, 1).expand(padShape)}, -1);
    return padded.unfold(-1, m_options.patchLength(), m_options.stride());
}

std::int64_t PatchingImpl::numPatches(std::int64_t length) const
{
    if (length < m_options.patchLength())
        return 0;
    return (length - m_options.patchLength()) / m_options.stride() + 2;
}

std::vector<TokenInfo> PatchingImpl::tokens(std::int64_t length) const
{
    std::vector<TokenInfo> result;
    const std::int64_t n = numPatches(length);
    result.reserve(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        // A patch lying wholly in the end padding (stride > patch length) repeats the last
        // sample, so it covers exactly that sample.
        token.begin = std::min(i * m_options.stride(), length - 1);
        token.end = std::max(std::min(i * m_options.stride() + m_options.patchLength(), length),
                             token.begin + 1);
        token.label = "patch " + std::to_string(i) + ": t[" + std::to_string(token.begin) + "," +
                      std::to_string(token.end) + ")";
        result.push_back(std::move(token));
    }
    return result;
}

} // namespace twb
