#include "SelectableAttention.h"

namespace twb {

void SelectableAttention::registerIn(torch::nn::Module &parent, const std::string &name,
                                     const SelectableAttentionOptions &options)
{
    m_full = nullptr;
    m_probSparse = nullptr;
    if (options.kind() == AttentionKind::Full) {
        m_full = parent.register_module(
            name, MultiheadAttention(MultiheadAttentionOptions(options.dModel(), options.numHeads())
                                         .attentionDropout(options.attentionDropout())));
    } else {
        m_probSparse = parent.register_module(
            name,
            ProbSparseAttention(ProbSparseAttentionOptions(options.dModel(), options.numHeads())
                                    .factor(options.factor())
                                    .mixHeads(options.mixHeads())));
    }
}

SelectableAttentionOutput SelectableAttention::forward(const torch::Tensor &query,
                                                       const torch::Tensor &key,
                                                       const torch::Tensor &value,
                                                       const AttentionRequest &request)
{
    if (m_full) {
        AttentionOutput out = m_full->forward(query, key, value, request);
        return {std::move(out.output), std::move(out.weights), {}};
    }
    TORCH_CHECK(m_probSparse, "SelectableAttention: forward before registerIn");
    ProbSparseOutput out = m_probSparse->forward(query, key, value, request);
    return {std::move(out.output), std::move(out.weights), std::move(out.activeQueries)};
}

} // namespace twb
