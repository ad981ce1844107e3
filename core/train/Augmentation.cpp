#include "Augmentation.h"
#include "audio/Resampler.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

struct Item
{
    const char *name;
    double AugmentSpec::*member;
    double defaultValue, low, high; ///< allowed range of VALUE
};

constexpr Item kItems[] = {
    {"shift", &AugmentSpec::shiftSeconds, 0.1, 0.0, 10.0},
    {"gain", &AugmentSpec::gainDb, 6.0, 0.0, 40.0},
    {"speed", &AugmentSpec::speed, 0.1, 0.0, 0.5},
    {"noise", &AugmentSpec::noiseSnrDb, 20.0, 0.0, 80.0},
    {"silence", &AugmentSpec::silenceSnrDb, 10.0, -10.0, 80.0},
    {"vtlp", &AugmentSpec::vtlp, 0.1, 0.0, 0.4},
    {"jitter", &AugmentSpec::jitter, 0.03, 0.0, 2.0},
    {"scale", &AugmentSpec::scale, 0.1, 0.0, 1.0},
    {"warp", &AugmentSpec::warp, 0.1, 0.0, 0.5},
    {"slice", &AugmentSpec::slice, 0.9, 0.1, 1.0},
    {"mixup", &AugmentSpec::mixup, 0.2, 0.01, 10.0},
};

double uniform(std::mt19937_64 &rng, double low, double high)
{
    return low + (high - low) * std::generate_canonical<double, 53>(rng);
}

/// Linear interpolation of `steps` rows of `in` ([steps, channels]) onto `outSteps` rows.
std::vector<float> stretched(const std::vector<float> &in, std::int64_t steps,
                             std::int64_t channels, std::int64_t outSteps)
{
    std::vector<float> out(std::size_t(outSteps * channels));
    for (std::int64_t t = 0; t < outSteps; ++t) {
        const double x = outSteps > 1 ? double(t) * double(steps - 1) / double(outSteps - 1) : 0.0;
        const std::int64_t i = std::min<std::int64_t>(std::int64_t(x), steps - 1);
        const std::int64_t j = std::min<std::int64_t>(i + 1, steps - 1);
        const double w = x - double(i);
        for (std::int64_t c = 0; c < channels; ++c)
            out[std::size_t(t * channels + c)] =
                float((1.0 - w) * in[std::size_t(i * channels + c)] +
                      w * in[std::size_t(j * channels + c)]);
    }
    return out;
}

double meanSquare(const float *v, std::size_t n)
{
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        s += double(v[i]) * v[i];
    return n > 0 ? s / double(n) : 0.0;
}

/// Adds `noise` scaled so that the clip's power over the noise's is `snrDb`.
void addAtSnr(std::vector<float> &out, const std::vector<float> &noise, double snrDb)
{
    const double signal = meanSquare(out.data(), out.size());
    const double noisePower = meanSquare(noise.data(), noise.size());
    if (signal <= 0 || noisePower <= 0)
        return;
    const double gain = std::sqrt(signal / std::pow(10.0, snrDb / 10.0) / noisePower);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] += float(gain * noise[i]);
}

} // namespace

double drawVtlpAlpha(const AugmentSpec &spec, std::mt19937_64 &rng)
{
    return spec.vtlp > 0 ? uniform(rng, 1.0 - spec.vtlp, 1.0 + spec.vtlp) : 1.0;
}

NoiseBank buildNoiseBank(const std::vector<const std::vector<float> *> &clips, double sampleRate,
                         double quietFraction, double maxSeconds)
{
    NoiseBank bank;
    const auto frame = std::size_t(std::max(1L, std::lround(0.025 * sampleRate)));
    const auto fade = std::size_t(std::max(1L, std::lround(0.005 * sampleRate)));
    if (clips.empty() || sampleRate <= 0)
        return bank;
    const auto total = std::size_t(std::max(0.0, maxSeconds * sampleRate));
    const std::size_t share = std::max(frame, total / clips.size());
    for (const std::vector<float> *clip : clips) {
        const std::size_t frames = clip ? clip->size() / frame : 0;
        if (frames < 2)
            continue;
        std::vector<double> energy(frames);
        for (std::size_t f = 0; f < frames; ++f)
            energy[f] = meanSquare(clip->data() + f * frame, frame);
        std::vector<double> sorted = energy;
        const auto q = std::size_t(quietFraction * double(frames - 1));
        std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(q), sorted.end());
        const double threshold = sorted[q];
        std::size_t taken = 0;
        for (std::size_t f = 0; f < frames && taken < share; ++f) {
            if (energy[f] > threshold || energy[f] <= 1e-12)
                continue;
            const float *in = clip->data() + f * frame;
            std::size_t start = 0;
            if (bank.samples.size() >= fade) { // cross-fade into the bank's tail
                float *tail = bank.samples.data() + bank.samples.size() - fade;
                for (std::size_t i = 0; i < fade; ++i) {
                    const float w = float(i + 1) / float(fade + 1);
                    tail[i] = (1.0f - w) * tail[i] + w * in[i];
                }
                start = fade;
            }
            bank.samples.insert(bank.samples.end(), in + start, in + frame);
            taken += frame;
        }
    }
    return bank;
}

