#pragma once

#include "MultiheadAttention.h"
#include "ProbSparseAttention.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace twb {

/// The attention of a layer of the vanilla encoder-decoder family.
enum class AttentionKind {
    Full,       ///< MultiheadAttention (the Transformer's FullAttention)
    ProbSparse, ///< ProbSparseAttention (Informer)
};

struct SelectableAttentionOptions
{
    SelectableAttentionOptions(AttentionKind kind, std::int64_t dModel, std::int64_t numHeads)
        : kind_(kind)
        , dModel_(dModel)
        , numHeads_(numHeads)
    {}

    TORCH_ARG(AttentionKind, kind);
    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    /// Full only: dropout on the attention weights (Time-Series-Library: = dropout).
    TORCH_ARG(double, attentionDropout) = 0.0;
    /// ProbSparse only: ProbSparseAttentionOptions::factor and ::mixHeads.
    TORCH_ARG(std::int64_t, factor) = 5;
    TORCH_ARG(bool, mixHeads) = false;
};

/// What a SelectableAttention call returns.
struct SelectableAttentionOutput
{
    torch::Tensor output;        ///< [B, Tq, dModel]
    torch::Tensor weights;       ///< [B, heads, Tq, Tk] when needWeights (see ProbSparseOutput)
    torch::Tensor activeQueries; ///< ProbSparse with needWeights: [B, heads, u] int64
};

/// One attention of a layer, full or ProbSparse as chosen by the options. Not a module: it
/// registers the chosen attention module directly in its parent under `name`, so the
/// parameters are "<name>.q_proj.weight" ... whatever the kind, and explain/WhatIf finds the
/// HeadMaskable module as the parent's child.
/// Threading: as the parent module (one thread at a time).
class SelectableAttention
{
public:
    SelectableAttention() = default;

    /// Registers the attention of `options` in `parent` as `name` (replacing an earlier one).
    void registerIn(torch::nn::Module &parent, const std::string &name,
                    const SelectableAttentionOptions &options);

    /// query [B, Tq, dModel], key and value [B, Tk, dModel]; request.needWeights and
    /// request.causal for both kinds (the other fields: MultiheadAttention only).
    SelectableAttentionOutput forward(const torch::Tensor &query, const torch::Tensor &key,
                                      const torch::Tensor &value,
                                      const AttentionRequest &request = {});

private:
    MultiheadAttention m_full{nullptr};
    ProbSparseAttention m_probSparse{nullptr};
};

} // namespace twb
