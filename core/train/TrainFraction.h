#pragma once

#include "ExampleSet.h"
#include "common/Expected.h"

#include <QJsonObject>

#include <cstdint>
#include <memory>
#include <vector>

namespace twb {

/// Low-label training (--train-fraction F, 0 < F <= 1): which training examples a run keeps.
/// Every part keeps at least one example.

/// Series (forecasting, pretraining): the first max(1, floor(F * count)) windows, in time order
/// (windows are listed by their start row).
std::vector<std::int64_t> firstFraction(std::int64_t count, double fraction);

/// Classification: per class, max(1, round(F * cases of the class)) cases drawn at random with
/// `seed` (stratified, so that every class stays represented), returned in ascending order.
/// labels: [cases] int64 class indices.
std::vector<std::int64_t> stratifiedFraction(const torch::Tensor &labels, double fraction,
                                             std::uint64_t seed);

/// The examples of `base` listed in `indices` (values in [0, base->size())), in that order;
/// batches and training batches (augmentation included) come from `base`. Immutable.
class SubsetExamples : public ExampleSet
{
public:
    SubsetExamples(std::shared_ptr<const ExampleSet> base, std::vector<std::int64_t> indices);

    std::int64_t size() const override { return std::int64_t(m_indices.size()); }
    ExampleBatch batch(const torch::Tensor &indices) const override;
    ExampleBatch trainingBatch(const torch::Tensor &indices, std::uint64_t seed, std::int64_t epoch,
                               std::int64_t batchIndex) const override;
    const std::vector<std::int64_t> &indices() const { return m_indices; }

private:
    torch::Tensor map(const torch::Tensor &indices) const;

    std::shared_ptr<const ExampleSet> m_base;
    std::vector<std::int64_t> m_indices;
    torch::Tensor m_indexTensor;
};

/// config.json provenance of a fraction: {"fraction": F, "kept": k, "of": n, "order": order}.
QJsonObject trainFractionJson(double fraction, std::int64_t kept, std::int64_t of,
                              const QString &order);

} // namespace twb