Expected<AugmentSpec> AugmentSpec::parse(const QString &text)
{
    AugmentSpec spec;
    for (const QString &rawItem : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString itemText = rawItem.trimmed();
        const QString name = itemText.section(QLatin1Char(':'), 0, 0);
        const auto item = std::find_if(std::begin(kItems), std::end(kItems), [&](const Item &i) {
            return name == QLatin1String(i.name);
        });
        if (item == std::end(kItems)) {
            QStringList known;
            for (const Item &i : kItems)
                known << QLatin1String(i.name);
            return Error{QStringLiteral("augment \"%1\" is unknown; known: %2")
                             .arg(name, known.join(QStringLiteral(", "))),
                         {},
                         0};
        }
        double value = item->defaultValue;
        if (itemText.contains(QLatin1Char(':'))) {
            bool ok = false;
            value = itemText.section(QLatin1Char(':'), 1).toDouble(&ok);
            if (!ok || !std::isfinite(value) || value < item->low || value > item->high)
                return Error{QStringLiteral("augment %1: the value must be a number from %2 to %3")
                                 .arg(itemText)
                                 .arg(item->low)
                                 .arg(item->high),
                             {},
                             0};
        }
        spec.*(item->member) = value;
    }
    return spec;
}

Expected<std::vector<float>> augmentWaveform(const std::vector<float> &wave, double sampleRate,
                                             const AugmentSpec &spec, std::mt19937_64 &rng,
                                             const NoiseBank *bank)
{
    std::vector<float> out = wave;
    if (spec.speed > 0 && !out.empty()) {
        // Playing `factor` times faster = reading the clip as if recorded at rate*factor.
        const double factor = uniform(rng, 1.0 - spec.speed, 1.0 + spec.speed);
        Expected<std::vector<float>> resampled =
            Resampler(sampleRate * factor, sampleRate).resample(out);
        if (!resampled)
            return resampled.error();
        out = std::move(*resampled);
    }
    if (spec.gainDb > 0) {
        const float gain = float(std::pow(10.0, uniform(rng, -spec.gainDb, spec.gainDb) / 20.0));
        for (float &v : out)
            v *= gain;
    }
    if (spec.noiseSnrDb >= 0 && !out.empty()) {
        double power = 0.0;
        for (float v : out)
            power += double(v) * v;
        power /= double(out.size());
        const double snr = uniform(rng, spec.noiseSnrDb, spec.noiseSnrDb + 20.0);
        const double sigma = std::sqrt(power / std::pow(10.0, snr / 10.0));
        std::normal_distribution<double> noise(0.0, 1.0);
        if (sigma > 0)
            for (float &v : out)
                v += float(sigma * noise(rng));
    }
    if (spec.silenceSnrDb >= 0 && bank && !bank->empty() && !out.empty()) {
        const double snr = uniform(rng, spec.silenceSnrDb, spec.silenceSnrDb + 20.0);
        const std::size_t size = bank->samples.size();
        const auto start = std::size_t(uniform(rng, 0.0, double(size))) % size;
        std::vector<float> noise(out.size());
        for (std::size_t i = 0; i < noise.size(); ++i)
            noise[i] = bank->samples[(start + i) % size];
        addAtSnr(out, noise, snr);
    }
    if (spec.shiftSeconds > 0 && !out.empty()) {
        const auto maxShift = std::int64_t(std::lround(spec.shiftSeconds * sampleRate));
        const auto shift =
            std::int64_t(std::lround(uniform(rng, -double(maxShift), double(maxShift))));
        const auto n = std::int64_t(out.size());
        std::vector<float> moved(out.size(), 0.0f);
        for (std::int64_t i = 0; i < n; ++i)
            if (i - shift >= 0 && i - shift < n)
                moved[std::size_t(i)] = out[std::size_t(i - shift)];
        out = std::move(moved);
    }
    return out;
}

void augmentSeries(float *values, std::int64_t steps, std::int64_t channels,
                   const AugmentSpec &spec, std::mt19937_64 &rng)
{
    if (steps < 2 || channels < 1 || !spec.series())
        return;
    std::vector<float> caseValues(values, values + steps * channels);
    if (spec.slice > 0 && spec.slice < 1.0) {
        const auto width = std::max<std::int64_t>(2, std::int64_t(std::lround(spec.slice * steps)));
        const auto start = std::int64_t(uniform(rng, 0.0, double(steps - width + 1)));
        const std::vector<float> part(caseValues.begin() + start * channels,
                                      caseValues.begin() + (start + width) * channels);
        caseValues = stretched(part, width, channels, steps);
    }
    if (spec.warp > 0) {
        const auto width = std::max<std::int64_t>(2, std::int64_t(std::lround(spec.warp * steps)));
        const auto start = std::int64_t(uniform(rng, 0.0, double(steps - width + 1)));
        const double factor = uniform(rng, 0.0, 1.0) < 0.5 ? 0.5 : 2.0;
        const auto warpedWidth = std::max<std::int64_t>(2, std::llround(width * factor));
        const std::vector<float> window(caseValues.begin() + start * channels,
                                        caseValues.begin() + (start + width) * channels);
        const std::vector<float> warpedWindow = stretched(window, width, channels, warpedWidth);
        std::vector<float> joined(caseValues.begin(), caseValues.begin() + start * channels);
        joined.insert(joined.end(), warpedWindow.begin(), warpedWindow.end());
        joined.insert(joined.end(), caseValues.begin() + (start + width) * channels,
                      caseValues.end());
        caseValues = stretched(joined, std::int64_t(joined.size()) / channels, channels, steps);
    }
    if (spec.scale > 0) {
        std::normal_distribution<double> factor(1.0, spec.scale);
        for (std::int64_t c = 0; c < channels; ++c) {
            const auto f = float(factor(rng));
            for (std::int64_t t = 0; t < steps; ++t)
                caseValues[std::size_t(t * channels + c)] *= f;
        }
    }
    if (spec.jitter > 0) {
        std::normal_distribution<double> noise(0.0, spec.jitter);
        for (float &v : caseValues)
            v += float(noise(rng));
    }
    std::copy(caseValues.begin(), caseValues.end(), values);
}

} // namespace twb
