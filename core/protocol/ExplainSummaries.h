#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace twb {

// What `twb-cli attention --json` and `twb-cli forward --json` print beside the HDF5 file they
// write: a summary for people and scripts (the maps and tensors themselves are in the file).
// Encoders and decoders here; tests/core/protocol/tst_explainsummaries.cpp round-trips them.
// Plain values; any thread. Non-finite numbers are written as null and read back as NaN.

/// Per layer, the key token that receives the most attention (head average, mean over queries).
struct LayerTopKey
{
    int layer = 0;
    int heads = 0;
    int topKey = 0;
    QString topKeyLabel;       ///< "patch 12 (steps 96-111)", "variate OT", ...
    double topKeyWeight = 0.0; ///< the mean attention it receives
    QString name = {};         ///< "encoder layer 1", "decoder layer 0 cross-attention"
    int queries = 0;           ///< the layer's query tokens (0: not given)
    int keys = 0;              ///< the layer's key tokens (0: not given)
};

/// The gradient x input saliency written with the attention (--saliency).
struct SaliencySummary
{
    QString target; ///< what was differentiated: "forecast of OT", "class 3", ...
    int rows = 0;   ///< input time steps (frames)
    int cols = 0;   ///< input channels (mel bins)
    double maxAbs = 0.0;
};

struct AttentionSummary
{
    QString run;
    QString model;
    QString sampleLabel;
    std::int64_t sampleIndex = 0;
    std::int64_t samples = 0;         ///< samples in the test part
    std::int64_t averagedSamples = 1; ///< --count: maps averaged over this many samples
    std::int64_t channel = -1;        ///< the attended channel (-1: all)
    QString channelName;              ///< empty when channel < 0
    QString label;                    ///< classify: the true class name (may be empty)
    int layers = 0;
    int heads = 0;
    int tokens = 0; ///< the model's input tokens (a layer's own are in perLayer)
    std::vector<LayerTopKey> perLayer;
    std::optional<SaliencySummary> saliency;
    QString out; ///< the file written

    /// {"run","model","sample_label","sample_index","samples","averaged_samples","channel",
    ///  ["channel_name"], ["label"], "layers","heads","tokens","per_layer":[{"layer","heads",
    ///  "top_key","top_key_label","top_key_weight",["name"],["queries","keys"]}],
    ///  ["saliency":{"target","rows","cols","max_abs"}], "out"}
    QJsonObject toJson() const;
    /// Errors name the missing key.
    static Expected<AttentionSummary> fromJson(const QJsonObject &object);
};

/// One stage of a forward pass: its name, the shape of its output and summary statistics.
struct StageSummary
{
    QString name;
    std::vector<std::int64_t> shape;
    double min = 0.0, max = 0.0, mean = 0.0, std = 0.0;

    /// {"name","shape","min","max","mean","std"}
    QJsonObject toJson() const;
    static StageSummary fromJson(const QJsonObject &object);
};

struct ForwardSummary
{
    QString run;
    QString model;
    QString sampleLabel;
    std::int64_t sampleIndex = 0;
    std::int64_t samples = 0;
    std::vector<StageSummary> stages;
    StageSummary prediction;
    std::int64_t parameterTensors = 0;
    std::int64_t parameters = 0;
    std::int64_t buffers = 0; ///< values in the model's buffers (fitted or fixed)
    QString out;

    /// {"run","model","sample_label","sample_index","samples","stages":[...],"prediction",
    ///  "parameter_tensors","parameters","buffers","out"} ("buffers" optional when read)
    QJsonObject toJson() const;
    /// Errors name the missing key.
    static Expected<ForwardSummary> fromJson(const QJsonObject &object);
};

} // namespace twb
