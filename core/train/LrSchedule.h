#pragma once

#include "common/Expected.h"

#include <QString>

#include <optional>

namespace twb {

/// The learning-rate schedules of the trainer.
enum class ScheduleKind {
    Constant,    ///< lr0
    Step,        ///< lr0 * gamma^floor(e / stepSize)
    Cosine,      ///< etaMin + (lr0 - etaMin) * (1 + cos(pi * e / tMax)) / 2
    OneCycle,    ///< per batch: cosine warm-up to maxLr, then cosine annealing (PyTorch OneCycleLR)
    Exponential, ///< lr0 * gamma^max(0, e - hold)
    /// lr × gamma after every stepSize epochs in a row without a better validation loss
    /// (PyTorch's ReduceLROnPlateau with patience stepSize − 1 and no cooldown: Conv-TasNet's and
    /// SepFormer's recipe). The rate depends on the validation losses, so it is the trainer's
    /// state (Checkpoint::lr), not a function of the position: see LrSchedule::afterEpoch.
    Plateau,
};

/// Stable lowercase names used in configs and on the command line.
QString scheduleName(ScheduleKind kind);
std::optional<ScheduleKind> scheduleFromName(const QString &name);

struct ScheduleOptions
{
    ScheduleKind kind = ScheduleKind::Constant;
    /// lr of epoch 0; for OneCycle the maximum lr (the start is baseLr / divFactor).
    double baseLr = 1e-3;
    qint64 stepSize = 1;         ///< Step: epochs between two decays; Plateau: epochs without
                                 ///< a better validation loss before a decay
    double gamma = 0.5;          ///< Step, Exponential and Plateau: the decay factor
    qint64 hold = 0;             ///< Exponential: epochs at baseLr before the decay starts
    qint64 tMax = 0;             ///< Cosine: half period in epochs; 0 = the number of epochs
    double etaMin = 0.0;         ///< Cosine: the floor
    double pctStart = 0.3;       ///< OneCycle: fraction of the steps spent warming up
    double divFactor = 25.0;     ///< OneCycle: start lr = baseLr / divFactor
    double finalDivFactor = 1e4; ///< OneCycle: final lr = start lr / finalDivFactor
};

/// A learning-rate schedule as a pure function of the position in training (0-based epoch and
/// 0-based batch within the epoch). It has no hidden state, so a run resumed from a checkpoint
/// gets exactly the rates of an uninterrupted one. Epoch-wise schedules ignore the batch.
/// Plateau is the exception: its rate follows the validation losses (afterEpoch), and the
/// trainer carries it in its checkpoints.
///
/// The official LTSF scripts set the rate after each epoch from the number of epochs done, so
/// their "type1" (DLinear, iTransformer: lr0 * 0.5^(done - 1)) trains the first two epochs at lr0:
/// it is "exponential" with hold 1 and gamma 0.5. PatchTST's "type3" is hold 3 and gamma 0.9.
class LrSchedule
{
public:
    /// Checks the options (positive rates, gamma in (0, 1], ...). The error names the option.
    static Expected<LrSchedule> create(const ScheduleOptions &options, qint64 epochs,
                                       qint64 batchesPerEpoch);

    /// The rate of a batch; Plateau: lr0 (its later rates come from afterEpoch).
    double lr(qint64 epoch, qint64 batch) const;
    bool perBatch() const { return m_options.kind == ScheduleKind::OneCycle; }
    /// True for Plateau: the trainer keeps the rate and updates it with afterEpoch.
    bool followsValidation() const { return m_options.kind == ScheduleKind::Plateau; }
    /// Plateau: the rate after an epoch that leaves `badEpochs` epochs since the best
    /// validation loss — `lr` × gamma when that count is a positive multiple of stepSize, else
    /// `lr`. Other schedules: `lr`.
    double afterEpoch(double lr, qint64 badEpochs) const;
    const ScheduleOptions &options() const { return m_options; }

private:
    LrSchedule(const ScheduleOptions &options, qint64 epochs, qint64 batchesPerEpoch);
    double oneCycle(qint64 step) const;

    ScheduleOptions m_options;
    qint64 m_epochs = 0;
    qint64 m_batchesPerEpoch = 0;
};

} // namespace twb
