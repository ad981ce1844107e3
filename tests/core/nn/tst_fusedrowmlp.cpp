// fusedRowMlp must equal the unfused Linear → relu → nn::dropout → Linear in value and in
// every gradient (float64 to 1e-12, float32 to rounding), with and without dropout, over
// shapes that do not divide its task split; keep nn::dropout's mask under the same seed; and
// refuse what it is not written for.
#include "nn/FastOps.h"
#include "nn/FusedRowMlp.h"

#include <QtTest>

#include <torch/torch.h>

#include <limits>

namespace {

struct Weights
{
    torch::Tensor w1, b1, w2, b2;
};

Weights randomWeights(std::int64_t in, std::int64_t hidden, std::int64_t out, torch::Dtype dtype)
{
    const auto o = torch::TensorOptions().dtype(dtype);
    return {torch::randn({hidden, in}, o) * 0.5, torch::randn({hidden}, o) * 0.1,
            torch::randn({out, hidden}, o) * 0.1, torch::randn({out}, o) * 0.1};
}

torch::Tensor unfused(const torch::Tensor &x, const Weights &w, double p, bool training)
{
    const torch::Tensor h = torch::relu(torch::linear(x, w.w1, w.b1));
    return torch::linear(twb::nn::dropout(h, p, training), w.w2, w.b2);
}

struct Result
{
    torch::Tensor y, dx, dw1, db1, dw2, db2;
};

/// Runs `fused` or the unfused path from torch seed `seed` on leaf copies of x and the weights,
/// back-propagating `upstream`.
Result run(bool fused, const torch::Tensor &x, const Weights &w, double p, bool training,
           const torch::Tensor &upstream, std::uint64_t seed)
{
    const auto leaf = [](const torch::Tensor &t) {
        return t.detach().clone().requires_grad_();
    };
    const torch::Tensor lx = leaf(x);
    const Weights lw{leaf(w.w1), leaf(w.b1), leaf(w.w2), leaf(w.b2)};
    torch::manual_seed(seed);
    const torch::Tensor y = fused
                                ? twb::nn::fusedRowMlp(lx, lw.w1, lw.b1, lw.w2, lw.b2, p, training)
                                : unfused(lx, lw, p, training);
    y.backward(upstream);
    return {y.detach(), lx.grad(), lw.w1.grad(), lw.b1.grad(), lw.w2.grad(), lw.b2.grad()};
}

double maxError(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>() / std::max(1.0, b.abs().max().item<double>());
}

} // namespace

