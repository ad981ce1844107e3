// SI-SNR against values computed by hand; its invariances; permutation-invariant training picks
// the right assignment and lets the gradient through the chosen pairs only.
#include "train/SeparationMetrics.h"

#include <QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace twb;

class tst_SeparationMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void siSnrByHand()
    {
        // (eps = 1e-8 moves these by less than 1e-6 dB.)
        // s = [1, -1, 1, -1] (zero mean, |s|² = 4); ŝ = s + n with n = [1, 1, -1, -1]
        // (zero mean and orthogonal to s): s_t = s, e = n, SI-SNR = 10 log10(4 / 4) = 0 dB.
        const auto s = torch::tensor({1.0, -1.0, 1.0, -1.0}, torch::kDouble);
        const auto n = torch::tensor({1.0, 1.0, -1.0, -1.0}, torch::kDouble);
        QVERIFY(std::abs(siSnr(s + n, s).item<double>()) < 1e-6);
        // ŝ = s + n / 2: |e|² = 1, 10 log10(4) = 6.0206 dB.
        QVERIFY(std::abs(siSnr(s + 0.5 * n, s).item<double>() - 10.0 * std::log10(4.0)) < 1e-6);
        // A mean offset is removed first: adding 3 to the estimate changes nothing.
        QVERIFY(std::abs(siSnr(s + 0.5 * n + 3.0, s).item<double>() - 10.0 * std::log10(4.0)) <
                1e-6);
        // ŝ = 2 s + n: s_t = 2 s (|s_t|² = 16), e = n (4): 10 log10(4) again.
        QVERIFY(std::abs(siSnr(2.0 * s + n, s).item<double>() - 10.0 * std::log10(4.0)) < 1e-6);
        // The plain SNR of ŝ = s + n / 2: 10 log10(4 / 1).
        QVERIFY(std::abs(snr(s + 0.5 * n, s).item<double>() - 10.0 * std::log10(4.0)) < 1e-6);
        // ... and of 2 s: the scale counts there: 10 log10(4 / 4) = 0.
        QVERIFY(std::abs(snr(2.0 * s, s).item<double>()) < 1e-6);
    }

    void siSnrInvariances()
    {
        torch::manual_seed(1);
        const torch::Tensor s = torch::randn({3, 800}, torch::kDouble);
        const torch::Tensor est = s + 0.3 * torch::randn({3, 800}, torch::kDouble);
        const torch::Tensor base = siSnr(est, s);
        QCOMPARE(base.sizes(), torch::IntArrayRef({3}));
        QVERIFY(torch::allclose(siSnr(est * 7.5, s), base, 1e-9, 1e-9));
        // (eps weighs more on a quiet estimate: 1e-4 dB here.)
        QVERIFY(torch::allclose(siSnr(est * 0.01, s), base, 1e-5, 1e-4));
        // A negated estimate: the projection's scale turns negative, the ratio stays.
        QVERIFY(torch::allclose(siSnr(-est, s), base, 1e-9, 1e-9));
        // A perfect estimate is large and finite; silence is very negative and finite.
        const double perfect = siSnr(s, s)[0].item<double>();
        QVERIFY2(perfect > 60.0 && std::isfinite(perfect), qPrintable(QString::number(perfect)));
        const double silent = siSnr(torch::zeros_like(s), s)[0].item<double>();
        QVERIFY2(silent < -60.0 && std::isfinite(silent), qPrintable(QString::number(silent)));
    }

    void pitPicksTheRightAssignment()
    {
        torch::manual_seed(2);
        const std::int64_t b = 4, sources = 3, t = 500;
        const torch::Tensor refs = torch::randn({b, sources, t});
        // Example k: the estimates are the references in a known order, plus a little noise.
        const std::vector<std::vector<std::int64_t>> orders = {
            {0, 1, 2}, {2, 0, 1}, {1, 2, 0}, {0, 2, 1}};
        torch::Tensor estimates = torch::empty_like(refs);
        for (std::int64_t k = 0; k < b; ++k)
            for (std::int64_t s = 0; s < sources; ++s)
                estimates[k][orders[k][s]] = refs[k][s] + 0.1 * torch::randn({t});
        const PitResult r = permutationInvariantSiSnr(estimates, refs);
        for (std::int64_t k = 0; k < b; ++k)
            for (std::int64_t s = 0; s < sources; ++s)
                QCOMPARE(r.permutation[k][s].item<std::int64_t>(), orders[k][s]);
        // Aligned, the estimates match the references pair by pair, and the mean SI-SNR of the
        // best assignment is the mean of those pairs' SI-SNR.
        const torch::Tensor aligned = alignSources(estimates, r.permutation);
        const torch::Tensor direct = siSnr(aligned, refs).mean(1);
        QVERIFY(torch::allclose(r.siSnr, direct, 1e-4, 1e-4));
        QVERIFY((r.siSnr > 15.0).all().item<bool>());
        QCOMPARE(r.pairs.sizes(), torch::IntArrayRef({b, sources, sources}));
        // The loss is minus the mean.
        QVERIFY(std::abs(negativePitSiSnr(estimates, refs).item<double>() +
                         r.siSnr.mean().item<double>()) < 1e-5);
    }

    void pitGradientFlowsThroughTheChosenPairs()
    {
        torch::manual_seed(3);
        const torch::Tensor refs = torch::randn({1, 2, 300}, torch::kDouble);
        // Swapped estimates: estimate 1 is reference 0 and estimate 0 is reference 1.
        torch::Tensor est = torch::stack({refs[0][1], refs[0][0]}).unsqueeze(0) +
                            0.2 * torch::randn({1, 2, 300}, torch::kDouble);
        est.requires_grad_(true);
        const torch::Tensor loss = negativePitSiSnr(est, refs);
        loss.backward();
        QVERIFY(est.grad().defined());
        QVERIFY(est.grad().abs().sum().item<double>() > 0.0);
        // The gradient equals that of the chosen assignment written out directly.
        const torch::Tensor leaf = est.detach().clone().requires_grad_(true);
        const torch::Tensor direct =
            -0.5 * (siSnr(leaf[0][1], refs[0][0]) + siSnr(leaf[0][0], refs[0][1]));
        direct.backward();
        QVERIFY(torch::allclose(est.grad(), leaf.grad(), 1e-10, 1e-12));
        // A descent step along it raises the SI-SNR of the assignment.
        const torch::Tensor stepped = est.detach() - 0.5 * est.grad();
        QVERIFY(negativePitSiSnr(stepped, refs).item<double>() < loss.item<double>());
    }

    void sdrForgivesAShortFilter()
    {
        torch::manual_seed(6);
        const std::int64_t t = 4000;
        const torch::Tensor s = torch::randn({1, t}, torch::kDouble);
        const torch::Tensor noise = torch::randn({1, t}, torch::kDouble);
        // White noise 20 dB down: SDR, SI-SNR and SNR agree (the noise is not in the span of a
        // few hundred delays of s, up to what 512 free taps can fit of it: about 512 / 4000 of
        // its energy, 0.6 dB).
        const torch::Tensor noisy = s + 0.1 * noise;
        const double sdrNoisy = sdr(noisy, s)[0].item<double>();
        const double snrNoisy = snr(noisy, s)[0].item<double>();
        QVERIFY2(std::abs(snrNoisy - 20.0) < 0.5, qPrintable(QString::number(snrNoisy)));
        QVERIFY2(sdrNoisy > snrNoisy && sdrNoisy < snrNoisy + 1.0,
                 qPrintable(QStringLiteral("%1 vs %2").arg(sdrNoisy).arg(snrNoisy)));
        // A filtered reference (3 taps: a different "recording" of the same source) plus the
        // same noise: SDR forgives the filter, SI-SNR does not.
        const torch::Tensor filtered =
            0.6 * s + 0.3 * torch::roll(s, 1, 1) - 0.2 * torch::roll(s, 2, 1);
        const torch::Tensor estimate = filtered + 0.1 * noise;
        const double sdrFiltered = sdr(estimate, s)[0].item<double>();
        const double siSnrFiltered = siSnr(estimate, s)[0].item<double>();
        QVERIFY2(
            sdrFiltered > 13.0 && siSnrFiltered < 5.0,
            qPrintable(QStringLiteral("SDR %1, SI-SNR %2").arg(sdrFiltered).arg(siSnrFiltered)));
        // Perfect: very large; shapes and lengths checked.
        QVERIFY(sdr(s, s)[0].item<double>() > 80.0);
        QCOMPARE(sdr(torch::randn({3, 600}), torch::randn({3, 600})).sizes(),
                 torch::IntArrayRef({3}));
        QVERIFY_THROWS_EXCEPTION(c10::Error, sdr(torch::randn({1, 100}), torch::randn({1, 100})));
        QVERIFY_THROWS_EXCEPTION(c10::Error, sdr(torch::randn({1, 600}), torch::randn({2, 600})));
    }

    void sdrOfManyRowsEqualsRowByRow()
    {
        // 70 rows are solved in blocks (of 32): every row as alone, across the boundaries.
        torch::manual_seed(8);
        const torch::Tensor refs = torch::randn({70, 700}, torch::kDouble);
        const torch::Tensor ests = refs + 0.3 * torch::randn({70, 700}, torch::kDouble);
        const torch::Tensor all = sdr(ests, refs, 64);
        QCOMPARE(all.sizes(), torch::IntArrayRef({70}));
        for (std::int64_t r : {0, 31, 32, 33, 63, 64, 69}) {
            const double alone =
                sdr(ests.narrow(0, r, 1), refs.narrow(0, r, 1), 64)[0].item<double>();
            QVERIFY2(std::abs(all[r].item<double>() - alone) < 1e-9,
                     qPrintable(QStringLiteral("row %1: %2 vs %3")
                                    .arg(r)
                                    .arg(all[r].item<double>())
                                    .arg(alone)));
        }
    }

    void sdrEqualsMirEval()
    {
        // The same signals as this script, whose numbers are mir_eval 0.7's (Debian's
        // python3-mir-eval, bss_eval_sources with one source, filter length 512):
        //   lcg = x -> (1664525 x + 1013904223) mod 2^32, value x / 2^32 - 0.5
        //   s = sin(0.05 t) + 0.5 sin(0.13 t + 1) + lcg(seed 1), noise = lcg(seed 2), T = 3000
        //   SDR(s + 0.3 noise) = 20.404198941595425
        //   SDR(0.6 s + 0.3 roll(s, 1) - 0.2 roll(s, 2) + 0.3 noise) = 17.330312863889937
        const std::int64_t t = 3000;
        const auto lcg = [&](std::uint64_t x) {
            std::vector<double> out;
            for (std::int64_t i = 0; i < t; ++i) {
                x = (1664525ULL * x + 1013904223ULL) % 4294967296ULL;
                out.push_back(double(x) / 4294967296.0 - 0.5);
            }
            return torch::tensor(out, torch::kDouble).view({1, t});
        };
        const torch::Tensor steps = torch::arange(t, torch::kDouble).view({1, t});
        const torch::Tensor s =
            torch::sin(0.05 * steps) + 0.5 * torch::sin(0.13 * steps + 1.0) + lcg(1);
        const torch::Tensor noise = lcg(2);
        const torch::Tensor filtered =
            0.6 * s + 0.3 * torch::roll(s, 1, 1) - 0.2 * torch::roll(s, 2, 1);
        const double noisy = sdr(s + 0.3 * noise, s)[0].item<double>();
        const double distorted = sdr(filtered + 0.3 * noise, s)[0].item<double>();
        QVERIFY2(std::abs(noisy - 20.404198941595425) < 1e-3,
                 qPrintable(QString::number(noisy, 'g', 12)));
        QVERIFY2(std::abs(distorted - 17.330312863889937) < 1e-3,
                 qPrintable(QString::number(distorted, 'g', 12)));
    }

    void permutationsAndErrors()
    {
        QCOMPARE(allPermutations(1).size(), std::size_t(1));
        QCOMPARE(allPermutations(3).size(), std::size_t(6));
        QCOMPARE(allPermutations(3).front(), (std::vector<std::int64_t>{0, 1, 2}));
        QCOMPARE(allPermutations(3).back(), (std::vector<std::int64_t>{2, 1, 0}));
        QVERIFY_THROWS_EXCEPTION(c10::Error, permutationInvariantSiSnr(torch::randn({2, 2, 10}),
                                                                       torch::randn({2, 3, 10})));
        QVERIFY_THROWS_EXCEPTION(
            c10::Error, permutationInvariantSiSnr(torch::randn({2, 10}), torch::randn({2, 10})));
        QVERIFY_THROWS_EXCEPTION(c10::Error, permutationInvariantSiSnr(torch::randn({1, 6, 10}),
                                                                       torch::randn({1, 6, 10})));
    }
};

QTEST_GUILESS_MAIN(tst_SeparationMetrics)
#include "tst_separationmetrics.moc"
