#pragma once

#include "common/Expected.h"
#include "data/LabelledDataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// How mixtures of speech are drawn from a data set of single-speaker utterances.
struct MixtureOptions
{
    int sources = 2;          ///< utterances per mixture, each of a different speaker
    double minLevelDb = -5.0; ///< the first source's level over the second's, drawn uniformly
    double maxLevelDb = 5.0;  ///< from [minLevelDb, maxLevelDb] (sources > 2: each further
                              ///< source's level over the first's is drawn from the same range)
    std::int64_t length = 0;  ///< samples per mixture; 0: the longest of its utterances
    std::uint64_t seed = 2021;
};

/// The RMS a source of gain 1 is scaled to: −26 dBFS, the level speech is usually set to
/// (ITU-T P.56 practice), so that a mixture of two rarely needs scaling down to stay below 0.9.
constexpr double kMixtureReferenceRms = 0.05;

/// One mixture: which cases, at which gains. The sources are the cases' waveforms, each scaled
/// to kMixtureReferenceRms and then by its gain, zero-padded or cut at the end to `length`; the
/// mixture is their sum. Plain data, reproducible from the data set and these numbers alone.
struct MixtureSpec
{
    std::vector<std::int64_t> cases; ///< indices into LabelledDataset::cases, one per source
    std::vector<double> gains;       ///< linear gain of each source at the reference RMS
    std::vector<double> levelsDb;    ///< each source's level relative to the first (0 for it)
    std::int64_t length = 0;         ///< samples
};

/// Draws `count` mixtures from the cases `candidates` (indices into data.cases; speakers[i] is
/// case i's speaker, from caseGroups()): the first utterance uniformly among the candidates,
/// each further one uniformly among the candidates of speakers not yet in the mixture; levels
/// as MixtureOptions says. Deterministic in options.seed (own 64-bit Mersenne Twister draws, no
/// std distributions), so a run's configuration can list or regenerate its mixtures.
/// Errors name data.sourcePath: fewer speakers than sources, a count below 1, a level range
/// that is empty or not finite, a data set that is not mono or has no sample rate, a candidate
/// out of range, a case without samples.
Expected<std::vector<MixtureSpec>> drawMixtures(const LabelledDataset &data,
                                                const QStringList &speakers,
                                                const std::vector<std::int64_t> &candidates,
                                                std::int64_t count, const MixtureOptions &options);

/// The waveforms of one mixture: the mixture [length] and each scaled source [length], with
/// mixture == the sum of the sources (to float rounding). The whole set is scaled down together
/// when the mixture would exceed 0.9 in magnitude (the ratios between sources stay).
struct RenderedMixture
{
    std::vector<float> mixture;
    std::vector<std::vector<float>> sources;
    double scale = 1.0; ///< the factor applied to stay below 0.9 (1 when none was needed)
};
RenderedMixture renderMixture(const LabelledDataset &data, const MixtureSpec &spec);

} // namespace twb
