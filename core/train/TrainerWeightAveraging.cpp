// Trainer, weight averaging (stochastic weight averaging over the last epochs): the running
// mean of the weights, its resumption and the BatchNorm statistics of the averaged model.

#include "TrainLoss.h"
#include "Trainer.h"
#include "common/Errors.h"
#include "nn/Model.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace twb {

namespace {

/// mean <- mean + (weights - mean) / count, the running mean of `count` weight sets of which
/// `weights` is the last; integer buffers (BatchNorm's batch counter) take the latest value.
void addToMean(TensorDict &mean, const TensorDict &weights, std::int64_t count)
{
    torch::NoGradGuard noGrad;
    for (const auto &entry : weights) {
        const torch::Tensor &w = entry.value();
        if (count <= 1 || !mean.contains(entry.key()) || !w.is_floating_point()) {
            mean.insert_or_assign(entry.key(), w.detach().clone());
            continue;
        }
        torch::Tensor m = mean.at(entry.key());
        m.add_((w - m) / double(count));
    }
}

/// Recomputes every BatchNorm layer's running statistics as the plain average over one pass of
/// `examples` in training mode, without gradients (torch.optim.swa_utils.update_bn). A model
/// without BatchNorm is left alone.
void recomputeBatchNorm(Model &model, const ExampleSet &examples, std::int64_t batchSize)
{
    std::vector<std::pair<torch::nn::BatchNorm1dImpl *, c10::optional<double>>> layers1d;
    std::vector<std::pair<torch::nn::BatchNorm2dImpl *, c10::optional<double>>> layers2d;
    for (const auto &module : model.modules(/*include_self=*/false)) {
        if (auto *bn = module->as<torch::nn::BatchNorm1dImpl>();
            bn && bn->options.track_running_stats()) {
            layers1d.emplace_back(bn, bn->options.momentum());
            bn->reset_running_stats();
            bn->options.momentum(c10::nullopt); // cumulative average
        } else if (auto *bn2 = module->as<torch::nn::BatchNorm2dImpl>();
                   bn2 && bn2->options.track_running_stats()) {
            layers2d.emplace_back(bn2, bn2->options.momentum());
            bn2->reset_running_stats();
            bn2->options.momentum(c10::nullopt);
        }
    }
    if (layers1d.empty() && layers2d.empty())
        return;
    const bool wasTraining = model.is_training();
    model.train();
    {
        torch::NoGradGuard noGrad;
        for (std::int64_t begin = 0; begin < examples.size(); begin += batchSize) {
            const ExampleBatch batch =
                examples.range(begin, std::min(examples.size(), begin + batchSize));
            model.forward(batch.x, batchForwardOptions(batch));
        }
    }
    for (auto &[bn, momentum] : layers1d)
        bn->options.momentum(momentum);
    for (auto &[bn, momentum] : layers2d)
        bn->options.momentum(momentum);
    model.train(wasTraining);
}

} // namespace

Status Trainer::resumeAveraging(const QString &lastCheckpoint, const Checkpoint &last)
{
    if (last.state.swaCount <= 0)
        return {};
    // swa.pt is written after last.pt: a process killed in between left it one epoch
    // behind, and last.pt's weights are the epoch it misses.
    const QString swaPath = QFileInfo(lastCheckpoint).dir().filePath(QStringLiteral("swa.pt"));
    const std::int64_t count = last.state.swaCount;
    std::int64_t averaged = 0;
    if (QFileInfo::exists(swaPath)) {
        Expected<Checkpoint> swa = loadCheckpoint(swaPath);
        if (!swa)
            return swa.error();
        m_averageWeights = swa->model;
        averaged = swa->state.swaCount;
    }
    if (averaged == count - 1)
        addToMean(m_averageWeights, last.model, count);
    else if (averaged != count)
        return makeError(QStringLiteral("weight averaging: last.pt counts %1 averaged epochs "
                                        "and swa.pt %2; they do not belong together")
                             .arg(count)
                             .arg(averaged),
                         swaPath);
    return {};
}

void Trainer::accumulateAverage()
{
    ++m_state.swaCount;
    addToMean(m_averageWeights, moduleStateDict(*m_model), m_state.swaCount);
}

Status Trainer::finishAveraging(TrainResult &result)
{
    if (Status s =
            loadModuleStateDict(*m_model, m_averageWeights, QStringLiteral("averaged weights"));
        !s)
        return s;
    recomputeBatchNorm(*m_model, *m_train, m_options.batchSize);
    result.averagedValLoss = validationLoss();
    if (!std::isfinite(result.averagedValLoss))
        return makeError(QStringLiteral("weight averaging: the averaged weights give a validation "
                                        "loss of %1")
                             .arg(nonFiniteName(result.averagedValLoss)));
    m_bestWeights = moduleStateDict(*m_model);
    if (Status s = writeCheckpoint(QStringLiteral("best.pt")); !s)
        return s;
    const std::int64_t first = m_state.epoch - m_state.swaCount + 1;
    message(QStringLiteral("weight averaging: the mean of epochs %1 to %2 (%3) has validation loss "
                           "%4; the best single epoch (%5) had %6. The run keeps the mean "
                           "(best.pt).")
                .arg(first)
                .arg(m_state.epoch)
                .arg(m_state.swaCount)
                .arg(result.averagedValLoss)
                .arg(m_state.bestEpoch + 1)
                .arg(m_state.bestValLoss));
    return {};
}

} // namespace twb
