#include "SeparationEvaluation.h"
#include "MixtureExamples.h"
#include "SeparationMetrics.h"
#include "ShardedPrediction.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace twb {

namespace {

constexpr std::int64_t kSdrFilter = 512;

QJsonValue meanOrNull(const torch::Tensor &t)
{
    const double v = t.mean().item<double>();
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject SeparationEvaluation::summary() const
{
    const torch::Tensor improvement = siSnrImprovement();
    QJsonArray perSource;
    const torch::Tensor bySource = improvement.mean(0);
    for (std::int64_t s = 0; s < bySource.size(0); ++s)
        perSource.append(bySource[s].item<double>());
    return {{QStringLiteral("si_snr"), meanOrNull(siSnr)},
            {QStringLiteral("si_snri"), meanOrNull(improvement)},
            {QStringLiteral("sdr"), meanOrNull(sdr)},
            {QStringLiteral("sdri"), meanOrNull(sdrImprovement())},
            {QStringLiteral("si_snri_std"), improvement.mean(1).std(false).item<double>()},
            {QStringLiteral("si_snri_median"), improvement.mean(1).median().item<double>()},
            {QStringLiteral("si_snri_per_source"), perSource},
            {QStringLiteral("mixtures"), qint64(siSnr.size(0))},
            {QStringLiteral("sources"), qint64(siSnr.size(1))},
            {QStringLiteral("samples"), qint64(estimates.size(2))}};
}

QString describeSeparationSummary(const QJsonObject &summary)
{
    const auto dB = [&summary](const char *key) {
        // A figure the summary lacks is said to be missing, never printed as 0 dB.
        const QJsonValue v = summary.value(QLatin1String(key));
        return v.isDouble() ? QString::number(v.toDouble(), 'f', 2) : QStringLiteral("(missing)");
    };
    const QString sdr = summary.value(QStringLiteral("sdr")).isDouble()
                            ? QStringLiteral("SDRi %1 dB (SDR %2 dB)").arg(dB("sdri"), dB("sdr"))
                            : QStringLiteral("SDR not computed (mixtures shorter than %1 "
                                             "samples)")
                                  .arg(kSdrFilter);
    return QStringLiteral("SI-SNRi %1 dB (SI-SNR %2 dB, median SI-SNRi %3 dB), %4")
        .arg(dB("si_snri"), dB("si_snr"), dB("si_snri_median"), sdr);
}

SeparationEvaluation evaluateSeparation(Model &model, const MixtureExamples &examples,
                                        std::int64_t batchSize, ProcessGroup *group)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor raw = predictAll(model, examples, batchSize, group);
    const ExampleBatch truth = examples.range(0, examples.size());
    const torch::Tensor references = truth.y;          // [n, S, T]
    const torch::Tensor mixture = truth.x.squeeze(-1); // [n, T]
    SeparationEvaluation out;
    const PitResult pit = permutationInvariantSiSnr(raw, references);
    out.permutation = pit.permutation;
    out.estimates = alignSources(raw, pit.permutation).contiguous();
    out.siSnr = siSnr(out.estimates.to(torch::kFloat64), references.to(torch::kFloat64));
    const torch::Tensor mixtures = mixture.unsqueeze(1).expand_as(references);
    out.siSnrMixture = siSnr(mixtures.to(torch::kFloat64), references.to(torch::kFloat64));
    const std::int64_t n = references.size(0), s = references.size(1), t = references.size(2);
    if (t >= kSdrFilter) {
        out.sdr =
            twb::sdr(out.estimates.reshape({n * s, t}), references.reshape({n * s, t}), kSdrFilter)
                .reshape({n, s});
        out.sdrMixture =
            twb::sdr(mixtures.reshape({n * s, t}), references.reshape({n * s, t}), kSdrFilter)
                .reshape({n, s});
    } else {
        out.sdr = torch::full({n, s}, std::numeric_limits<double>::quiet_NaN(), torch::kFloat64);
        out.sdrMixture = out.sdr.clone();
    }
    return out;
}

} // namespace twb
