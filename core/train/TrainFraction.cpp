#include "TrainFraction.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

namespace twb {

std::vector<std::int64_t> firstFraction(std::int64_t count, double fraction)
{
    const std::int64_t keep =
        std::clamp<std::int64_t>(std::int64_t(std::floor(fraction * double(count) + 1e-9)), 1,
                                 std::max<std::int64_t>(1, count));
    std::vector<std::int64_t> out(std::size_t(std::min(keep, count)));
    std::iota(out.begin(), out.end(), 0);
    return out;
}

std::vector<std::int64_t> stratifiedFraction(const torch::Tensor &labels, double fraction,
                                             std::uint64_t seed)
{
    const torch::Tensor l = labels.to(torch::kLong).contiguous();
    const std::int64_t *data = l.data_ptr<std::int64_t>();
    std::map<std::int64_t, std::vector<std::int64_t>> byClass;
    for (std::int64_t i = 0; i < l.numel(); ++i)
        byClass[data[i]].push_back(i);
    std::seed_seq seq{std::uint64_t(seed), std::uint64_t(seed >> 32), std::uint64_t(0x66726163)};
    std::mt19937_64 rng(seq);
    std::vector<std::int64_t> out;
    for (auto &[label, cases] : byClass) {
        (void)label;
        const std::int64_t n = std::int64_t(cases.size());
        const std::int64_t keep =
            std::clamp<std::int64_t>(std::llround(fraction * double(n)), 1, n);
        for (std::int64_t i = 0; i < keep; ++i) {
            std::uniform_int_distribution<std::int64_t> pick(i, n - 1);
            std::swap(cases[std::size_t(i)], cases[std::size_t(pick(rng))]);
        }
        out.insert(out.end(), cases.begin(), cases.begin() + keep);
    }
    std::sort(out.begin(), out.end());
    return out;
}

SubsetExamples::SubsetExamples(std::shared_ptr<const ExampleSet> base,
                               std::vector<std::int64_t> indices)
    : m_base(std::move(base))
    , m_indices(std::move(indices))
{
    for (std::int64_t i : m_indices)
        if (i < 0 || i >= m_base->size())
            throw std::out_of_range("SubsetExamples: index outside the examples");
    m_indexTensor = torch::tensor(m_indices, torch::kLong);
}

torch::Tensor SubsetExamples::map(const torch::Tensor &indices) const
{
    return m_indexTensor.index_select(0, indices.to(torch::kLong));
}

ExampleBatch SubsetExamples::batch(const torch::Tensor &indices) const
{
    return m_base->batch(map(indices));
}

ExampleBatch SubsetExamples::trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                           std::int64_t epoch, std::int64_t batchIndex) const
{
    return m_base->trainingBatch(map(indices), seed, epoch, batchIndex);
}

QJsonObject trainFractionJson(double fraction, std::int64_t kept, std::int64_t of,
                              const QString &order)
{
    return {{QStringLiteral("fraction"), fraction},
            {QStringLiteral("kept"), qint64(kept)},
            {QStringLiteral("of"), qint64(of)},
            {QStringLiteral("order"), order}};
}

} // namespace twb
