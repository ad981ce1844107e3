#pragma once

#include <optional>
#include <span>

namespace twb::dsp {

/// librosa.power_to_db / amplitude_to_db semantics.
struct DbOptions
{
    /// Reference: 0 dB is `ref` (of power for powerToDb, of amplitude for amplitudeToDb).
    double ref = 1.0;
    /// Use the maximum of the input as reference instead of `ref` (librosa's ref=np.max).
    bool refIsMax = false;
    /// Floor before the log: power amin (librosa power_to_db default 1e-10). amplitudeToDb
    /// floors the amplitude at sqrt(amin), i.e. the same power floor.
    double amin = 1e-10;
    /// Clip to (max - topDb); nullopt leaves the range open (librosa top_db=None). 80 dB default.
    std::optional<double> topDb = 80.0;
};

/// In place: v = 10 log10(max(amin, v)) - 10 log10(max(amin, ref)), then
/// v = max(v, max over all v - topDb). `values` is any layout (the clip uses the global max).
/// NaN inputs stay NaN and do not take part in the max.
void powerToDb(std::span<float> values, const DbOptions &options = {});

/// In place: 20 log10(max(sqrt(amin), |v|)) - 20 log10(max(sqrt(amin), ref)), then the same
/// top-dB clip; equal to powerToDb of the squared values with ref squared.
void amplitudeToDb(std::span<float> values, const DbOptions &options = {});

} // namespace twb::dsp
