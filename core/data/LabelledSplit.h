#pragma once

#include "LabelledDataset.h"
#include "StandardScaler.h"
#include "common/Expected.h"

#include <cstdint>
#include <random>
#include <vector>

namespace twb {

/// Case indices (into LabelledDataset::cases) of each part, each sorted ascending.
struct LabelledSplitIndices
{
    std::vector<std::int64_t> train;
    std::vector<std::int64_t> validation;
    std::vector<std::int64_t> test;
};

/// Fisher-Yates over raw engine output (std::shuffle's distribution is library-specific), so
/// that a seed gives the same order on every platform.
void seededShuffle(std::vector<std::int64_t> &items, std::mt19937_64 &engine);

/// Stratified random split of `candidates` (case indices; all cases when empty is passed to
/// the overload without it): per class, its cases are shuffled with a 64-bit Mersenne Twister
/// seeded with `seed` (own Fisher-Yates, so the result is the same on every platform), then
/// round(n * testFraction) go to test and round(n * validationFraction) to validation, the
/// rest to train. Every class keeps at least one train case, and one case in each part whose
/// fraction is positive when the class has enough cases (train first, then test, then
/// validation). Errors: a fraction outside [0, 1), fractions summing to 1 or more, a candidate
/// index out of range. Deterministic; thread-safe.
Expected<LabelledSplitIndices> stratifiedSplit(const LabelledDataset &data,
                                               double validationFraction, double testFraction,
                                               std::uint64_t seed);
Expected<LabelledSplitIndices> stratifiedSplit(const LabelledDataset &data,
                                               const std::vector<std::int64_t> &candidates,
                                               double validationFraction, double testFraction,
                                               std::uint64_t seed);

/// Per-channel StandardScaler (population std, std 0 -> scale 1, no value -> mean 0 scale 1)
/// fitted on the values of `trainCases` only; NaNs are ignored. Indices out of range are
/// ignored. Statistics in double, two passes.
StandardScaler fitLabelledScaler(const LabelledDataset &data,
                                 const std::vector<std::int64_t> &trainCases);

/// Applies `scaler` to every case in place (NaN stays NaN). Does nothing if the scaler's
/// channel count differs from the data's.
void scaleLabelled(LabelledDataset &data, const StandardScaler &scaler);

/// Cases gathered into one fixed-length block for batching.
struct PaddedCases
{
    std::int64_t cases = 0;
    std::int64_t length = 0;
    std::int64_t channels = 0;
    std::vector<float> values;      ///< [cases, length, channels], row-major
    std::vector<std::uint8_t> mask; ///< [cases, length]: 1 = a real time step, 0 = padding
    std::vector<int> labels;        ///< [cases]
};

/// Copies the cases `indices` (in that order) into a [cases, length, channels] block. Shorter
/// cases are padded at the end with `padValue` (mask 0); longer ones are cut to `length` (their
/// first `length` steps). `length` <= 0 means the longest of the chosen cases. NaNs of real
/// steps are copied as they are (mask 1): scale/impute before if the model cannot take them.
/// Indices out of range are skipped.
PaddedCases padCases(const LabelledDataset &data, const std::vector<std::int64_t> &indices,
                     std::int64_t length = 0, float padValue = 0.0f);

} // namespace twb
