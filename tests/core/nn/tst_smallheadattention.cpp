// smallHeadAttention must equal the unfused attention (matrix products, softmax) in all three
// results and in every gradient: against LibTorch's own autograd in double (to 1e-10), against
// central differences, in float at PatchTST's shapes, and through MultiheadAttention with the
// fused path switched on and off.
#include "nn/MultiheadAttention.h"
#include "nn/SmallHeadAttention.h"

#include <QtTest>

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace {

struct Reference
{
    torch::Tensor output, scores, weights;
};

Reference unfused(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                  const torch::Tensor &prev, double scale)
{
    torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
    if (prev.defined())
        scores = scores + prev;
    const torch::Tensor weights = torch::softmax(scores, -1);
    return {torch::matmul(weights, v), scores, weights};
}

/// q, k, v as a projection's head-split views: [B, T, H·D] viewed [B, T, H, D], transposed to
/// [B, H, T, D] (not contiguous: the kernel must read the strides).
torch::Tensor headSplit(std::int64_t batch, std::int64_t tokens, std::int64_t heads,
                        std::int64_t dim, torch::Dtype dtype, double spread = 1.0)
{
    return (torch::randn({batch, tokens, heads * dim}, torch::dtype(dtype)) * spread)
        .view({batch, tokens, heads, dim})
        .transpose(1, 2);
}

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

/// A scalar that reads all three results with fixed random weights.
torch::Tensor readAll(const torch::Tensor &output, const torch::Tensor &scores,
                      const torch::Tensor &weights, const torch::Tensor &a, const torch::Tensor &b,
                      const torch::Tensor &c)
{
    return (output * a).sum() + (scores * b).sum() + (weights * c).sum();
}

} // namespace

