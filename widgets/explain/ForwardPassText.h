#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// The plain-language explanation of one forward-pass stage, from the embedded
/// resources/explain/stages.json (Qt resource ":/twb/explain/stages.json").
struct StageExplanation
{
    QString text;     ///< 2-4 sentences for teaching; empty when nothing matches
    QStringList axes; ///< the meaning of each axis of the stage's shape ("batch", "patches")
    bool isFound() const { return !text.isEmpty(); }
};

/// Looks `stageName` up for `modelId`: the model's own entry, then its pattern entries (a '*'
/// stands for any run of characters: "encoder_layer_*" matches "encoder_layer_3"; of several
/// matches the one with the most literal characters wins, so "encoder_layer_*.delays" before
/// "encoder_layer_*"), then the same in "default". Model ids are
/// compared case-insensitively. The file is parsed once; thread-safe after that.
StageExplanation stageExplanation(const QString &modelId, const QString &stageName);

/// "[7, 42, 16] = 7 batch × channels, 42 patches, 16 model width" (each axis with its size); just
/// the bracketed shape when `axes` does not have one name per axis.
QString describeShape(const std::vector<std::int64_t> &shape, const QStringList &axes);

} // namespace twb
