#include "Window.h"

#include <cmath>
#include <numbers>

namespace twb::dsp {

namespace {

/// Generalised cosine window sum_k (-1)^k a_k cos(2 pi k n / (M - 1)) over M points.
double cosineSum(std::initializer_list<double> coefficients, int n, int m)
{
    const double x = 2.0 * std::numbers::pi * n / double(m - 1);
    double value = 0.0;
    double sign = 1.0;
    int k = 0;
    for (double a : coefficients) {
        value += sign * a * std::cos(k * x);
        sign = -sign;
        ++k;
    }
    return value;
}

double symmetricValue(const WindowSpec &spec, int n, int m)
{
    switch (spec.type) {
    case WindowType::Rectangular:
        return 1.0;
    case WindowType::Hann:
        return cosineSum({0.5, 0.5}, n, m);
    case WindowType::Hamming:
        return cosineSum({0.54, 0.46}, n, m);
    case WindowType::Blackman:
        return cosineSum({0.42, 0.5, 0.08}, n, m);
    case WindowType::BlackmanHarris:
        return cosineSum({0.35875, 0.48829, 0.14128, 0.01168}, n, m);
    case WindowType::Kaiser: {
        const double r = 2.0 * n / double(m - 1) - 1.0;
        const double arg = spec.kaiserBeta * std::sqrt(std::max(0.0, 1.0 - r * r));
        return std::cyl_bessel_i(0.0, arg) / std::cyl_bessel_i(0.0, spec.kaiserBeta);
    }
    case WindowType::Povey:
        return std::pow(cosineSum({0.5, 0.5}, n, m), 0.85);
    }
    return 1.0;
}

} // namespace

std::vector<float> makeWindow(const WindowSpec &spec, int length)
{
    if (length <= 0)
        return {};
    if (length == 1)
        return {1.0f};
    const int m = spec.symmetry == WindowSymmetry::Periodic ? length + 1 : length;
    std::vector<float> window(static_cast<std::size_t>(length));
    for (int n = 0; n < length; ++n)
        window[std::size_t(n)] = float(symmetricValue(spec, n, m));
    return window;
}

QString windowName(WindowType type)
{
    switch (type) {
    case WindowType::Rectangular:
        return QStringLiteral("rect");
    case WindowType::Hann:
        return QStringLiteral("hann");
    case WindowType::Hamming:
        return QStringLiteral("hamming");
    case WindowType::Blackman:
        return QStringLiteral("blackman");
    case WindowType::BlackmanHarris:
        return QStringLiteral("blackman-harris");
    case WindowType::Kaiser:
        return QStringLiteral("kaiser");
    case WindowType::Povey:
        return QStringLiteral("povey");
    }
    return {};
}

Expected<WindowType> windowTypeFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("rect") || n == QLatin1String("rectangular") ||
        n == QLatin1String("boxcar"))
        return WindowType::Rectangular;
    if (n == QLatin1String("hann") || n == QLatin1String("hanning"))
        return WindowType::Hann;
    if (n == QLatin1String("hamming"))
        return WindowType::Hamming;
    if (n == QLatin1String("blackman"))
        return WindowType::Blackman;
    if (n == QLatin1String("blackman-harris") || n == QLatin1String("blackmanharris"))
        return WindowType::BlackmanHarris;
    if (n == QLatin1String("kaiser"))
        return WindowType::Kaiser;
    if (n == QLatin1String("povey"))
        return WindowType::Povey;
    return Error{QStringLiteral("unknown window '%1' (expected rect, hann, hamming, blackman, "
                                "blackman-harris, kaiser or povey)")
                     .arg(name),
                 {},
                 0};
}

} // namespace twb::dsp