class tst_SmallHeadAttention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void floatForwardMatchesUnfusedAtPatchTSTShapes_data()
    {
        QTest::addColumn<bool>("withPrev");
        QTest::addColumn<double>("spread");
        QTest::newRow("plain") << false << 1.0;
        QTest::newRow("residual scores") << true << 1.0;
        QTest::newRow("peaked rows (scores in the hundreds)") << true << 8.0;
    }
    void floatForwardMatchesUnfusedAtPatchTSTShapes()
    {
        QFETCH(bool, withPrev);
        QFETCH(double, spread);
        torch::manual_seed(1);
        const torch::Tensor q = headSplit(12, 42, 4, 4, torch::kFloat, spread);
        const torch::Tensor k = headSplit(12, 42, 4, 4, torch::kFloat, spread);
        const torch::Tensor v = headSplit(12, 42, 4, 4, torch::kFloat);
        const torch::Tensor prev = withPrev ? torch::randn({12, 4, 42, 42}) * 3.0 : torch::Tensor();
        QVERIFY(!q.is_contiguous());
        const auto fused = twb::nn::smallHeadAttention(q, k, v, prev, 0.5);
        const Reference ref = unfused(q, k, v, prev, 0.5);
        const double scoreScale = ref.scores.abs().max().item<double>();
        QVERIFY2(maxAbsDiff(fused.scores, ref.scores) <= 2e-6 * std::max(1.0, scoreScale),
                 qPrintable(QString::number(maxAbsDiff(fused.scores, ref.scores))));
        // The softmax (the polynomial exp) and the weighted sum, step by step: float rounding.
        const torch::Tensor stockWeights = torch::softmax(fused.scores, -1);
        QVERIFY2(maxAbsDiff(fused.weights, stockWeights) < 1e-6,
                 qPrintable(QString::number(maxAbsDiff(fused.weights, stockWeights))));
        const torch::Tensor stockOutput = torch::matmul(fused.weights, v);
        QVERIFY2(maxAbsDiff(fused.output, stockOutput) < 1e-5,
                 qPrintable(QString::number(maxAbsDiff(fused.output, stockOutput))));
        // End to end: scores that differ in their last bits move peaked weights a little more.
        QVERIFY2(maxAbsDiff(fused.weights, ref.weights) < 2e-6 * std::max(1.0, scoreScale),
                 qPrintable(QString::number(maxAbsDiff(fused.weights, ref.weights))));
        // Rows are distributions.
        QVERIFY(torch::allclose(fused.weights.sum(-1), torch::ones({12, 4, 42}), 1e-5, 1e-6));
    }

    void doubleGradientsEqualAutograd_data()
    {
        QTest::addColumn<int>("queries");
        QTest::addColumn<int>("keys");
        QTest::addColumn<int>("dim");
        QTest::addColumn<bool>("withPrev");
        QTest::newRow("PatchTST head, residual") << 42 << 42 << 4 << true;
        QTest::newRow("cross attention 7x11, D 32") << 7 << 11 << 32 << false;
        QTest::newRow("one key") << 5 << 1 << 3 << true;
        QTest::newRow("odd sizes, D 1") << 13 << 9 << 1 << false;
    }
    void doubleGradientsEqualAutograd()
    {
        QFETCH(int, queries);
        QFETCH(int, keys);
        QFETCH(int, dim);
        QFETCH(bool, withPrev);
        torch::manual_seed(2);
        const auto dtype = torch::kDouble;
        const torch::Tensor q0 = headSplit(3, queries, 2, dim, dtype);
        const torch::Tensor k0 = headSplit(3, keys, 2, dim, dtype);
        const torch::Tensor v0 = headSplit(3, keys, 2, dim, dtype);
        const torch::Tensor p0 =
            withPrev ? torch::randn({3, 2, queries, keys}, torch::dtype(dtype)) : torch::Tensor();
        const torch::Tensor a = torch::randn({3, 2, queries, dim}, torch::dtype(dtype));
        const torch::Tensor b = torch::randn({3, 2, queries, keys}, torch::dtype(dtype));
        const torch::Tensor c = torch::randn({3, 2, queries, keys}, torch::dtype(dtype));
        const double scale = 1.0 / std::sqrt(double(dim));

        const auto leaf = [](const torch::Tensor &x) {
            return x.defined() ? x.detach().clone().requires_grad_(true) : torch::Tensor();
        };
        torch::Tensor q1 = leaf(q0), k1 = leaf(k0), v1 = leaf(v0), p1 = leaf(p0);
        torch::Tensor q2 = leaf(q0), k2 = leaf(k0), v2 = leaf(v0), p2 = leaf(p0);
        const auto fused = twb::nn::smallHeadAttention(q1, k1, v1, p1, scale);
        readAll(fused.output, fused.scores, fused.weights, a, b, c).backward();
        const Reference ref = unfused(q2, k2, v2, p2, scale);
        readAll(ref.output, ref.scores, ref.weights, a, b, c).backward();

        QVERIFY(maxAbsDiff(fused.output, ref.output) < 1e-12);
        QVERIFY2(maxAbsDiff(q1.grad(), q2.grad()) < 1e-10,
                 qPrintable(QString::number(maxAbsDiff(q1.grad(), q2.grad()))));
        QVERIFY(maxAbsDiff(k1.grad(), k2.grad()) < 1e-10);
        QVERIFY(maxAbsDiff(v1.grad(), v2.grad()) < 1e-10);
        if (withPrev)
            QVERIFY(maxAbsDiff(p1.grad(), p2.grad()) < 1e-10);
    }

    void gradientsEqualCentralDifferences()
    {
        torch::manual_seed(3);
        const auto dtype = torch::kDouble;
        torch::Tensor q = torch::randn({1, 2, 3, 2}, torch::dtype(dtype)).requires_grad_(true);
        torch::Tensor k = torch::randn({1, 2, 5, 2}, torch::dtype(dtype)).requires_grad_(true);
        torch::Tensor v = torch::randn({1, 2, 5, 2}, torch::dtype(dtype)).requires_grad_(true);
        torch::Tensor p = torch::randn({1, 2, 3, 5}, torch::dtype(dtype)).requires_grad_(true);
        const torch::Tensor a = torch::randn({1, 2, 3, 2}, torch::dtype(dtype));
        const torch::Tensor b = torch::randn({1, 2, 3, 5}, torch::dtype(dtype));
        const torch::Tensor c = torch::randn({1, 2, 3, 5}, torch::dtype(dtype));
        const auto loss = [&] {
            const auto r = twb::nn::smallHeadAttention(q, k, v, p, 0.7);
            return readAll(r.output, r.scores, r.weights, a, b, c);
        };
        loss().backward();
        const double h = 1e-6;
        for (torch::Tensor *x : {&q, &k, &v, &p}) {
            const torch::Tensor analytic = x->grad().clone();
            torch::Tensor flat = x->detach().view(-1); // shares storage with *x
            for (std::int64_t i = 0; i < flat.numel(); ++i) {
                const double original = flat[i].item<double>();
                double up = 0.0, down = 0.0;
                {
                    torch::NoGradGuard noGrad;
                    flat[i] = original + h;
                    up = loss().item<double>();
                    flat[i] = original - h;
                    down = loss().item<double>();
                    flat[i] = original;
                }
                const double numeric = (up - down) / (2 * h);
                const double got = analytic.view(-1)[i].item<double>();
                QVERIFY2(
                    std::abs(numeric - got) < 1e-6 * std::max(1.0, std::abs(numeric)),
                    qPrintable(
                        QStringLiteral("element %1: %2 against %3").arg(i).arg(got).arg(numeric)));
            }
        }
    }

    void unusedResultsSendNoGradient()
    {
        // Only the output is read (no residual scores): the gradients still match.
        torch::manual_seed(4);
        const torch::Tensor q0 = headSplit(2, 6, 3, 4, torch::kDouble);
        const torch::Tensor k0 = headSplit(2, 6, 3, 4, torch::kDouble);
        const torch::Tensor v0 = headSplit(2, 6, 3, 4, torch::kDouble);
        torch::Tensor q1 = q0.detach().clone().requires_grad_(true);
        torch::Tensor q2 = q0.detach().clone().requires_grad_(true);
        twb::nn::smallHeadAttention(q1, k0, v0, {}, 0.5).output.pow(2).sum().backward();
        unfused(q2, k0, v0, {}, 0.5).output.pow(2).sum().backward();
        QVERIFY(maxAbsDiff(q1.grad(), q2.grad()) < 1e-12);
    }

    void nanStaysNaN()
    {
        torch::Tensor q = torch::randn({1, 1, 4, 4});
        q[0][0][2][1] = std::numeric_limits<float>::quiet_NaN();
        const torch::Tensor k = torch::randn({1, 1, 4, 4});
        const torch::Tensor v = torch::randn({1, 1, 4, 4});
        const auto r = twb::nn::smallHeadAttention(q, k, v, {}, 0.5);
        QVERIFY(torch::isnan(r.output[0][0][2]).all().item<bool>());
        QVERIFY(torch::isfinite(r.output[0][0][0]).all().item<bool>());
    }

    void refusesWhatItDoesNotServe()
    {
        const torch::Tensor wide = torch::randn({1, 1, 4, twb::nn::kMaxFusedHeadDim + 1});
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 twb::nn::smallHeadAttention(wide, wide, wide, {}, 1.0));
        QVERIFY(!twb::nn::fusedAttentionServes(wide));
        const torch::Tensor ints = torch::ones({1, 1, 4, 4}, torch::kInt);
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 twb::nn::smallHeadAttention(ints, ints, ints, {}, 1.0));
        const torch::Tensor q = torch::randn({1, 1, 4, 4});
        const torch::Tensor k = torch::randn({1, 1, 5, 4});
        QVERIFY_THROWS_EXCEPTION(
            c10::Error, twb::nn::smallHeadAttention(q, k, k, torch::zeros({1, 1, 4, 4}), 1.0));
        QVERIFY_THROWS_EXCEPTION(c10::Error, twb::nn::smallHeadAttention(q, k, q, {}, 1.0));
    }

    void multiheadAttentionIsTheSameOnBothPaths_data()
    {
        QTest::addColumn<bool>("training");
        QTest::newRow("training") << true;
        QTest::newRow("evaluation") << false;
    }
    void multiheadAttentionIsTheSameOnBothPaths()
    {
        QFETCH(bool, training);
        torch::manual_seed(5);
        twb::MultiheadAttention attention(twb::MultiheadAttentionOptions(16, 4));
        attention->train(training);
        const torch::Tensor x = torch::randn({8, 42, 16});
        const torch::Tensor prev = torch::randn({8, 4, 42, 42});
        twb::AttentionRequest request;
        request.needScores = true;
        request.needWeights = true;
        request.prevScores = prev;

        const auto run = [&](bool fused) {
            twb::nn::setFusedAttentionEnabled(fused);
            attention->zero_grad();
            const twb::AttentionOutput out = attention->forward(x, x, x, request);
            (out.output.pow(2).sum() + out.scores.sin().sum()).backward();
            std::vector<torch::Tensor> grads;
            for (const auto &p : attention->parameters())
                grads.push_back(p.grad().clone());
            return std::make_pair(out, grads);
        };
        const auto [fusedOut, fusedGrads] = run(true);
        const auto [plainOut, plainGrads] = run(false);
        twb::nn::setFusedAttentionEnabled(true);
        QVERIFY(maxAbsDiff(fusedOut.output, plainOut.output) < 1e-5);
        QVERIFY(maxAbsDiff(fusedOut.scores, plainOut.scores) < 1e-5);
        QVERIFY(maxAbsDiff(fusedOut.weights, plainOut.weights) < 1e-6);
        QCOMPARE(fusedGrads.size(), plainGrads.size());
        for (std::size_t i = 0; i < fusedGrads.size(); ++i) {
            const double scale = std::max(1.0, plainGrads[i].abs().max().item<double>());
            QVERIFY2(maxAbsDiff(fusedGrads[i], plainGrads[i]) < 1e-4 * scale,
                     qPrintable(QStringLiteral("parameter %1: %2")
                                    .arg(i)
                                    .arg(maxAbsDiff(fusedGrads[i], plainGrads[i]))));
        }
    }

    void switchFollowsTheEnvironmentAndCalls()
    {
        // The test runs without TWB_FUSED_ATTENTION: on by default.
        QVERIFY(qEnvironmentVariableIsEmpty("TWB_FUSED_ATTENTION"));
        QVERIFY(twb::nn::fusedAttentionEnabled());
        const torch::Tensor q = torch::randn({1, 1, 4, 4});
        QVERIFY(twb::nn::fusedAttentionServes(q));
        twb::nn::setFusedAttentionEnabled(false);
        QVERIFY(!twb::nn::fusedAttentionServes(q));
        twb::nn::setFusedAttentionEnabled(true);
    }
};

QTEST_GUILESS_MAIN(tst_SmallHeadAttention)
#include "tst_smallheadattention.moc"
