// Trainer, models fitted in one pass (nn/OnePassFit.h: MiniRocket, 1-NN DTW): one
// fit on the training part to measure the training and validation losses, then the final fit on the
// training and validation parts together, recorded as the run's single epoch.

#include "DataParallel.h"
#include "TrainLoss.h"
#include "TrainObserver.h"
#include "Trainer.h"
#include "common/Errors.h"
#include "nn/Model.h"
#include "nn/OnePassFit.h"

#include <chrono>
#include <cmath>

namespace twb {

namespace {

/// Every example of `examples`, in order, as one batch.
ExampleBatch wholeSet(const ExampleSet &examples)
{
    return examples.range(0, examples.size());
}

/// The step mask of `batch`, all true when it has none.
torch::Tensor maskOrAllReal(const ExampleBatch &batch)
{
    return batch.mask.defined() ? batch.mask
                                : torch::ones({batch.x.size(0), batch.x.size(1)}, torch::kBool);
}

/// `a` and `b` as one batch (same time length, the cases of a first).
ExampleBatch joined(const ExampleBatch &a, const ExampleBatch &b)
{
    ExampleBatch all;
    all.x = torch::cat({a.x, b.x}, 0);
    all.y = torch::cat({a.y, b.y}, 0);
    if (a.mask.defined() || b.mask.defined())
        all.mask = torch::cat({maskOrAllReal(a), maskOrAllReal(b)}, 0);
    return all;
}

} // namespace

TrainResult Trainer::runFit()
{
    using Clock = std::chrono::steady_clock;
    TrainResult result;
    if (m_options.distributed && shardCount(m_options.distributed) > 1) {
        result.message = QStringLiteral("a model fitted in one pass runs in one process, not "
                                        "data parallel");
        return result;
    }
    if (m_observer)
        m_observer->onStart(
            {1, 1, m_train->size(), m_validation->size(), m_state.epoch + 1, 0, 0, 0, {}});
    // Fitted already (resume() counts a finished run by the epochs asked for, which a fit does
    // not use): best.pt holds the result.
    if (m_resumed && m_state.epoch >= 1) {
        result.outcome = TrainOutcome::Finished;
        if (Status s = loadModuleStateDict(*m_model, m_bestWeights, QStringLiteral("best.pt"));
            !s) {
            result.outcome = TrainOutcome::Failed;
            result.message = s.error().toString();
        }
        result.state = m_state;
        return result;
    }
    try {
        const auto t0 = Clock::now();
        const ExampleBatch train = wholeSet(*m_train);
        OnePassFit &fitter = *onePassFit(*m_model);
        if (Status s = fitter.fit(train.x, train.y, train.mask, m_options.seed); !s) {
            result.message = s.error().toString();
            return result;
        }
        EpochEvent event;
        event.epoch = 1;
        // The fit's own logits of the training cases when it has them (MiniRocket: no second
        // transform of every case), else a pass of forward() over them.
        const torch::Tensor fitted = fitter.fittedLogits();
        event.trainLoss = fitted.defined() && predictionFits(fitted, train.y, m_options.loss)
                              ? computeLoss(fitted, train.y, m_options.loss, -1).item<double>()
                              : meanLoss(*m_model, *m_train, m_options.batchSize, m_options.loss);
        event.valLoss = meanLoss(*m_model, *m_validation, m_options.batchSize, m_options.loss);
        if (!std::isfinite(event.valLoss)) {
            result.outcome = TrainOutcome::Diverged;
            result.message = QStringLiteral("the fitted model's validation loss is %1")
                                 .arg(nonFiniteName(event.valLoss));
            return result;
        }
        // The validation cases told how well a fit on the training cases alone does; the
        // model the run keeps is fitted on both, as the UCR protocol fits on its whole training
        // file (the model chooses its own settings by leave-one-out within what it is given).
        const ExampleBatch all = joined(train, wholeSet(*m_validation));
        if (Status s = fitter.fit(all.x, all.y, all.mask, m_options.seed); !s) {
            result.message = s.error().toString();
            return result;
        }
        message(QStringLiteral("fitted on the %1 training cases (validation loss %2 on the %3 "
                               "held-out cases), then on all %4 cases")
                    .arg(m_train->size())
                    .arg(event.valLoss, 0, 'g', 5)
                    .arg(m_validation->size())
                    .arg(all.x.size(0)));
        m_state.epoch = 1;
        m_state.batch = 0;
        m_state.bestEpoch = 0;
        m_state.bestValLoss = event.valLoss;
        m_state.badEpochs = 0;
        m_state.finished = true;
        m_bestWeights = moduleStateDict(*m_model);
        event.best = true;
        event.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        if (m_observer)
            m_observer->onEpoch(event);
        Status s = writeCheckpoint(QStringLiteral("best.pt"));
        if (s)
            s = writeCheckpoint(QStringLiteral("last.pt"));
        if (!s) {
            result.message = s.error().toString();
            return result;
        }
        result.outcome = TrainOutcome::Finished;
    } catch (const c10::Error &e) {
        result.message = QString::fromStdString(e.what_without_backtrace());
    } catch (const std::exception &e) {
        result.message = QString::fromUtf8(e.what());
    }
    result.state = m_state;
    return result;
}

} // namespace twb
