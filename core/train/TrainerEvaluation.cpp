// Trainer, evaluation: mean losses over a set of examples in eval mode, and the validation loss
// (sharded over the ranks when data parallel).

#include "DataParallel.h"
#include "ProcessGroup.h"
#include "TrainLoss.h"
#include "Trainer.h"
#include "nn/EvalModeGuard.h"
#include "nn/Model.h"

#include <cmath>

namespace twb {

double Trainer::meanLoss(Model &model, const ExampleSet &examples, std::int64_t batchSize,
                         LossKind loss, std::int64_t scoredChannel, ProcessGroup *group)
{
    if (group) {
        broadcastBuffers(*group, model);
        const auto [first, last] = shardRange(*group, examples.size(), batchSize);
        const auto [sum, count] =
            lossSums(model, examples, first, last, batchSize, loss, scoredChannel);
        return reducedMean(*group, sum, count);
    }
    const auto [sum, count] =
        lossSums(model, examples, 0, examples.size(), batchSize, loss, scoredChannel);
    return count > 0 ? sum / double(count) : std::nan("");
}

std::pair<double, std::int64_t> Trainer::lossSums(Model &model, const ExampleSet &examples,
                                                  std::int64_t first, std::int64_t last,
                                                  std::int64_t batchSize, LossKind loss,
                                                  std::int64_t scoredChannel)
{
    EvalModeGuard evalMode(model);
    double sum = 0.0;
    std::int64_t count = 0;
    for (std::int64_t begin = first; begin < last; begin += batchSize) {
        const std::int64_t end = std::min(last, begin + batchSize);
        const ExampleBatch batch = examples.range(begin, end);
        const torch::Tensor prediction =
            model.forward(batch.x, batchForwardOptions(batch)).prediction;
        sum += computeLoss(prediction, batch.y, loss, scoredChannel, torch::Reduction::Sum,
                           batch.hidden)
                   .item<double>();
        count +=
            loss == LossKind::CrossEntropy || loss == LossKind::NegativePitSiSnr ? batch.y.size(0)
            : loss == LossKind::MaskedMeanSquaredError ? batch.hidden.sum().item<std::int64_t>()
            : scoredChannel >= 0                       ? batch.y.numel() / batch.y.size(-1)
                                                       : batch.y.numel();
    }
    return {sum, count};
}

double Trainer::validationLoss()
{
    return meanLoss(*m_model, *m_validation, m_options.batchSize, m_options.loss,
                    m_options.scoredChannel, m_options.distributed);
}

} // namespace twb
