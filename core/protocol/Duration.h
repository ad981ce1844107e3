#pragma once

#include <QString>

namespace twb {

/// A duration for people: "42s", "3m07s", "2h05m" (rounded to the second); "?" for a negative
/// or non-finite number of seconds. Pure function, any thread.
QString formatDuration(double seconds);

} // namespace twb
