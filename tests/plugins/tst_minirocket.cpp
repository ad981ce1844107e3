// MiniRocket: the fixed kernels and dilations of the paper, the PPV features against loops
// written out by hand, the ridge's leave-one-out errors against refits without each case, the
// seeded fit, GunPoint and BasicMotions from ../shared/data, save/load, and the mechanisms.

#include "MiniRocket.h"
#include "ModelTestSupport.h"
#include "RidgeClassifier.h"
#include "UcrCases.h"

#include <QTest>

#include <set>

using namespace twb;

class tst_MiniRocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(3); }

    void kernelsAreEveryChoiceOfThreeTwos()
    {
        const torch::Tensor k = miniRocketKernels();
        QCOMPARE(k.sizes(), (torch::IntArrayRef{84, 9}));
        std::set<std::vector<float>> distinct;
        for (std::int64_t i = 0; i < 84; ++i) {
            const torch::Tensor row = k[i];
            QCOMPARE(row.sum().item<float>(), 0.0f);
            QCOMPARE(row.eq(2.0f).sum().item<std::int64_t>(), std::int64_t(3));
            QCOMPARE(row.eq(-1.0f).sum().item<std::int64_t>(), std::int64_t(6));
            distinct.insert(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + 9));
        }
        QCOMPARE(distinct.size(), std::size_t(84));
    }

    void layoutFollowsThePaper()
    {
        // Length 24 (ItalyPowerDemand): 32 exponents in [0, log2(23/8) = 1.52]; 2^e reaches 2 at
        // the 22nd, so dilations 1 (21 times) and 2 (11 times); 119 features per kernel
        // × 119/32: 78 and 40, the one left over to dilation 1.
        MiniRocketLayout short24 = miniRocketLayout(24, 10000, 32);
        QCOMPARE(short24.dilations, (std::vector<std::int64_t>{1, 2}));
        QCOMPARE(short24.featuresPerDilation, (std::vector<std::int64_t>{79, 40}));
        QCOMPARE(short24.featureCount, std::int64_t(84 * 119));
        QCOMPARE(short24.offsets, (std::vector<std::int64_t>{0, 84 * 79}));
        QCOMPARE(short24.feature(1, 2, 3), 84 * 79 + 2 * 40 + 3);

        // Length 150 (GunPoint): dilations from 1 up to floor((149/8)) = 18, distinct, ascending.
        MiniRocketLayout gun = miniRocketLayout(150, 10000, 32);
        QCOMPARE(gun.dilations.front(), std::int64_t(1));
        QCOMPARE(gun.dilations.back(), std::int64_t(18));
        QVERIFY(std::is_sorted(gun.dilations.begin(), gun.dilations.end()));
        QCOMPARE(std::set<std::int64_t>(gun.dilations.begin(), gun.dilations.end()).size(),
                 gun.dilations.size());
        std::int64_t perKernel = 0;
        for (std::int64_t n : gun.featuresPerDilation)
            perKernel += n;
        QCOMPARE(perKernel, std::int64_t(119));

        // Shorter than a kernel: dilation 1 alone.
        QCOMPARE(miniRocketLayout(5, 840, 32).dilations, (std::vector<std::int64_t>{1}));
        QCOMPARE(miniRocketLayout(5, 840, 32).featuresPerDilation, (std::vector<std::int64_t>{10}));
    }

    void goldenQuantilesAreTheSequence()
    {
        const std::vector<double> q = goldenQuantiles(3);
        const double phi = (1.0 + std::sqrt(5.0)) / 2.0;
        QCOMPARE(q.size(), std::size_t(3));
        QVERIFY(std::abs(q[0] - (phi - 1.0)) < 1e-12);
        QVERIFY(std::abs(q[1] - (2.0 * phi - 3.0)) < 1e-12);
        QVERIFY(std::abs(q[2] - (3.0 * phi - 4.0)) < 1e-12);
    }

    void ppvEqualsHandWrittenConvolution()
    {
        const std::int64_t length = 40, dilation = 3, kernel = 17;
        const torch::Tensor x = torch::randn({2, length, 1});
        const torch::Tensor weights = miniRocketKernels()[kernel];
        const torch::Tensor all = torch::ones({84, 1});
        const torch::Tensor conv = miniRocketConvolve(x, miniRocketKernels(), all, dilation);
        QCOMPARE(conv.sizes(), (torch::IntArrayRef{2, 84, length}));
        const torch::Tensor biases = torch::tensor({-0.5f, 0.0f, 0.7f}).view({1, 3});
        const torch::Tensor real = torch::ones({2, length}, torch::kBool);
        for (const bool padded : {true, false}) {
            const torch::Tensor ppv = proportionPositive(conv.narrow(1, kernel, 1), biases,
                                                         miniRocketSteps(real, dilation, padded));
            for (std::int64_t b = 0; b < 2; ++b) {
                const std::int64_t margin = padded ? 0 : 4 * dilation;
                for (std::int64_t j = 0; j < 3; ++j) {
                    int above = 0, counted = 0;
                    for (std::int64_t t = margin; t < length - margin; ++t) {
                        double value = 0.0;
                        for (std::int64_t i = 0; i < 9; ++i) {
                            const std::int64_t s = t + (i - 4) * dilation;
                            if (s >= 0 && s < length)
                                value += double(weights[i].item<float>()) *
                                         double(x[b][s][0].item<float>());
                        }
                        QVERIFY(std::abs(value - conv[b][kernel][t].item<float>()) < 1e-4);
                        above += value > double(biases[0][j].item<float>()) ? 1 : 0;
                        ++counted;
                    }
                    QVERIFY(std::abs(ppv[b][0][j].item<float>() - float(above) / float(counted)) <
                            1e-6f);
                }
            }
        }
    }

    void channelSubsetsSumTheirConvolutions()
    {
        const torch::Tensor x = torch::randn({3, 30, 4});
        torch::Tensor mask = torch::zeros({84, 4});
        mask[5][1] = 1.0f;
        mask[5][3] = 1.0f;
        mask[6][0] = 1.0f;
        const torch::Tensor k = miniRocketKernels();
        const torch::Tensor combined = miniRocketConvolve(x, k, mask, 2);
        auto single = [&](std::int64_t channel) {
            return miniRocketConvolve(x.narrow(2, channel, 1), k, torch::ones({84, 1}), 2);
        };
        QVERIFY(torch::allclose(combined.select(1, 5),
                                single(1).select(1, 5) + single(3).select(1, 5), 1e-5, 1e-5));
        QVERIFY(torch::allclose(combined.select(1, 6), single(0).select(1, 6), 1e-5, 1e-5));
        QCOMPARE(combined.select(1, 7).abs().max().item<float>(), 0.0f);
    }

    void ppvOfAPaddedCaseReadsItsRealSteps()
    {
        const torch::Tensor conv = torch::randn({1, 2, 20});
        const torch::Tensor biases = torch::tensor({0.1f, -0.2f, 0.3f, 0.0f}).view({2, 2});
        torch::Tensor real = torch::zeros({1, 20}, torch::kBool);
        real.narrow(1, 0, 13).fill_(true);
        const torch::Tensor masked = proportionPositive(conv, biases, real);
        const torch::Tensor cut =
            proportionPositive(conv.narrow(2, 0, 13), biases, torch::ones({1, 13}, torch::kBool));
        QVERIFY(torch::allclose(masked, cut));
    }

    void ridgeLeaveOneOutEqualsRefitsWithoutEachCase()
    {
        const torch::Tensor x = torch::randn({12, 5}, torch::kDouble);
        const torch::Tensor y = torch::randn({12, 2}, torch::kDouble);
        const std::vector<double> alphas{0.01, 1.0, 30.0};
        const std::vector<double> fast = ridgeLeaveOneOutErrors(x, y, alphas);
        for (std::size_t a = 0; a < alphas.size(); ++a) {
            double brute = 0.0;
            for (std::int64_t i = 0; i < 12; ++i) {
                std::vector<std::int64_t> keep;
                for (std::int64_t j = 0; j < 12; ++j)
                    if (j != i)
                        keep.push_back(j);
                const torch::Tensor index = torch::tensor(keep, torch::kLong);
                const torch::Tensor xs = x.index_select(0, index), ys = y.index_select(0, index);
                const torch::Tensor w = torch::linalg_solve(
                    xs.t().mm(xs) + alphas[a] * torch::eye(5, torch::kDouble), xs.t().mm(ys));
                brute += (y[i] - x[i].matmul(w)).pow(2).sum().item<double>();
            }
            QVERIFY2(
                std::abs(fast[a] - brute) < 1e-9 * std::max(1.0, brute),
                qPrintable(
                    QStringLiteral("alpha %1: %2 vs %3").arg(alphas[a]).arg(fast[a]).arg(brute)));
        }
    }

    void ridgeClassifierSeparatesAndChoosesTheSmallestError()
    {
        torch::Tensor x = torch::randn({40, 30});
        const torch::Tensor y = torch::arange(40, torch::kLong) % 3;
        x.narrow(1, 0, 3).add_(4.0f * torch::one_hot(y, 3).to(torch::kFloat)); // one per class
        Expected<RidgeSolution> ridge = fitRidgeClassifier(x, y, 3, miniRocketAlphas());
        QVERIFY(ridge.hasValue());
        QCOMPARE(ridge->weight.sizes(), (torch::IntArrayRef{3, 30}));
        QCOMPARE(test::accuracy(x.matmul(ridge->weight.t()) + ridge->bias, y), 1.0);
        const auto best = std::min_element(ridge->looErrors.begin(), ridge->looErrors.end());
        QCOMPARE(ridge->alpha, miniRocketAlphas()[std::size_t(best - ridge->looErrors.begin())]);
        QVERIFY(!fitRidgeClassifier(x.narrow(0, 0, 1), y.narrow(0, 0, 1), 3, {1.0}).hasValue());
        QVERIFY(!fitRidgeClassifier(x, y, 3, {1.0}, 10).hasValue()); // more cases than allowed
        QVERIFY(!fitRidgeClassifier(x, y + 5, 3, {1.0}).hasValue()); // label out of range
    }

    void fitIsSeeded()
    {
        const torch::Tensor x = torch::randn({10, 50, 3});
        const torch::Tensor y = torch::arange(10, torch::kLong) % 2;
        auto fitted = [&](std::uint64_t seed) {
            MiniRocket model(MiniRocketOptions(test::classifySpec(50, 3, 2)).numFeatures(840));
            const Status s = model->fit(x, y, {}, seed);
            [&] {
                QVERIFY(s.isOk());
            }();
            return model;
        };
        MiniRocket a = fitted(7), b = fitted(7), c = fitted(8);
        QVERIFY(torch::equal(a->named_buffers()["biases"], b->named_buffers()["biases"]));
        QVERIFY(
            torch::equal(a->named_buffers()["channel_mask"], b->named_buffers()["channel_mask"]));
        QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
        // The fit's own logits of its cases are forward()'s (the Trainer's training loss uses
        // them instead of transforming every case again).
        QVERIFY(a->fittedLogits().defined());
        QVERIFY(torch::allclose(a->fittedLogits(), a->forward(x).prediction, 1e-5, 1e-5));
        QVERIFY(!MiniRocket(MiniRocketOptions(test::classifySpec(50, 3, 2)).numFeatures(840))
                     ->fittedLogits()
                     .defined());
        QVERIFY(!torch::equal(a->named_buffers()["biases"], c->named_buffers()["biases"]));
        // Every kernel reads between one and all three channels.
        const torch::Tensor perKernel = a->named_buffers()["channel_mask"].sum(-1);
        QVERIFY(perKernel.min().item<float>() >= 1.0f && perKernel.max().item<float>() <= 3.0f);
    }

    void gunPointAsPublished()
    {
        const test::UcrSplit data = test::loadUcrSplit(QStringLiteral("GunPoint"));
        QVERIFY(data.loaded());
        const test::UcrCases &train = data.train, &testSet = data.test;
        MiniRocket model(MiniRocketOptions(test::classifySpec(150, 1, 2)));
        QVERIFY(model->fit(train.x, train.y, {}, 2021).isOk());
        QCOMPARE(model->layout().featureCount, std::int64_t(9996));
        torch::NoGradGuard noGrad;
        const double accuracy = test::accuracy(model->forward(testSet.x).prediction, testSet.y);
        qInfo("GunPoint: test accuracy %.4f, alpha %.4g", accuracy, model->alpha());
        // The paper's UCR results give MiniRocket 0.99–1.00 on GunPoint.
        QVERIFY2(accuracy >= 0.97, qPrintable(QString::number(accuracy)));
    }

    void basicMotionsMultivariate()
    {
        const test::UcrSplit data = test::loadUcrSplit(QStringLiteral("BasicMotions"));
        QVERIFY(data.loaded());
        const test::UcrCases &train = data.train, &testSet = data.test;
        MiniRocket model(MiniRocketOptions(test::classifySpec(100, 6, 4)));
        QVERIFY(model->fit(train.x, train.y, {}, 2021).isOk());
        torch::NoGradGuard noGrad;
        const double accuracy = test::accuracy(model->forward(testSet.x).prediction, testSet.y);
        qInfo("BasicMotions: test accuracy %.4f", accuracy);
        QVERIFY2(accuracy >= 0.95, qPrintable(QString::number(accuracy)));
    }

    void saveLoadKeepsTheFit()
    {
        const torch::Tensor x = torch::randn({8, 30, 2});
        const torch::Tensor y = torch::tensor({0, 1, 2, 0, 1, 2, 0, 1}, torch::kLong);
        MiniRocket fitted(MiniRocketOptions(test::classifySpec(30, 2, 3)).numFeatures(420));
        QVERIFY(fitted->fit(x, y, {}, 1).isOk());
        MiniRocket fresh(MiniRocketOptions(test::classifySpec(30, 2, 3)).numFeatures(420));
        const auto [before, after] = test::saveLoad(fitted, fresh, x);
        QVERIFY(torch::equal(before, after));
    }

    void mechanismsExplainTheScore()
    {
        const torch::Tensor x = torch::randn({6, 40, 1});
        const torch::Tensor y = torch::tensor({0, 1, 0, 1, 0, 1}, torch::kLong);
        MiniRocket model(MiniRocketOptions(test::classifySpec(40, 1, 2)).numFeatures(840));
        QVERIFY(model->fit(x, y, {}, 4).isOk());
        const ModelOutput out = model->forward(x, ForwardOptions(true, true));
        QCOMPARE(test::names(out.mechanisms),
                 (std::vector<std::string>{"transform/ppv", "classifier/contribution",
                                           "transform/dilations"}));
        QCOMPARE(test::stageNames(out),
                 (std::vector<std::string>{"input", "features", "standardized", "logits"}));
        const auto dilations = std::int64_t(model->layout().dilations.size());
        QCOMPARE(out.mechanisms[0].value.sizes(), (torch::IntArrayRef{6, dilations, 84}));
        // The contributions add up to the predicted class's score without its bias.
        const torch::Tensor predicted = out.prediction.argmax(1);
        const torch::Tensor score = out.prediction.gather(1, predicted.unsqueeze(1)).squeeze(1) -
                                    model->named_buffers()["bias"].index_select(0, predicted);
        QVERIFY(torch::allclose(out.mechanisms[1].value.sum({1, 2}), score, 1e-3, 1e-3));
        // PPV is a proportion.
        QVERIFY(out.mechanisms[0].value.min().item<float>() >= 0.0f);
        QVERIFY(out.mechanisms[0].value.max().item<float>() <= 1.0f);
        QVERIFY(model->tokens().empty());
        QVERIFY(model->parameters().empty());
    }

    void validation()
    {
        QVERIFY(!MiniRocketOptions(test::classifySpec(30, 1, 2)).numFeatures(83).validate().isOk());
        QVERIFY(!MiniRocketOptions(test::classifySpec(30, 1, 2)).maxDilations(0).validate().isOk());
        ModelSpec forecast = test::classifySpec(30, 1, 2);
        forecast.task = Task::Forecast;
        QVERIFY(!MiniRocketOptions(forecast).validate().isOk());
        MiniRocket model(MiniRocketOptions(test::classifySpec(30, 1, 2)).numFeatures(84));
        QVERIFY(
            !model->fit(torch::randn({4, 31, 1}), torch::zeros({4}, torch::kLong), {}, 1).isOk());
        QVERIFY(
            !model->fit(torch::randn({1, 30, 1}), torch::zeros({1}, torch::kLong), {}, 1).isOk());
    }
};

QTEST_GUILESS_MAIN(tst_MiniRocket)
#include "tst_minirocket.moc"
