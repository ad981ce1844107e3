#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>

namespace twb {

class ExampleSet;
class Model;
class ProcessGroup;

/// What evaluation keeps of a batch's model output (e.g. softmax of the logits); identity when
/// empty. Input: the model's prediction for the batch; output: [batch, ...] float32.
using PredictionTransform = std::function<torch::Tensor(const torch::Tensor &prediction)>;

/// The model's outputs for every example of `examples`, in order, as one float32 tensor
/// [examples.size(), ...]: eval mode, no gradient, batches of `batchSize` starting at example 0
/// (the last partial batch kept); the model's training mode is restored afterwards.
///
/// With a group (data parallel, a collective: every rank calls it with the same arguments),
/// every rank first takes rank 0's buffers (BatchNorm statistics: broadcastBuffers), then
/// each rank runs only its contiguous share of whole batches (shardRange with `batchSize`),
/// so that every batch is the one a single process forms; the shards are then combined on
/// every rank (each rank writes its rows into zeros and the tensors are summed, x + 0 = x), so
/// the result equals rank 0's model run by a single process, bit for bit when it uses as many
/// threads as each rank (the kernels' sums may split differently otherwise). A rank without a
/// batch runs one example to learn the output's shape.
torch::Tensor predictAll(Model &model, const ExampleSet &examples, std::int64_t batchSize,
                         ProcessGroup *group = nullptr, const PredictionTransform &transform = {});

} // namespace twb
