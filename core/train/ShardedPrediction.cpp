#include "ShardedPrediction.h"
#include "DataParallel.h"
#include "ExampleSet.h"
#include "ProcessGroup.h"
#include "nn/EvalModeGuard.h"
#include "nn/Model.h"

#include <vector>

namespace twb {

namespace {

torch::Tensor predictRange(Model &model, const ExampleSet &examples, std::int64_t begin,
                           std::int64_t end, const PredictionTransform &transform)
{
    const ExampleBatch batch = examples.range(begin, end);
    torch::Tensor out = model.forward(batch.x, batchForwardOptions(batch)).prediction;
    if (transform)
        out = transform(out);
    return out.to(torch::kFloat).contiguous();
}

} // namespace

torch::Tensor predictAll(Model &model, const ExampleSet &examples, std::int64_t batchSize,
                         ProcessGroup *group, const PredictionTransform &transform)
{
    TORCH_CHECK(batchSize > 0, "the batch size must be positive, not ", batchSize);
    const std::int64_t count = examples.size();
    const auto [first, last] = group ? shardRange(*group, count, batchSize)
                                     : std::pair<std::int64_t, std::int64_t>{0, count};
    if (group)
        broadcastBuffers(*group, model);
    std::vector<torch::Tensor> parts;
    EvalModeGuard evalMode(model);
    for (std::int64_t begin = first; begin < last; begin += batchSize)
        parts.push_back(
            predictRange(model, examples, begin, std::min(last, begin + batchSize), transform));
    std::vector<std::int64_t> shape{count};
    if (!parts.empty()) {
        const auto rest = parts.front().sizes().slice(1);
        shape.insert(shape.end(), rest.begin(), rest.end());
    } else if (count > 0) {
        const auto rest = predictRange(model, examples, 0, 1, transform).sizes().slice(1);
        shape.insert(shape.end(), rest.begin(), rest.end());
    }
    if (!group)
        return parts.empty() ? torch::zeros(shape) : torch::cat(parts);
    torch::Tensor all = torch::zeros(shape);
    if (!parts.empty())
        all.narrow(0, first, last - first).copy_(torch::cat(parts));
    group->allReduceSum({all});
    return all;
}

} // namespace twb
