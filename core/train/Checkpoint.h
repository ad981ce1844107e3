#pragma once

#include "common/Expected.h"

#include <torch/torch.h>

#include <QString>

#include <cstdint>
#include <limits>
#include <string>

namespace twb {

/// Where a training run stands; with the weights, the optimizer state and the RNG state it is
/// everything needed to continue exactly as if never interrupted.
struct TrainState
{
    std::int64_t epoch = 0;      ///< 0-based epoch in progress (== epochs when all are done)
    std::int64_t batch = 0;      ///< batches of `epoch` already done (the sampler position)
    std::int64_t globalStep = 0; ///< optimizer steps so far
    double bestValLoss = std::numeric_limits<double>::infinity();
    std::int64_t bestEpoch = -1; ///< 0-based epoch of bestValLoss, -1 before the first epoch
    std::int64_t badEpochs = 0;  ///< epochs since the best one (the patience counter)
    double epochLossSum = 0.0;   ///< sum of batch loss * batch size in the current epoch
    std::int64_t epochSamples = 0;
    bool finished = false; ///< early-stopped or all epochs done
    /// Epochs averaged so far by weight averaging (TrainerOptions::swaStart; swa.pt holds
    /// the mean); 0 when it is off or has not begun.
    std::int64_t swaCount = 0;
    /// Ranks of the data-parallel run that wrote the state (1: one process). `batch` counts
    /// batches of one rank's shard, so a resume with another number of ranks converts it.
    std::int64_t worldSize = 1;
};

/// A tensor dictionary keyed by state_dict names ("encoder.layers.0.norm.weight").
using TensorDict = c10::Dict<std::string, torch::Tensor>;

/// The content of best.pt / last.pt. The file is a torch.save-compatible pickle (zip) of a
/// dict {"format", "model", "optimizer", "optimizer_kind", "state", "rng", "lr", "checksum"},
/// so Python's torch.load reads it too. "checksum" (format 2) is the SHA-256 of the content
/// (every tensor by name, dtype, shape and bytes; the state; lr): loadCheckpoint refuses a file
/// whose content no longer matches it, e.g. bytes changed inside a tensor while the zip stays
/// valid. Format 1 files (no checksum) still load.
struct Checkpoint
{
    TensorDict model;          ///< parameters and buffers by name
    TensorDict optimizer;      ///< see optimizerState() in Optimizer.h
    std::string optimizerKind; ///< "adam" / "adamw"
    TrainState state;
    torch::Tensor rngState; ///< torch's default CPU generator state (uint8)
    double lr = 0.0;        ///< the learning rate of the last step (the scheduler state:
                            ///< schedules are functions of state.epoch / state.batch), except
                            ///< for the plateau schedule: the rate of the next step
};

/// Writes atomically (temporary file in the same folder, fsync, rename).
Status saveCheckpoint(const QString &path, const Checkpoint &checkpoint);
/// Errors name the file: missing, not a checkpoint of this format, missing entries.
Expected<Checkpoint> loadCheckpoint(const QString &path);

/// The state of torch's default CPU generator (uint8; dropout, random init) and setting it back.
/// Thread-safe (the generator's mutex).
torch::Tensor rngState();
void setRngState(const torch::Tensor &state);

/// A detached copy of every parameter and buffer of `module`, by state_dict name.
TensorDict moduleStateDict(const torch::nn::Module &module);

/// Copies `dict` into `module` by name. Every parameter and buffer of the module must be in
/// `dict` with the same shape, except that an empty buffer (numel 0: what a model fills when
/// it is fitted, nn/OnePassFit.h) takes the checkpoint's shape; `source` names the origin in
/// errors.
Status loadModuleStateDict(torch::nn::Module &module, const TensorDict &dict,
                           const QString &source);

} // namespace twb
