#pragma once

#include "Checkpoint.h"

#include <QString>

#include <cstdint>
#include <utility>

namespace twb {

class Model;
class ProcessGroup;

/// The Trainer's data-parallel helpers over a ProcessGroup (null = one process). Each one
/// that takes a group is a collective: every rank calls it at the same point, or the call
/// times out (DistributedError). Threading: the training thread.

/// This process's rank, 0 without a group.
int shardRank(const ProcessGroup *group);
/// The number of ranks, 1 without a group.
int shardCount(const ProcessGroup *group);

/// Every parameter and buffer of `model` takes rank 0's value.
void broadcastModel(ProcessGroup &group, Model &model);

/// Every buffer of `model` (BatchNorm's running statistics) takes rank 0's value, so that every
/// rank evaluates rank 0's model (the one the run saves); the parameters are equal already.
void broadcastBuffers(ProcessGroup &group, Model &model);

/// True on every rank when any rank passes true (all-reduce of one flag: max).
bool anyRankStops(ProcessGroup &group, bool local);

/// The contiguous share [first, last) of `count` examples, evaluated in batches of `batchSize`
/// from example 0, that this rank evaluates: whole batches, rank r taking ceil(batches / ranks)
/// of them from batch r * ceil(batches / ranks) (the last ranks may get fewer or none), so
/// every rank forms exactly the batches one process would. Nothing is padded: the reduced sums
/// have the same terms as one process's.
std::pair<std::int64_t, std::int64_t> shardRange(const ProcessGroup &group, std::int64_t count,
                                                 std::int64_t batchSize);

/// The mean over all ranks' terms: sum of `sum` / sum of `count` (float64 all-reduce); NaN
/// when there are none.
double reducedMean(ProcessGroup &group, double sum, std::int64_t count);

/// Converts a checkpoint's position (`state.batch` counts batches of one rank's shard, written
/// by state.worldSize ranks) to `worldSize` ranks with the same per-rank batch size: the
/// windows consumed, batch * old ranks, become batch' = floor(batch * old / new), so a few
/// windows are trained again when it does not divide. Returns a note for the log when it
/// changed anything (empty otherwise); state.worldSize becomes `worldSize`.
QString adaptToWorldSize(TrainState &state, std::int64_t worldSize);

} // namespace twb
