#pragma once

#include "common/Expected.h"

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace twb::explain {

/// One stage of a forward pass as plain data (no torch): the whole tensor's shape and
/// statistics, and a small 2-D picture of it.
///
/// The preview is the slice [0, 0, ..., :, :] of the tensor (the first sample, channel or head
/// of every leading axis; a 1-D tensor is one row), thinned by a whole-number stride so that
/// neither side exceeds the cap (256 by default): element (r, c) of the preview is element
/// (r * rowStride, c * colStride) of the slice. Statistics are over every element.
struct ForwardStage
{
    std::string name;                ///< the plugin's stage name: "revin", "encoder_layer_0"
    std::vector<std::int64_t> shape; ///< at least one axis (a scalar is stored as [1])
    int rows = 0;                    ///< preview rows
    int cols = 0;                    ///< preview columns
    std::vector<float> preview;      ///< rows x cols, row-major
    int rowStride = 1;               ///< preview row r is slice row r * rowStride
    int colStride = 1;
    double min = 0.0;
    double max = 0.0;
    double mean = 0.0;
    double std = 0.0; ///< population standard deviation (divides by n)

    std::int64_t elementCount() const;
};

/// One tensor of the model: a learnable one (named_parameters()) or a buffer (named_buffers()).
struct ForwardParameter
{
    std::string name; ///< module path and name: "encoder.layers.0.attn.q.weight"
    std::vector<std::int64_t> shape;
    std::int64_t count = 0; ///< product of shape
};

/// One sample through a model: the stages in the order the model ran them, the parameters and
/// the prediction.
struct ForwardTrace
{
    std::string modelId;     ///< "patchtst"
    std::string runDir;      ///< the run folder (empty for a model without a run)
    std::string sampleLabel; ///< "test window 12 (2017-10-20 08:00)"
    std::int64_t sampleIndex = 0;
    std::vector<ForwardStage> stages;
    std::vector<ForwardParameter> parameters;
    std::int64_t totalParameters = 0; ///< sum of the parameter counts
    /// The buffers (named_buffers()): values kept with the model that no gradient trains —
    /// what a one-pass fit stored (MiniRocket's biases and ridge weights, 1-NN DTW's training
    /// cases), fixed tables (positional encodings), running statistics. Empty in files written
    /// before buffers were recorded.
    std::vector<ForwardParameter> buffers;
    std::int64_t totalBuffers = 0; ///< sum of the buffer counts
    ForwardStage prediction;       ///< named "prediction"; forecast or logits
};

/// Builds a stage from a row-major float tensor of `shape` (`values` has product(shape)
/// elements; an empty shape is a scalar, stored as [1]). `maxSide` caps the preview's sides
/// (at least 1). Non-finite values are skipped by the statistics (all NaN gives NaN).
ForwardStage makeForwardStage(const std::string &name, const std::vector<std::int64_t> &shape,
                              const float *values, int maxSide = 256);

/// Writes `trace` to `path` atomically (temporary file + rename). Layout (h5py-readable):
///   /  @format "twb-forward", @model, @run, @sample_label (strings), @sample_index (int64)
///   /stages @names (strings, in order), @count (int64)
///   /stages/<iii>_<name>/preview  float32 [rows, cols]   (iii = 000, 001, ...)
///   /stages/<iii>_<name>/shape    int64 [rank]
///        @name, @min, @max, @mean, @std, @row_stride, @col_stride
///   /prediction/preview, /prediction/shape  the same for the prediction
///   /parameters/names   strings [n]
///   /parameters/shapes  int64 [n, max rank], padded with -1
///   /parameters/counts  int64 [n]; @total int64     (absent when the model has none)
///   /buffers/names, /buffers/shapes, /buffers/counts, @total   the same for the buffers
/// Errors name the file: no stages, an empty name or one with '/', a preview whose size is
/// not rows x cols, HDF5 failures.
Status writeForwardFile(const QString &path, const ForwardTrace &trace);

/// Reads a file written by writeForwardFile. Errors name the file: missing, not HDF5, not a
/// forward-pass file (no @format "twb-forward"), a missing stage, a preview that is not 2-D,
/// parameter or buffer arrays of different lengths.
Expected<ForwardTrace> readForwardFile(const QString &path);

/// "[1, 7, 42, 16]".
QString shapeText(const std::vector<std::int64_t> &shape);

} // namespace twb::explain
