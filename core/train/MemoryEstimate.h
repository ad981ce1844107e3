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
///   peak ≈ resident + step + 4 × parameters + 6 × predictions
///
/// resident:    the process before the step (libraries, the loaded data and its windows, the
///              model)
/// step:        measured, not guessed: one training step (forward and backward) on a batch of
///              the run's batch size, as the resident set's high-water mark rises over it
///              (/proc/self/clear_refs resets the mark): the activations autograd keeps, the
///              gradients, the BLAS and thread buffers
/// parameters:  float32 weights; a run adds Adam's two moments, the best weights kept in
///              memory and the copy a checkpoint is serialised from (4 ×)
/// predictions: the test part's predictions (examples × one example's target), kept in both
///              scales with the truth and written through an in-memory HDF5 image (6 ×)
struct MemoryEstimate
{
    std::int64_t resident = 0;
    std::int64_t step = 0;
    std::int64_t parameters = 0;
    std::int64_t predictions = 0;
    std::int64_t batchSize = 0;
    std::int64_t peak() const { return resident + step + 4 * parameters + 6 * predictions; }
    /// {"estimated_peak_mb", "resident_mb", "step_mb", "parameters_mb", "predictions_mb",
    /// "batch_size"}
    QJsonObject toJson() const;
    /// "estimated peak 812 MiB: 420 MiB before, a training step of 128: 190 MiB, parameters
    /// 1.6 MiB, test predictions 7 MiB"
    QString describe() const;
};

/// Measures one training step of `batchSize` examples of `train` (the first ones; fewer when
/// the set is smaller) and adds `testExamples` predictions of the size of one example's target.
/// The model is left exactly as it was: its buffers (BatchNorm statistics), its gradients and
/// torch's random generator are restored and no parameter changes. Errors: the model's forward
/// or backward pass failing (its message). Threading: the training thread, before training.
Expected<MemoryEstimate> estimateTrainingMemory(Model &model, const ExampleSet &train,
                                                std::int64_t batchSize,
                                                std::int64_t testExamples = 0);

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
