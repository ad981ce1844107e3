#pragma once

#include "common/Expected.h"

#include <QRgb>
#include <QString>
#include <QStringList>

#include <array>

namespace twb {

enum class ColorMapKind {
    Viridis, ///< matplotlib's default (blue-green-yellow), perceptually uniform
    Magma,   ///< black-purple-orange-white
    Inferno, ///< black-purple-red-yellow
    Grey,    ///< black to white
};

/// A 256-entry colour table: entry 0 is the lowest value, entry 255 the highest.
///
/// Viridis, magma and inferno are derived from matplotlib's published 256-entry tables
/// (van der Walt and Smith, BIDS): 17 anchor colours, entries 0, 16, 32, ..., 240 and 255, are
/// kept and the other entries are interpolated linearly in RGB between them, then rounded to
/// 8 bits. Anchors are exact; between them the result is mostly within two 8-bit steps of the
/// published entry, up to 6 steps where a channel turns inside an interval (inferno's blue
/// near entry 200); tst_spectrogramimage checks sample entries. Grey is entry i = (i, i, i).
/// Immutable: the tables are built once and may be read from any thread.
class ColorMap
{
public:
    static const ColorMap &get(ColorMapKind kind);

    ColorMapKind kind() const { return m_kind; }
    QRgb at(int index) const
    {
        return m_table[std::size_t(index < 0 ? 0 : index > 255 ? 255 : index)];
    }
    /// The colour of t in [0, 1] (clamped; NaN gives entry 0): entry round(t * 255).
    QRgb map(double t) const;
    const std::array<QRgb, 256> &table() const { return m_table; }

private:
    explicit ColorMap(ColorMapKind kind);
    ColorMapKind m_kind;
    std::array<QRgb, 256> m_table{};
};

/// "viridis", "magma", "inferno", "grey" (also "gray").
QString colorMapName(ColorMapKind kind);
Expected<ColorMapKind> colorMapFromName(const QString &name);
QStringList colorMapNames();

} // namespace twb