class tst_FusedRowMlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { twb::nn::setFusedRowMlpEnabled(true); }

    void equalsUnfused_data()
    {
        QTest::addColumn<bool>("isDouble");
        QTest::addColumn<double>("p");
        QTest::addColumn<bool>("training");
        QTest::addColumn<int>("threads");
        QTest::newRow("double, no dropout") << true << 0.0 << true << 2;
        QTest::newRow("double, dropout 0.5") << true << 0.5 << true << 2;
        QTest::newRow("double, dropout 0.9, one thread") << true << 0.9 << true << 1;
        QTest::newRow("double, evaluation") << true << 0.5 << false << 2;
        QTest::newRow("float, dropout 0.3") << false << 0.3 << true << 2;
    }

    void equalsUnfused()
    {
        QFETCH(bool, isDouble);
        QFETCH(double, p);
        QFETCH(bool, training);
        QFETCH(int, threads);
        const int before = torch::get_num_threads();
        torch::set_num_threads(threads);
        const torch::Dtype dtype = isDouble ? torch::kDouble : torch::kFloat;
        torch::manual_seed(3);
        // TSMixer's feature mixing: [batch, steps, channels] with 7 channels, hidden 37 (odd,
        // not a vector multiple), 3 × 211 rows (not a multiple of the 256-row tasks).
        const Weights w = randomWeights(7, 37, 5, dtype);
        const torch::Tensor x = torch::randn({3, 211, 7}, torch::TensorOptions().dtype(dtype));
        const torch::Tensor upstream = torch::randn({3, 211, 5}, x.options());
        const Result fused = run(true, x, w, p, training, upstream, 11);
        const Result stock = run(false, x, w, p, training, upstream, 11);
        torch::set_num_threads(before);
        const double tolerance = isDouble ? 1e-12 : 2e-5;
        const std::pair<const char *, std::pair<torch::Tensor, torch::Tensor>> pairs[] = {
            {"y", {fused.y, stock.y}},       {"dx", {fused.dx, stock.dx}},
            {"dw1", {fused.dw1, stock.dw1}}, {"db1", {fused.db1, stock.db1}},
            {"dw2", {fused.dw2, stock.dw2}}, {"db2", {fused.db2, stock.db2}}};
        for (const auto &[name, t] : pairs) {
            QCOMPARE(t.first.sizes(), t.second.sizes());
            const double error = maxError(t.first, t.second);
            QVERIFY2(error < tolerance, qPrintable(QStringLiteral("%1: %2").arg(name).arg(error)));
        }
        if (training && p > 0.0) {
            // The mask did drop: the same call from another seed gives another result.
            const Result other = run(true, x, w, p, training, upstream, 12);
            QVERIFY(maxError(other.y, fused.y) > 1e-3);
        }
    }

    void gradientsMatchFiniteDifferences()
    {
        // Independent of the unfused path: central differences in float64 on a few entries of
        // every input (no dropout, so the function is deterministic; the inputs keep clear of
        // relu's kink).
        torch::manual_seed(5);
        const Weights w = randomWeights(3, 6, 2, torch::kDouble);
        const torch::Tensor x = torch::randn({4, 3}, torch::kDouble);
        const torch::Tensor upstream = torch::randn({4, 2}, torch::kDouble);
        const Result r = run(true, x, w, 0.0, true, upstream, 1);
        const auto loss = [&](const torch::Tensor &xx, const Weights &ww) {
            return (twb::nn::fusedRowMlp(xx, ww.w1, ww.b1, ww.w2, ww.b2, 0.0, false) * upstream)
                .sum()
                .item<double>();
        };
        const double eps = 1e-6;
        const auto check = [&](const char *name, const torch::Tensor &analytic, int which) {
            for (std::int64_t i = 0; i < std::min<std::int64_t>(analytic.numel(), 6); ++i) {
                torch::Tensor xs[2] = {x.clone(), x.clone()};
                Weights ws[2] = {{w.w1.clone(), w.b1.clone(), w.w2.clone(), w.b2.clone()},
                                 {w.w1.clone(), w.b1.clone(), w.w2.clone(), w.b2.clone()}};
                for (int s = 0; s < 2; ++s) {
                    torch::Tensor *target[5] = {&xs[s], &ws[s].w1, &ws[s].b1, &ws[s].w2, &ws[s].b2};
                    target[which]->view(-1)[i] += s == 0 ? eps : -eps;
                }
                const double numeric = (loss(xs[0], ws[0]) - loss(xs[1], ws[1])) / (2 * eps);
                const double value = analytic.reshape(-1)[i].item<double>();
                QVERIFY2(std::abs(numeric - value) < 1e-7,
                         qPrintable(QStringLiteral("%1[%2]: %3 vs %4")
                                        .arg(name)
                                        .arg(i)
                                        .arg(value)
                                        .arg(numeric)));
            }
        };
        check("dx", r.dx, 0);
        check("dw1", r.dw1, 1);
        check("db1", r.db1, 2);
        check("dw2", r.dw2, 3);
        check("db2", r.db2, 4);
    }

    void dropsLikeDropoutAtTheRequestedRate()
    {
        // With identity-like weights the kept hidden values show through: the drop rate over
        // many rows is p, and the kept ones are scaled by 1 / (1 − p).
        torch::manual_seed(9);
        const std::int64_t hidden = 64;
        const torch::Tensor w1 = torch::ones({hidden, 1});
        const torch::Tensor b1 = torch::zeros({hidden});
        const torch::Tensor x = torch::ones({5000, 1});
        // Each output reads one hidden unit.
        const torch::Tensor w2 = torch::eye(hidden).narrow(0, 0, 8);
        const torch::Tensor y = twb::nn::fusedRowMlp(x, w1, b1, w2, torch::zeros({8}), 0.25, true);
        const double dropped = y.eq(0).to(torch::kDouble).mean().item<double>();
        QVERIFY2(std::abs(dropped - 0.25) < 0.01, qPrintable(QString::number(dropped)));
        QVERIFY(torch::allclose(y.masked_select(y.ne(0)), torch::full({1}, 1.0f / 0.75f)));
    }

    void propagatesNaN()
    {
        Weights w = randomWeights(2, 8, 2, torch::kFloat);
        torch::Tensor x = torch::randn({4, 2});
        x[1][0] = std::numeric_limits<float>::quiet_NaN();
        const torch::Tensor y = twb::nn::fusedRowMlp(x, w.w1, w.b1, w.w2, w.b2, 0.5, true);
        QVERIFY(torch::isnan(y[1]).all().item<bool>());
        QVERIFY(torch::isfinite(y[0]).all().item<bool>());
    }

    void servesOnlyWhatItIsWrittenFor()
    {
        const Weights w = randomWeights(7, 16, 7, torch::kFloat);
        const torch::Tensor x = torch::randn({2, 7});
        QVERIFY(twb::nn::fusedRowMlpServes(x, w.w1, w.b1, w.w2, w.b2));
        QVERIFY(!twb::nn::fusedRowMlpServes(x.to(torch::kDouble), w.w1, w.b1, w.w2, w.b2));
        QVERIFY(!twb::nn::fusedRowMlpServes(x, w.w1, torch::Tensor(), w.w2, w.b2));
        const Weights wide = randomWeights(65, 16, 7, torch::kFloat);
        QVERIFY(
            !twb::nn::fusedRowMlpServes(torch::randn({2, 65}), wide.w1, wide.b1, wide.w2, wide.b2));
        twb::nn::setFusedRowMlpEnabled(false);
        QVERIFY(!twb::nn::fusedRowMlpServes(x, w.w1, w.b1, w.w2, w.b2));
        twb::nn::setFusedRowMlpEnabled(true);

        QVERIFY_THROWS_EXCEPTION(c10::Error, twb::nn::fusedRowMlp(torch::randn({2, 6}), w.w1, w.b1,
                                                                  w.w2, w.b2, 0.0, false));
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 twb::nn::fusedRowMlp(x, w.w1, w.b1, w.w2, w.b2, 1.0, true));
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 twb::nn::fusedRowMlp(torch::randn({2, 65}), wide.w1, wide.b1,
                                                      wide.w2, wide.b2, 0.0, false));
    }
};

QTEST_GUILESS_MAIN(tst_FusedRowMlp)
#include "tst_fusedrowmlp.moc"
