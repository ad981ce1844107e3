#include "DataParallel.h"
#include "ProcessGroup.h"
#include "nn/Model.h"

#include <cmath>

namespace twb {

int shardRank(const ProcessGroup *group)
{
    return group ? group->rank() : 0;
}

int shardCount(const ProcessGroup *group)
{
    return group ? group->worldSize() : 1;
}

void broadcastModel(ProcessGroup &group, Model &model)
{
    std::vector<torch::Tensor> tensors;
    for (const auto &p : model.named_parameters(/*recurse=*/true))
        tensors.push_back(p.value());
    for (const auto &b : model.named_buffers(/*recurse=*/true))
        tensors.push_back(b.value());
    group.broadcastFromMain(tensors);
}

void broadcastBuffers(ProcessGroup &group, Model &model)
{
    std::vector<torch::Tensor> tensors;
    for (const auto &b : model.named_buffers(/*recurse=*/true))
        tensors.push_back(b.value());
    if (!tensors.empty())
        group.broadcastFromMain(tensors);
}

bool anyRankStops(ProcessGroup &group, bool local)
{
    const torch::Tensor flag = torch::full({1}, local ? 1.0f : 0.0f);
    group.allReduceMax(flag);
    return flag.item<float>() > 0.5f;
}

std::pair<std::int64_t, std::int64_t> shardRange(const ProcessGroup &group, std::int64_t count,
                                                 std::int64_t batchSize)
{
    const std::int64_t ranks = group.worldSize();
    const std::int64_t batch = std::max<std::int64_t>(1, batchSize);
    const std::int64_t batches = (count + batch - 1) / batch;
    const std::int64_t share = (batches + ranks - 1) / ranks * batch;
    const std::int64_t first = std::min(count, share * group.rank());
    return {first, std::min(count, first + share)};
}

double reducedMean(ProcessGroup &group, double sum, std::int64_t count)
{
    const torch::Tensor sums = torch::tensor({sum, double(count)}, torch::kDouble);
    group.allReduceSum({sums});
    const double total = sums[1].item<double>();
    return total > 0 ? sums[0].item<double>() / total : std::nan("");
}

QString adaptToWorldSize(TrainState &state, std::int64_t worldSize)
{
    const std::int64_t before = std::max<std::int64_t>(1, state.worldSize);
    state.worldSize = worldSize;
    if (before == worldSize)
        return {};
    const QString head = QStringLiteral("the checkpoint was written by %1 rank%2, this run has %3")
                             .arg(before)
                             .arg(before > 1 ? QStringLiteral("s") : QString())
                             .arg(worldSize);
    if (state.batch == 0)
        return head + QStringLiteral(": continuing at the start of epoch %1 (the global batch is "
                                     "now %2 x the per-rank batch)")
                          .arg(state.epoch + 1)
                          .arg(worldSize);
    const std::int64_t consumed = state.batch * before; // per-rank batches of all ranks
    const std::int64_t batch = consumed / worldSize;
    const QString note = QStringLiteral(": batch %1 of epoch %2 becomes batch %3")
                             .arg(state.batch)
                             .arg(state.epoch + 1)
                             .arg(batch);
    state.batch = batch;
    if (consumed % worldSize != 0)
        return head + note +
               QStringLiteral(" (%1 per-rank batch%2 of the epoch are trained again)")
                   .arg(consumed % worldSize)
                   .arg(consumed % worldSize > 1 ? QStringLiteral("es") : QString());
    return head + note;
}

} // namespace twb
