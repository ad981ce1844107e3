// The decoder input of the encoder-decoder forecasters, against hand-computed values.
#include "nn/DecoderInput.h"

#include <QTest>

using namespace twb;

class tst_DecoderInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void zerosAfterTheLabel()
    {
        // Two series of 4 steps, one channel each: 1 2 3 4 and 10 20 30 40.
        const torch::Tensor history =
            torch::tensor({1.f, 2.f, 3.f, 4.f, 10.f, 20.f, 30.f, 40.f}).view({2, 4, 1});
        const torch::Tensor in = zeroDecoderInput(history, 2, 3);
        QCOMPARE(in.sizes(), (std::vector<std::int64_t>{2, 5, 1}));
        QVERIFY(torch::equal(
            in.squeeze(-1),
            torch::tensor({3.f, 4.f, 0.f, 0.f, 0.f, 30.f, 40.f, 0.f, 0.f, 0.f}).view({2, 5})));
        // label_len 0: the horizon's zeros alone.
        QVERIFY(torch::equal(zeroDecoderInput(history, 0, 2), torch::zeros({2, 2, 1})));
    }

    void seasonalAndTrendAsAutoformer()
    {
        // One channel, 5 steps 0 0 3 0 0, moving average of 3 with the ends repeated:
        // trend 0 1 1 1 0, seasonal 0 -1 2 -1 0; the mean over the history is 0.6.
        const torch::Tensor history = torch::tensor({0.f, 0.f, 3.f, 0.f, 0.f}).view({1, 5, 1});
        SeriesDecomposition decomposition(SeriesDecompositionOptions(3));
        const Decomposition in = decomposedDecoderInput(history, 3, 2, decomposition);
        QCOMPARE(in.seasonal.sizes(), (std::vector<std::int64_t>{1, 5, 1}));
        QVERIFY(torch::allclose(in.seasonal.flatten(), torch::tensor({2.f, -1.f, 0.f, 0.f, 0.f})));
        QVERIFY(torch::allclose(in.trend.flatten(), torch::tensor({1.f, 1.f, 0.f, 0.6f, 0.6f})));
    }

    void marksFollowTheSteps()
    {
        const torch::Tensor past = torch::arange(8, torch::kFloat).view({1, 4, 2});
        const torch::Tensor future = torch::full({1, 2, 2}, -1.f);
        const torch::Tensor marks = decoderMarks(past, future, 1);
        QVERIFY(torch::equal(marks.flatten(), torch::tensor({6.f, 7.f, -1.f, -1.f, -1.f, -1.f})));
    }

    void wrongShapesAreRefused()
    {
        const torch::Tensor history = torch::zeros({1, 4, 1});
        QVERIFY_THROWS_EXCEPTION(c10::Error, zeroDecoderInput(history, 5, 1));
        QVERIFY_THROWS_EXCEPTION(c10::Error, zeroDecoderInput(history, 2, 0));
        QVERIFY_THROWS_EXCEPTION(c10::Error, zeroDecoderInput(torch::zeros({4, 1}), 2, 1));
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 decoderMarks(torch::zeros({1, 4, 2}), torch::zeros({1, 2, 3}), 1));
        try {
            zeroDecoderInput(history, 5, 1);
        } catch (const c10::Error &e) {
            QVERIFY(QString::fromStdString(e.what_without_backtrace())
                        .contains(QStringLiteral("label_len must lie in 0..lookback (4), got 5")));
        }
    }
};

QTEST_GUILESS_MAIN(tst_DecoderInput)
#include "tst_decoderinput.moc"
