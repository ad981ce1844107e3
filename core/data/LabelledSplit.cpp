#include "LabelledSplit.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace twb {

namespace {

struct PartSizes
{
    std::int64_t train = 0, validation = 0, test = 0;
};

PartSizes partSizes(std::int64_t n, double validationFraction, double testFraction)
{
    PartSizes s;
    s.test = std::llround(double(n) * testFraction);
    s.validation = std::llround(double(n) * validationFraction);
    // At least one case where the fraction asks for any, as long as train keeps one.
    if (testFraction > 0 && s.test == 0 && n >= 2)
        s.test = 1;
    if (validationFraction > 0 && s.validation == 0 && n - s.test >= 2)
        s.validation = 1;
    while (s.test + s.validation >= n && s.validation > 0)
        --s.validation;
    while (s.test >= n && s.test > 0)
        --s.test;
    s.train = n - s.test - s.validation;
    return s;
}

} // namespace

void seededShuffle(std::vector<std::int64_t> &items, std::mt19937_64 &engine)
{
    for (std::size_t i = items.size(); i > 1; --i) {
        const std::size_t j = std::size_t(engine() % i);
        std::swap(items[i - 1], items[j]);
    }
}

Expected<LabelledSplitIndices> stratifiedSplit(const LabelledDataset &data,
                                               double validationFraction, double testFraction,
                                               std::uint64_t seed)
{
    std::vector<std::int64_t> all(data.cases.size());
    std::iota(all.begin(), all.end(), std::int64_t(0));
    return stratifiedSplit(data, all, validationFraction, testFraction, seed);
}

Expected<LabelledSplitIndices> stratifiedSplit(const LabelledDataset &data,
                                               const std::vector<std::int64_t> &candidates,
                                               double validationFraction, double testFraction,
                                               std::uint64_t seed)
{
    const auto badFraction = [](double f) {
        return !(f >= 0.0 && f < 1.0);
    };
    if (badFraction(validationFraction) || badFraction(testFraction) ||
        validationFraction + testFraction >= 1.0)
        return Error{QStringLiteral("split fractions must be in [0, 1) and leave a part for "
                                    "training: validation %1, test %2")
                         .arg(validationFraction)
                         .arg(testFraction),
                     data.sourcePath};
    const int classes = int(data.classNames.size());
    std::vector<std::vector<std::int64_t>> perClass(std::size_t(std::max(classes, 0)));
    for (std::int64_t index : candidates) {
        if (index < 0 || index >= data.size())
            return Error{
                QStringLiteral("case index %1 is outside the %2 cases").arg(index).arg(data.size()),
                data.sourcePath};
        const int label = data.cases[std::size_t(index)].label;
        if (label < 0 || label >= classes)
            return Error{QStringLiteral("case %1 has the label %2, outside the %3 classes")
                             .arg(index)
                             .arg(label)
                             .arg(classes),
                         data.sourcePath};
        perClass[std::size_t(label)].push_back(index);
    }

    std::mt19937_64 engine(seed);
    LabelledSplitIndices split;
    for (std::vector<std::int64_t> &members : perClass) {
        std::sort(members.begin(), members.end());
        seededShuffle(members, engine);
        const PartSizes sizes =
            partSizes(std::int64_t(members.size()), validationFraction, testFraction);
        auto at = members.begin();
        split.test.insert(split.test.end(), at, at + sizes.test);
        at += sizes.test;
        split.validation.insert(split.validation.end(), at, at + sizes.validation);
        at += sizes.validation;
        split.train.insert(split.train.end(), at, members.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

StandardScaler fitLabelledScaler(const LabelledDataset &data,
                                 const std::vector<std::int64_t> &trainCases)
{
    const std::int64_t channels = data.channels();
    if (channels == 0)
        return {};
    std::vector<double> sum(std::size_t(channels), 0.0);
    std::vector<std::int64_t> count(std::size_t(channels), 0);
    const auto eachValue = [&](auto &&visit) {
        for (std::int64_t index : trainCases) {
            if (index < 0 || index >= data.size())
                continue;
            const std::vector<float> &values = data.cases[std::size_t(index)].values;
            for (std::size_t i = 0; i < values.size(); ++i)
                if (!std::isnan(values[i]))
                    visit(std::size_t(std::int64_t(i) % channels), double(values[i]));
        }
    };
    eachValue([&](std::size_t ch, double v) {
        sum[ch] += v;
        ++count[ch];
    });
    std::vector<double> mean(std::size_t(channels), 0.0);
    for (std::size_t ch = 0; ch < mean.size(); ++ch)
        if (count[ch] > 0)
            mean[ch] = sum[ch] / double(count[ch]);
    std::vector<double> squares(std::size_t(channels), 0.0);
    eachValue([&](std::size_t ch, double v) { squares[ch] += (v - mean[ch]) * (v - mean[ch]); });

    QJsonArray means;
    QJsonArray scales;
    for (std::size_t ch = 0; ch < mean.size(); ++ch) {
        const double sd = count[ch] > 0 ? std::sqrt(squares[ch] / double(count[ch])) : 0.0;
        means.append(mean[ch]);
        scales.append(sd > 0.0 && std::isfinite(sd) ? sd : 1.0);
    }
    auto scaler = StandardScaler::fromJson(
        QJsonObject{{QStringLiteral("mean"), means}, {QStringLiteral("scale"), scales}});
    return scaler ? *scaler : StandardScaler();
}

void scaleLabelled(LabelledDataset &data, const StandardScaler &scaler)
{
    const std::int64_t channels = data.channels();
    if (scaler.channelCount() != channels)
        return;
    for (LabelledCase &c : data.cases)
        scaler.transform(c.values.data(), c.length, channels);
}

PaddedCases padCases(const LabelledDataset &data, const std::vector<std::int64_t> &indices,
                     std::int64_t length, float padValue)
{
    std::vector<const LabelledCase *> chosen;
    for (std::int64_t index : indices)
        if (index >= 0 && index < data.size())
            chosen.push_back(&data.cases[std::size_t(index)]);
    if (length <= 0) {
        length = 0;
        for (const LabelledCase *c : chosen)
            length = std::max(length, c->length);
    }
    PaddedCases out;
    out.cases = std::int64_t(chosen.size());
    out.length = length;
    out.channels = data.channels();
    out.values.assign(std::size_t(out.cases * length * out.channels), padValue);
    out.mask.assign(std::size_t(out.cases * length), 0);
    for (std::int64_t i = 0; i < out.cases; ++i) {
        const LabelledCase &c = *chosen[std::size_t(i)];
        const std::int64_t steps = std::min(c.length, length);
        std::copy_n(c.values.begin(), steps * out.channels,
                    out.values.begin() + i * length * out.channels);
        std::fill_n(out.mask.begin() + i * length, steps, std::uint8_t(1));
        out.labels.push_back(c.label);
    }
    return out;
}

} // namespace twb
