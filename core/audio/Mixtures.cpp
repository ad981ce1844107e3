#include "Mixtures.h"

#include "common/Errors.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace twb {
namespace {

/// Uniform index in [0, n) by rejection (no modulo bias), n >= 1.
std::int64_t drawIndex(std::mt19937_64 &rng, std::int64_t n)
{
    const auto range = static_cast<std::uint64_t>(n);
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                std::numeric_limits<std::uint64_t>::max() % range;
    std::uint64_t x = rng();
    while (x >= limit)
        x = rng();
    return static_cast<std::int64_t>(x % range);
}

/// Uniform double in [0, 1) from the top 53 bits.
double drawUnit(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * 0x1.0p-53;
}

double rms(const LabelledCase &c)
{
    double sum = 0.0;
    for (float v : c.values)
        sum += double(v) * double(v);
    return c.values.empty() ? 0.0 : std::sqrt(sum / double(c.values.size()));
}

} // namespace

Expected<std::vector<MixtureSpec>> drawMixtures(const LabelledDataset &data,
                                                const QStringList &speakers,
                                                const std::vector<std::int64_t> &candidates,
                                                std::int64_t count, const MixtureOptions &options)
{
    const auto fail = [&](const QString &reason) {
        return makeError(reason, data.sourcePath);
    };
    if (data.channels() != 1 || !(data.sampleRate > 0.0))
        return fail(QStringLiteral("mixtures need mono audio with a sample rate (this data set "
                                   "has %1 channels at %2 Hz)")
                        .arg(data.channels())
                        .arg(data.sampleRate));
    if (speakers.size() != data.size())
        return fail(
            QStringLiteral("%1 speakers given for %2 cases").arg(speakers.size()).arg(data.size()));
    if (options.sources < 2)
        return fail(
            QStringLiteral("a mixture needs at least two sources, got %1").arg(options.sources));
    if (count < 1)
        return fail(QStringLiteral("the number of mixtures must be at least 1, got %1").arg(count));
    if (!std::isfinite(options.minLevelDb) || !std::isfinite(options.maxLevelDb) ||
        options.minLevelDb > options.maxLevelDb)
        return fail(QStringLiteral("the level range [%1, %2] dB is empty or not finite")
                        .arg(options.minLevelDb)
                        .arg(options.maxLevelDb));
    if (options.length < 0)
        return fail(QStringLiteral("the mixture length must not be negative"));
    std::set<QString> distinct;
    for (std::int64_t c : candidates) {
        if (c < 0 || c >= data.size())
            return fail(
                QStringLiteral("case %1 does not exist (%2 cases)").arg(c).arg(data.size()));
        if (data.cases[std::size_t(c)].length < 1 || rms(data.cases[std::size_t(c)]) <= 0.0)
            return fail(
                QStringLiteral("%1 is silent or empty").arg(data.cases[std::size_t(c)].source));
        distinct.insert(speakers[qsizetype(c)]);
    }
    if (std::int64_t(distinct.size()) < options.sources)
        return fail(QStringLiteral("only %1 among the chosen cases, %2 needed for mixtures of "
                                   "different speakers")
                        .arg(distinct.size() == 1
                                 ? QStringLiteral("1 speaker")
                                 : QStringLiteral("%1 speakers").arg(distinct.size()))
                        .arg(options.sources));

    std::mt19937_64 rng(options.seed);
    std::vector<MixtureSpec> mixtures;
    mixtures.reserve(std::size_t(count));
    std::vector<std::int64_t> pool;
    for (std::int64_t m = 0; m < count; ++m) {
        MixtureSpec spec;
        std::set<QString> used;
        for (int s = 0; s < options.sources; ++s) {
            pool.clear();
            for (std::int64_t c : candidates)
                if (!used.count(speakers[qsizetype(c)]))
                    pool.push_back(c);
            const std::int64_t pick = pool[std::size_t(drawIndex(rng, std::int64_t(pool.size())))];
            used.insert(speakers[qsizetype(pick)]);
            spec.cases.push_back(pick);
            const double level = s == 0
                                     ? 0.0
                                     : -(options.minLevelDb +
                                         (options.maxLevelDb - options.minLevelDb) * drawUnit(rng));
            spec.levelsDb.push_back(level);
        }
        // Gains split the level difference around 0 dB: a two-source mixture at +3 dB has
        // the first source at +1.5 dB and the second at −1.5 dB over the reference RMS.
        double mean = 0.0;
        for (double l : spec.levelsDb)
            mean += l / double(spec.levelsDb.size());
        std::int64_t longest = 0;
        for (std::size_t s = 0; s < spec.cases.size(); ++s) {
            spec.gains.push_back(std::pow(10.0, (spec.levelsDb[s] - mean) / 20.0));
            longest = std::max(longest, data.cases[std::size_t(spec.cases[s])].length);
        }
        spec.length = options.length > 0 ? options.length : longest;
        mixtures.push_back(std::move(spec));
    }
    return mixtures;
}

RenderedMixture renderMixture(const LabelledDataset &data, const MixtureSpec &spec)
{
    RenderedMixture out;
    out.mixture.assign(std::size_t(spec.length), 0.0f);
    for (std::size_t s = 0; s < spec.cases.size(); ++s) {
        const LabelledCase &c = data.cases[std::size_t(spec.cases[s])];
        const double gain = kMixtureReferenceRms * spec.gains[s] / rms(c);
        std::vector<float> source(std::size_t(spec.length), 0.0f);
        const std::int64_t n = std::min(spec.length, c.length);
        for (std::int64_t i = 0; i < n; ++i)
            source[std::size_t(i)] = float(double(c.values[std::size_t(i)]) * gain);
        out.sources.push_back(std::move(source));
    }
    float peak = 0.0f;
    for (std::int64_t i = 0; i < spec.length; ++i) {
        float sum = 0.0f;
        for (const auto &source : out.sources)
            sum += source[std::size_t(i)];
        out.mixture[std::size_t(i)] = sum;
        peak = std::max(peak, std::abs(sum));
    }
    if (peak > 0.9f) {
        out.scale = 0.9 / double(peak);
        const auto scale = float(out.scale);
        for (float &v : out.mixture)
            v *= scale;
        for (auto &source : out.sources)
            for (float &v : source)
                v *= scale;
    }
    return out;
}

} // namespace twb
