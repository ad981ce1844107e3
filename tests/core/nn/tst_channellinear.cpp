#include "nn/ChannelLinear.h"

#include <QTest>

#include <cmath>

using namespace twb;

class tst_ChannelLinear : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(7); }
    void matchesPerChannelLinear();
    void initialisationBound();
    void wrongShapeThrows();
};

void tst_ChannelLinear::matchesPerChannelLinear()
{
    ChannelLinear layer(ChannelLinearOptions(3, 5, 2));
    const torch::Tensor x = torch::randn({4, 3, 5});
    const torch::Tensor y = layer(x);
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{4, 3, 2}));
    for (int64_t c = 0; c < 3; ++c) {
        const torch::Tensor expected =
            torch::nn::functional::linear(x.select(1, c), layer->weight()[c], layer->bias()[c]);
        QVERIFY(torch::allclose(y.select(1, c), expected, 1e-5, 1e-6));
    }
}

void tst_ChannelLinear::initialisationBound()
{
    ChannelLinear layer(ChannelLinearOptions(4, 64, 16));
    const double bound = 1.0 / std::sqrt(64.0);
    QVERIFY(layer->weight().abs().max().item<double>() <= bound);
    QVERIFY(layer->bias().abs().max().item<double>() <= bound);
    QVERIFY(layer->weight().abs().max().item<double>() > 0.9 * bound);
    QCOMPARE(layer->named_parameters().size(), std::size_t(2));
}

void tst_ChannelLinear::wrongShapeThrows()
{
    ChannelLinear layer(ChannelLinearOptions(3, 5, 2));
    QVERIFY_THROWS_EXCEPTION(c10::Error, layer(torch::zeros({4, 2, 5})));
}

QTEST_GUILESS_MAIN(tst_ChannelLinear)
#include "tst_channellinear.moc"
