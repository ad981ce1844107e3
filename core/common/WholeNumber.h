#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

namespace twb {

/// `value` as an int64 when it is a whole number in int64's range; nothing for NaN, infinities,
/// fractions and values out of range. Files give numbers as doubles (Hdf5Reader); casting such a
/// double to an integer is undefined behaviour, so every conversion of a number read from a
/// file goes through here.
inline std::optional<std::int64_t> wholeNumber(double value)
{
    // 2^63 is exact in a double; every double below it converts.
    constexpr double limit = 9223372036854775808.0;
    if (!std::isfinite(value) || value != std::trunc(value) || value < -limit || value >= limit)
        return std::nullopt;
    return std::int64_t(value);
}

/// wholeNumber(value), or `fallback` (for descriptive attributes whose loss must not stop a read).
inline std::int64_t wholeNumberOr(double value, std::int64_t fallback)
{
    return wholeNumber(value).value_or(fallback);
}

} // namespace twb
