#pragma once

#include "ExampleSet.h"
#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace twb {

class Model;

/// What a training run will hold in memory at its peak, estimated before its first batch
/// (issue 16: a run that cannot fit is refused with a message instead of being killed by the
/// kernel hours later). All sizes in bytes.
///
///   peak ≈ resident + 6 × parameters + 2 × activations
///
/// resident:    the process now (libraries, the loaded data and its windows, the model)
/// parameters:  float32 weights; a run adds their gradients, Adam's two moments, the best
///              weights kept in memory and the copy a checkpoint is serialised from (6 ×)
/// activations: measured, not guessed: one forward pass of a training batch of the run's
///              batch size, in training mode, with autograd recording, counts the bytes the
///              graph keeps for the backward pass (glibc's in-use heap, mallinfo2); the
///              backward pass needs about as much again for the gradients it computes (2 ×)
struct MemoryEstimate
{
    std::int64_t resident = 0;
    std::int64_t parameters = 0;
    std::int64_t activations = 0;
    std::int64_t batchSize = 0;
    std::int64_t peak() const { return resident + 6 * parameters + 2 * activations; }
    /// {"estimated_peak_mb", "resident_mb", "parameters_mb", "activations_mb", "batch_size"}
    QJsonObject toJson() const;
    /// "estimated peak 812 MiB: 420 MiB now, parameters 1.6 MiB, activations of a batch of
    /// 128: 190 MiB"
    QString describe() const;
};

/// Measures the activations of one training batch of `batchSize` examples of `train` (the
/// first ones; fewer when the set is smaller). The model is left exactly as it was: its
/// buffers (BatchNorm statistics) and torch's random generator are restored, no gradient is
/// kept, no parameter changes. Errors: the model's forward pass failing (its message).
/// Threading: the training thread, before training.
Expected<MemoryEstimate> estimateTrainingMemory(Model &model, const ExampleSet &train,
                                                std::int64_t batchSize);

/// MemAvailable of /proc/meminfo: what new allocations can get without swapping; -1 when
/// unknown.
std::int64_t availableMemory();
/// The resident set now (VmRSS) and the highest it has been (VmHWM) of this process; -1 when
/// unknown.
std::int64_t residentMemory();
std::int64_t peakResidentMemory();

/// "1.2 GiB", "812 MiB", "40 KiB".
QString formatBytes(std::int64_t bytes);

} // namespace twb
