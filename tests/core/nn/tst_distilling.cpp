#include "nn/Distilling.h"
#include "nn/ForecastTokens.h"

#include <QTest>

using namespace twb;

class tst_Distilling : public QObject
{
    Q_OBJECT

private:
    using Ranges = std::vector<std::pair<int64_t, int64_t>>;
    static Ranges steps(int64_t count);

private Q_SLOTS:
    void init() { torch::manual_seed(2); }
    void halvesTheTokens();
    void timeSeriesLibraryPaddingAddsOne();
    void rangesCoverTheInput_data();
    void rangesCoverTheInput();
    void rangesFollowThePooling();
    void childrenAndTraining();
    void forecastTokenLabels();
};

tst_Distilling::Ranges tst_Distilling::steps(int64_t count)
{
    Ranges r;
    for (int64_t s = 0; s < count; ++s)
        r.emplace_back(s, s + 1);
    return r;
}

void tst_Distilling::halvesTheTokens()
{
    // Informer2020's length-preserving convolution: 96 -> 48 -> 24, odd lengths round up.
    DistillingLayer first(DistillingLayerOptions(16));
    DistillingLayer second(DistillingLayerOptions(16));
    const torch::Tensor x = torch::randn({2, 96, 16});
    const torch::Tensor y = first->forward(x);
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{2, 48, 16}));
    QCOMPARE(second->forward(y).sizes().vec(), (std::vector<int64_t>{2, 24, 16}));
    for (int64_t length : {1, 2, 5, 25, 96, 97})
        QCOMPARE(first->forward(torch::randn({2, length, 16})).size(1),
                 first->outputLength(length));
    QCOMPARE(first->outputLength(25), int64_t(13));
}

void tst_Distilling::timeSeriesLibraryPaddingAddsOne()
{
    // Time-Series-Library's ConvLayer pads the circular convolution by 2: 96 -> 49 -> 26.
    DistillingLayer layer(DistillingLayerOptions(8).padding(2));
    QCOMPARE(layer->forward(torch::randn({2, 96, 8})).size(1), int64_t(49));
    QCOMPARE(layer->outputLength(96), int64_t(49));
    QCOMPARE(layer->forward(torch::randn({2, 49, 8})).size(1), int64_t(26));
    QVERIFY_THROWS_EXCEPTION(c10::Error, DistillingLayer(DistillingLayerOptions(8).padding(3)));
}

void tst_Distilling::rangesCoverTheInput_data()
{
    QTest::addColumn<int>("padding");
    QTest::addColumn<int>("length");
    QTest::newRow("informer2020 96") << 1 << 96;
    QTest::newRow("informer2020 25") << 1 << 25;
    QTest::newRow("tslib 96") << 2 << 96;
    QTest::newRow("tslib 7") << 2 << 7;
}

void tst_Distilling::rangesCoverTheInput()
{
    // Two distilling steps: every token covers a non-empty range inside the input, begins and
    // ends never decrease, and together they cover every step.
    QFETCH(int, padding);
    QFETCH(int, length);
    DistillingLayer layer(DistillingLayerOptions(4).padding(padding));
    Ranges ranges = steps(length);
    for (int step = 0; step < 2; ++step) {
        const Ranges next = layer->outputRanges(ranges);
        QCOMPARE(int64_t(next.size()), layer->outputLength(int64_t(ranges.size())));
        QCOMPARE(next.front().first, int64_t(0));
        QCOMPARE(next.back().second, int64_t(length));
        for (std::size_t j = 0; j < next.size(); ++j) {
            QVERIFY(next[j].first < next[j].second);
            QVERIFY(next[j].first >= 0 && next[j].second <= length);
            if (j > 0) {
                QVERIFY(next[j].first >= next[j - 1].first);
                QVERIFY(next[j].second >= next[j - 1].second);
                QVERIFY(next[j].first <= next[j - 1].second); // no gap
            }
        }
        ranges = next;
    }
}

void tst_Distilling::rangesFollowThePooling()
{
    // Padding 1: token j pools steps 2j-1 .. 2j+1, then 4j-3 .. 4j+3.
    DistillingLayer layer(DistillingLayerOptions(4));
    const Ranges once = layer->outputRanges(steps(96));
    QCOMPARE(once[0], std::make_pair(int64_t(0), int64_t(2)));
    QCOMPARE(once[10], std::make_pair(int64_t(19), int64_t(22)));
    QCOMPARE(once[47], std::make_pair(int64_t(93), int64_t(96)));
    const Ranges twice = layer->outputRanges(once);
    QCOMPARE(twice.size(), std::size_t(24));
    QCOMPARE(twice[5], std::make_pair(int64_t(17), int64_t(24)));
    // Padding 2: convolution output o is centred on step o - 1.
    DistillingLayer tslib(DistillingLayerOptions(4).padding(2));
    const Ranges shifted = tslib->outputRanges(steps(96));
    QCOMPARE(shifted[0], std::make_pair(int64_t(0), int64_t(1)));
    QCOMPARE(shifted[10], std::make_pair(int64_t(18), int64_t(21)));
    QCOMPARE(shifted[48], std::make_pair(int64_t(94), int64_t(96)));
}

void tst_Distilling::childrenAndTraining()
{
    DistillingLayer layer(DistillingLayerOptions(8));
    const auto params = layer->named_parameters();
    QCOMPARE(params["down_conv.weight"].sizes().vec(), (std::vector<int64_t>{8, 8, 3}));
    QVERIFY(params.contains("down_conv.bias"));
    QVERIFY(params.contains("norm.weight"));
    QVERIFY(layer->named_buffers().contains("norm.running_mean"));
    const torch::Tensor x = torch::randn({4, 10, 8}).requires_grad_();
    layer->forward(x).sum().backward();
    QVERIFY(params["down_conv.weight"].grad().defined());
    // Eval uses the running statistics: a single sample gives the same as in a batch.
    layer->eval();
    const torch::Tensor batch = layer->forward(x.detach());
    QVERIFY(torch::allclose(layer->forward(x.detach().slice(0, 1, 2)), batch.slice(0, 1, 2), 1e-5,
                            1e-6));
}

void tst_Distilling::forecastTokenLabels()
{
    const std::vector<TokenInfo> encoder = encoderStepTokens(40);
    QCOMPARE(encoder.size(), std::size_t(40));
    QCOMPARE(encoder.front().label, std::string("encoder step t-40"));
    QCOMPARE(encoder.back().label, std::string("encoder step t-1"));
    QCOMPARE(encoder.back().begin, int64_t(39));
    QCOMPARE(encoder.back().end, int64_t(40));
    const std::vector<TokenInfo> decoder = decoderStepTokens(40, 12, 13);
    QCOMPARE(decoder.size(), std::size_t(25));
    QCOMPARE(decoder.front().label, std::string("decoder step t-12"));
    QCOMPARE(decoder.front().begin, int64_t(28));
    QCOMPARE(decoder[12].label, std::string("decoder step t"));
    QCOMPARE(decoder[12].begin, int64_t(40));
    QCOMPARE(decoder.back().label, std::string("decoder step t+12"));
    QCOMPARE(decoder.back().kind, TokenInfo::Kind::TimeStep);
    const std::vector<TokenInfo> ranges = encoderRangeTokens(40, {{0, 2}, {1, 4}});
    QCOMPARE(ranges[1].kind, TokenInfo::Kind::TimeRange);
    QCOMPARE(ranges[1].label, std::string("encoder token 1: [t-39, t-36)"));
}

QTEST_GUILESS_MAIN(tst_Distilling)
#include "tst_distilling.moc"
