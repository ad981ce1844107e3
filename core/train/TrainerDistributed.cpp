// Trainer, data-parallel part (issue 21): the gradient step across the ranks, the agreement to
// stop, and the per-epoch report of what the all-reduce cost.

#include "DataParallel.h"
#include "GradientAverager.h"
#include "ProcessGroup.h"
#include "Trainer.h"

#include <algorithm>

namespace twb {

bool Trainer::stopAgreed(bool local)
{
    return m_options.distributed ? anyRankStops(*m_options.distributed, local) : local;
}

void Trainer::updateAverager()
{
    std::vector<torch::Tensor> trainable;
    for (const auto &named : m_parameters)
        if (named.second.requires_grad())
            trainable.push_back(named.second);
    if (m_averager && m_averager->parameterCount() == trainable.size())
        return;
    m_averager.reset(); // its hooks go before the new ones come
    m_averager = std::make_unique<GradientAverager>(*m_options.distributed, std::move(trainable),
                                                    m_options.bucketBytes);
}

void Trainer::backwardAcrossRanks(const torch::Tensor &loss, double &value, std::int64_t &n)
{
    // Every rank's gradients become the mean over the ranks; the batch loss the mean over the
    // global batch, so that every rank sees (and stops on) the same value.
    // The buckets' all-reduce starts during backward as their gradients come in.
    m_averager->beginStep();
    loss.backward();
    const torch::Tensor sums = torch::tensor({value * double(n), double(n)}, torch::kDouble);
    m_averager->finish(sums);
    n = std::int64_t(sums[1].item<double>());
    value = sums[0].item<double>() / double(n);
}

void Trainer::reportAllReduce(std::int64_t epoch, double epochSeconds)
{
    if (!m_averager || m_averager->calls() == 0)
        return;
    // What data parallelism costs: the all-reduce of the gradients (with the wait for the
    // slowest rank), per optimizer step and as a share of the epoch (validation included).
    message(
        QStringLiteral("epoch %1: gradient all-reduce %2 ms per step over %3 steps "
                       "(%4 bucket(s), %7 of them started during backward in the last step), %5 % "
                       "of the epoch's %6 s")
            .arg(epoch + 1)
            .arg(1000.0 * m_averager->totalSeconds() / double(m_averager->calls()), 0, 'f', 2)
            .arg(m_averager->calls())
            .arg(m_averager->bucketCount())
            .arg(100.0 * m_averager->totalSeconds() / std::max(1e-9, epochSeconds), 0, 'f', 1)
            .arg(epochSeconds, 0, 'f', 1)
            .arg(m_averager->lastOverlapped()));
    m_averager->resetTotals();
}

} // namespace twb
