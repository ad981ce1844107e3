// softmaxLastDim must equal torch::softmax in value and gradient; dropout must keep the
// stock dropout's contract (identity when not training, drop rate p, expectation preserved,
// reproducible under torch::manual_seed).
#include "nn/FastOps.h"

#include <QtTest>

#include <torch/torch.h>

#include <cmath>
#include <limits>

class tst_FastOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void softmaxMatchesStock()
    {
        torch::manual_seed(1);
        const torch::Tensor x = torch::randn({6, 4, 42, 42}) * 5.0;
        const torch::Tensor upstream = torch::randn_like(x);

        torch::Tensor a = x.clone().requires_grad_(true);
        torch::Tensor b = x.clone().requires_grad_(true);
        const torch::Tensor ours = twb::nn::softmaxLastDim(a);
        const torch::Tensor stock = torch::softmax(b, -1);
        QVERIFY(torch::allclose(ours, stock, 1e-6, 1e-7));
        ours.backward(upstream);
        stock.backward(upstream);
        const double gradError = (a.grad() - b.grad()).abs().max().item<double>();
        QVERIFY2(gradError < 1e-5, qPrintable(QString::number(gradError)));
    }

    void softmaxIsStableForLargeScores()
    {
        const torch::Tensor x = torch::tensor({1000.0f, 1001.0f, 999.0f}).view({1, 3});
        const torch::Tensor y = twb::nn::softmaxLastDim(x);
        QVERIFY(torch::isfinite(y).all().item<bool>());
        QVERIFY(torch::allclose(y, torch::softmax(x, -1)));
    }

    void dropoutIsIdentityWhenNotTraining()
    {
        const torch::Tensor x = torch::randn({100});
        QVERIFY(torch::equal(twb::nn::dropout(x, 0.3, false), x));
        QVERIFY(torch::equal(twb::nn::dropout(x, 0.0, true), x));
    }

    void dropoutRateAndExpectation()
    {
        torch::manual_seed(7);
        const torch::Tensor ones = torch::ones({1'000'000});
        const torch::Tensor y = twb::nn::dropout(ones, 0.3, true);
        const double dropped = y.eq(0).to(torch::kDouble).mean().item<double>();
        QVERIFY2(std::abs(dropped - 0.3) < 0.003, qPrintable(QString::number(dropped)));
        QVERIFY(torch::allclose(y.masked_select(y.ne(0)), torch::full({1}, 1.0f / 0.7f)));
        QVERIFY(std::abs(y.mean().item<double>() - 1.0) < 0.005);
    }

    void dropoutIsReproducibleAndDifferentiable()
    {
        const torch::Tensor x = torch::randn({1000});
        torch::manual_seed(3);
        const torch::Tensor first = twb::nn::dropout(x, 0.5, true);
        torch::manual_seed(3);
        const torch::Tensor second = twb::nn::dropout(x, 0.5, true);
        QVERIFY(torch::equal(first, second));

        torch::Tensor input = x.clone().requires_grad_(true);
        torch::manual_seed(3);
        const torch::Tensor out = twb::nn::dropout(input, 0.5, true);
        out.sum().backward();
        // The gradient is the mask: 0 where dropped, 1/(1-p) where kept.
        QVERIFY(torch::equal(input.grad().ne(0), out.ne(0) | x.eq(0)));
        QVERIFY(torch::allclose(input.grad().masked_select(input.grad().ne(0)),
                                torch::full({1}, 2.0f)));
    }

    void dropoutNeighboursAndCallsAreIndependent()
    {
        // The mask is a hash of (seed, index): neighbouring elements and two calls must be
        // independent draws, P(both dropped) = p².
        torch::manual_seed(11);
        const torch::Tensor ones = torch::ones({1'000'000});
        const torch::Tensor first = twb::nn::dropout(ones, 0.5, true).eq(0);
        const torch::Tensor second = twb::nn::dropout(ones, 0.5, true).eq(0);
        const auto rate = [](const torch::Tensor &both) {
            return both.to(torch::kDouble).mean().item<double>();
        };
        const double neighbours = rate(first.slice(0, 0, -1) & first.slice(0, 1));
        const double calls = rate(first & second);
        QVERIFY2(std::abs(neighbours - 0.25) < 0.003, qPrintable(QString::number(neighbours)));
        QVERIFY2(std::abs(calls - 0.25) < 0.003, qPrintable(QString::number(calls)));
        // Rows of a [rows, 128] activation: each column dropped at the same rate.
        const torch::Tensor rows = twb::nn::dropout(torch::ones({8192, 128}), 0.3, true).eq(0);
        const torch::Tensor perColumn = rows.to(torch::kDouble).mean(0);
        QVERIFY2((perColumn - 0.3).abs().max().item<double>() < 0.025,
                 qPrintable(QString::number((perColumn - 0.3).abs().max().item<double>())));
    }

    void dropoutBackwardUsesTheForwardMask_data()
    {
        QTest::addColumn<bool>("doublePrecision");
        QTest::newRow("float") << false;
        QTest::newRow("double") << true;
    }
    void dropoutBackwardUsesTheForwardMask()
    {
        QFETCH(bool, doublePrecision);
        torch::manual_seed(12);
        const auto dtype = doublePrecision ? torch::kDouble : torch::kFloat;
        // A non-contiguous input (a transposed view), as the attention's context can be.
        torch::Tensor x =
            (torch::rand({64, 96}, torch::dtype(dtype)) + 0.5).t().requires_grad_(true);
        const torch::Tensor y = twb::nn::dropout(x, 0.25, true);
        const torch::Tensor upstream = torch::randn({96, 64}, torch::dtype(dtype));
        y.backward(upstream);
        // Kept elements: y = x / 0.75 and the gradient is upstream / 0.75; dropped: both 0.
        const torch::Tensor kept = y.ne(0);
        QVERIFY(torch::allclose(y.masked_select(kept), x.detach().masked_select(kept) / 0.75));
        QVERIFY(torch::allclose(x.grad(),
                                torch::where(kept, upstream / 0.75, torch::zeros_like(upstream))));
    }

    void droppedNaNStaysNaN()
    {
        torch::manual_seed(13);
        const torch::Tensor x = torch::full({10'000}, std::numeric_limits<float>::quiet_NaN());
        QVERIFY(torch::isnan(twb::nn::dropout(x, 0.5, true)).all().item<bool>());
    }
};

QTEST_GUILESS_MAIN(tst_FastOps)
#include "tst_fastops.moc"
