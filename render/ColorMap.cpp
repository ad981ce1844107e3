#include "ColorMap.h"

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

struct Rgb
{
    double r, g, b;
};

// Entries 0, 16, 32, ..., 240, 255 of matplotlib's _cm_listed tables (0..1 per channel).
constexpr int kAnchorCount = 17;
constexpr int anchorIndex(int a)
{
    return a == kAnchorCount - 1 ? 255 : a * 16;
}

constexpr Rgb kViridis[kAnchorCount] = {
    {0.267004, 0.004874, 0.329415}, {0.282327, 0.094955, 0.417331}, {0.278826, 0.175490, 0.483397},
    {0.258965, 0.251537, 0.524736}, {0.229739, 0.322361, 0.545706}, {0.199430, 0.387607, 0.554642},
    {0.172719, 0.448791, 0.557885}, {0.149039, 0.508051, 0.557250}, {0.127568, 0.566949, 0.550556},
    {0.120638, 0.625828, 0.533488}, {0.157851, 0.683765, 0.501686}, {0.246070, 0.738910, 0.452024},
    {0.369214, 0.788888, 0.382914}, {0.515992, 0.831158, 0.294279}, {0.678489, 0.863742, 0.189503},
    {0.845561, 0.887322, 0.099702}, {0.993248, 0.906157, 0.143936},
};

constexpr Rgb kMagma[kAnchorCount] = {
    {0.001462, 0.000466, 0.013866}, {0.039608, 0.031090, 0.133515}, {0.113094, 0.065492, 0.276784},
    {0.211718, 0.061992, 0.418647}, {0.316654, 0.071690, 0.485380}, {0.414709, 0.110431, 0.504662},
    {0.512831, 0.148179, 0.507648}, {0.613617, 0.181811, 0.498536}, {0.716387, 0.214982, 0.475290},
    {0.816914, 0.255895, 0.436461}, {0.904281, 0.319610, 0.388137}, {0.960949, 0.418323, 0.359630},
    {0.986700, 0.535582, 0.382210}, {0.996096, 0.653659, 0.446213}, {0.996898, 0.769591, 0.534892},
    {0.992440, 0.884330, 0.640099}, {0.987053, 0.991438, 0.749504},
};

constexpr Rgb kInferno[kAnchorCount] = {
    {0.001462, 0.000466, 0.013866}, {0.042253, 0.028139, 0.141141}, {0.129285, 0.047293, 0.290788},
    {0.238273, 0.036621, 0.396353}, {0.341500, 0.062325, 0.429425}, {0.441207, 0.099338, 0.431594},
    {0.540920, 0.134729, 0.415123}, {0.640135, 0.171438, 0.381065}, {0.735683, 0.215906, 0.330245},
    {0.822386, 0.275197, 0.266085}, {0.894305, 0.353399, 0.193584}, {0.946965, 0.449191, 0.115272},
    {0.978422, 0.557937, 0.034931}, {0.987874, 0.675267, 0.065257}, {0.974638, 0.797692, 0.206332},
    {0.947594, 0.917399, 0.410665}, {0.988362, 0.998364, 0.644924},
};

int to8Bit(double v)
{
    return int(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
}

std::array<QRgb, 256> interpolated(const Rgb (&anchors)[kAnchorCount])
{
    std::array<QRgb, 256> table{};
    for (int a = 0; a + 1 < kAnchorCount; ++a) {
        const int i0 = anchorIndex(a);
        const int i1 = anchorIndex(a + 1);
        for (int i = i0; i <= i1; ++i) {
            const double t = double(i - i0) / double(i1 - i0);
            const Rgb &p = anchors[a];
            const Rgb &q = anchors[a + 1];
            table[std::size_t(i)] =
                qRgb(to8Bit(p.r + t * (q.r - p.r)), to8Bit(p.g + t * (q.g - p.g)),
                     to8Bit(p.b + t * (q.b - p.b)));
        }
    }
    return table;
}

} // namespace

ColorMap::ColorMap(ColorMapKind kind)
    : m_kind(kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        m_table = interpolated(kViridis);
        break;
    case ColorMapKind::Magma:
        m_table = interpolated(kMagma);
        break;
    case ColorMapKind::Inferno:
        m_table = interpolated(kInferno);
        break;
    case ColorMapKind::Grey:
        for (int i = 0; i < 256; ++i)
            m_table[std::size_t(i)] = qRgb(i, i, i);
        break;
    }
}

const ColorMap &ColorMap::get(ColorMapKind kind)
{
    static const ColorMap viridis(ColorMapKind::Viridis);
    static const ColorMap magma(ColorMapKind::Magma);
    static const ColorMap inferno(ColorMapKind::Inferno);
    static const ColorMap grey(ColorMapKind::Grey);
    switch (kind) {
    case ColorMapKind::Magma:
        return magma;
    case ColorMapKind::Inferno:
        return inferno;
    case ColorMapKind::Grey:
        return grey;
    case ColorMapKind::Viridis:
        break;
    }
    return viridis;
}

QRgb ColorMap::map(double t) const
{
    if (!(t > 0.0)) // also NaN
        return m_table[0];
    if (t >= 1.0)
        return m_table[255];
    return m_table[std::size_t(std::lround(t * 255.0))];
}

QString colorMapName(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return QStringLiteral("viridis");
    case ColorMapKind::Magma:
        return QStringLiteral("magma");
    case ColorMapKind::Inferno:
        return QStringLiteral("inferno");
    case ColorMapKind::Grey:
        return QStringLiteral("grey");
    }
    return {};
}

QStringList colorMapNames()
{
    return {QStringLiteral("viridis"), QStringLiteral("magma"), QStringLiteral("inferno"),
            QStringLiteral("grey")};
}

Expected<ColorMapKind> colorMapFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("viridis"))
        return ColorMapKind::Viridis;
    if (n == QLatin1String("magma"))
        return ColorMapKind::Magma;
    if (n == QLatin1String("inferno"))
        return ColorMapKind::Inferno;
    if (n == QLatin1String("grey") || n == QLatin1String("gray"))
        return ColorMapKind::Grey;
    return Error{QStringLiteral("unknown colour map \"%1\" (expected viridis, magma, inferno or "
                                "grey)")
                     .arg(name),
                 {}};
}

} // namespace twb
