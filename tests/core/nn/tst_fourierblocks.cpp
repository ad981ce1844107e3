#include "nn/FourierBlocks.h"

#include <QTest>

#include <vector>

using namespace twb;

class tst_FourierBlocks : public QObject
{
    Q_OBJECT

private:
    static torch::Tensor weight(torch::nn::Module &module);

private Q_SLOTS:
    void init() { torch::manual_seed(17); }
    void modeSelection();
    void randomModesFollowTheSeed();
    void allModesEqualFourierLinearMap_data();
    void allModesEqualFourierLinearMap();
    void keptModesLandInTheLowestBins();
    void crossAttentionEqualsHandComputation();
    void layerWithoutUnusedProjections();
    void reportsAndHeadMask();
    void officialLayoutIsTheOfficialView();
};

torch::Tensor tst_FourierBlocks::weight(torch::nn::Module &module)
{
    const auto params = module.named_parameters();
    return torch::complex(params["weight_real"], params["weight_imag"]);
}

void tst_FourierBlocks::modeSelection()
{
    QVERIFY(torch::equal(selectFrequencyModes(16, 3, ModeSelect::Low),
                         torch::tensor({0, 1, 2}, torch::kLong)));
    // At most length / 2 modes, never the Nyquist bin (as the official get_frequency_modes).
    QCOMPARE(selectFrequencyModes(16, 100, ModeSelect::Low).size(0), int64_t(8));
    QCOMPARE(selectFrequencyModes(15, 100, ModeSelect::Low).size(0), int64_t(7));
    const torch::Tensor random = selectFrequencyModes(96, 32, ModeSelect::Random);
    QCOMPARE(random.size(0), int64_t(32));
    QVERIFY(torch::equal(random, std::get<0>(torch::sort(random))));
    QCOMPARE(std::get<0>(torch::_unique(random)).size(0), int64_t(32));
    QVERIFY(random.min().item<int64_t>() >= 0 && random.max().item<int64_t>() < 48);
    QVERIFY(!torch::equal(random, torch::arange(32, torch::kLong)));
}

void tst_FourierBlocks::randomModesFollowTheSeed()
{
    torch::manual_seed(5);
    FourierBlock a(FourierBlockOptions(16, 4, 96).modes(8));
    torch::manual_seed(5);
    FourierBlock b(FourierBlockOptions(16, 4, 96).modes(8));
    FourierBlock c(FourierBlockOptions(16, 4, 96).modes(8));
    QVERIFY(torch::equal(a->modes(), b->modes()));
    QVERIFY(!torch::equal(a->modes(), c->modes()));
    QVERIFY(torch::equal(weight(*a), weight(*b)));
    // The modes are a buffer, saved and loaded with the weights.
    QVERIFY(a->named_buffers().contains("modes"));
}

void tst_FourierBlocks::allModesEqualFourierLinearMap_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("even L 16") << 16;
    QTest::newRow("odd L 13") << 13;
}

void tst_FourierBlocks::allModesEqualFourierLinearMap()
{
    // Every mode the official code can keep (length / 2 of them: all but the highest bin):
    // the block is rfft, one complex E x E matrix per head and frequency, irfft.
    QFETCH(int, length);
    const std::int64_t heads = 2;
    const std::int64_t width = 3;
    FourierBlock block(FourierBlockOptions(heads * width, heads, length)
                           .modes(length / 2 + 1)
                           .modeSelect(ModeSelect::Low));
    QCOMPARE(block->modes().size(0), int64_t(length / 2));
    const torch::Tensor w = weight(*block); // [H, E, O, M]
    const torch::Tensor q = torch::randn({2, length, heads, width});
    std::vector<NamedTensor> report;
    const torch::Tensor out = block->forward(q, {}, {}, {false}, report);

    const torch::Tensor spectrum = torch::fft_rfft(q, c10::nullopt, 1);
    torch::Tensor mapped = torch::zeros_like(spectrum);
    for (std::int64_t m = 0; m < length / 2; ++m)
        for (std::int64_t h = 0; h < heads; ++h)
            mapped.select(1, m).select(1, h).copy_(
                torch::matmul(spectrum.select(1, m).select(1, h), w[h].select(-1, m)));
    const torch::Tensor expected = torch::fft_irfft(mapped, length, 1);
    QCOMPARE(out.sizes(), q.sizes());
    QVERIFY2(torch::allclose(out, expected, 1e-5, 1e-6),
             qPrintable(QString::number((out - expected).abs().max().item<double>())));
}

void tst_FourierBlocks::keptModesLandInTheLowestBins()
{
    // As the official code: the j-th kept mode's output goes to bin j.
    FourierBlock block(FourierBlockOptions(8, 2, 32).modes(4));
    const torch::Tensor modes = block->modes();
    QVERIFY(!torch::equal(modes, torch::arange(4, torch::kLong)));
    std::vector<NamedTensor> report;
    const torch::Tensor out = block->forward(torch::randn({2, 32, 2, 4}), {}, {}, {false}, report);
    const torch::Tensor bins = torch::fft_rfft(out, c10::nullopt, 1).abs().amax({0, 2, 3});
    QVERIFY(bins.narrow(0, 0, 4).min().item<double>() > 1e-9);
    QVERIFY(bins.narrow(0, 4, 13).max().item<double>() < 1e-6);
}

void tst_FourierBlocks::crossAttentionEqualsHandComputation()
{
    const std::int64_t heads = 2;
    const std::int64_t width = 2;
    const std::int64_t d = heads * width;
    FourierCrossAttention cross(FourierCrossAttentionOptions(d, heads, 12, 10).modes(3));
    const torch::Tensor qModes = cross->named_buffers()["query_modes"];
    const torch::Tensor kModes = cross->named_buffers()["key_modes"];
    QCOMPARE(qModes.size(0), int64_t(3));
    QCOMPARE(kModes.size(0), int64_t(3));
    const torch::Tensor w = weight(*cross);
    const torch::Tensor q = torch::randn({2, 12, heads, width});
    const torch::Tensor k = torch::randn({2, 10, heads, width});
    std::vector<NamedTensor> report;
    const torch::Tensor out = cross->forward(q, k, {}, {true}, report);

    const torch::Tensor qf = torch::fft_rfft(q, c10::nullopt, 1);
    const torch::Tensor kf = torch::fft_rfft(k, c10::nullopt, 1);
    torch::Tensor full = torch::zeros({2, 7, heads, width}, qf.options());
    for (std::int64_t b = 0; b < 2; ++b)
        for (std::int64_t h = 0; h < heads; ++h) {
            const torch::Tensor qs = qf[b].index_select(0, qModes).select(1, h); // [Mq, E]
            const torch::Tensor ks = kf[b].index_select(0, kModes).select(1, h); // [Mk, E]
            const torch::Tensor s = torch::matmul(qs, ks.transpose(0, 1));       // [Mq, Mk]
            const torch::Tensor a = torch::complex(torch::real(s).tanh(), torch::imag(s).tanh());
            const torch::Tensor v = torch::matmul(a, ks); // [Mq, E]
            for (std::int64_t x = 0; x < 3; ++x)
                full[b][qModes[x].item<int64_t>()][h].copy_(
                    torch::matmul(v[x], w[h].select(-1, x)) / double(d * d));
        }
    const torch::Tensor expected = torch::fft_irfft(full, 12, 1);
    QCOMPARE(out.sizes(), q.sizes());
    QVERIFY2(torch::allclose(out, expected, 1e-5, 1e-7),
             qPrintable(QString::number((out - expected).abs().max().item<double>())));

    QCOMPARE(report.size(), std::size_t(4));
    QCOMPARE(report[3].name, std::string("frequency_attention"));
    QCOMPARE(report[3].value.sizes().vec(), (std::vector<int64_t>{2, heads, 3, 3}));
}

void tst_FourierBlocks::layerWithoutUnusedProjections()
{
    CorrelationLayer self(CorrelationLayerOptions(8, 2),
                          std::make_shared<FourierBlockImpl>(FourierBlockOptions(8, 2, 16)));
    const auto selfParams = self->named_parameters();
    QVERIFY(selfParams.contains("query_projection.weight"));
    QVERIFY(!selfParams.contains("key_projection.weight"));
    QVERIFY(!selfParams.contains("value_projection.weight"));
    QVERIFY(selfParams.contains("inner_correlation.weight_real"));
    CorrelationLayer cross(
        CorrelationLayerOptions(8, 2),
        std::make_shared<FourierCrossAttentionImpl>(FourierCrossAttentionOptions(8, 2, 16, 12)));
    const auto crossParams = cross->named_parameters();
    QVERIFY(crossParams.contains("key_projection.weight"));
    QVERIFY(!crossParams.contains("value_projection.weight"));
    std::vector<NamedTensor> report;
    const torch::Tensor out = cross(torch::randn({3, 16, 8}), torch::randn({3, 12, 8}),
                                    torch::randn({3, 12, 8}), CorrelationRequest{}, report);
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{3, 16, 8}));
}

void tst_FourierBlocks::reportsAndHeadMask()
{
    CorrelationLayer layer(
        CorrelationLayerOptions(8, 2),
        std::make_shared<FourierBlockImpl>(FourierBlockOptions(8, 2, 20).modes(6)));
    const torch::Tensor x = torch::randn({2, 20, 8});
    std::vector<NamedTensor> report;
    const torch::Tensor plain = layer(x, x, x, CorrelationRequest{true}, report);
    QCOMPARE(report.size(), std::size_t(2));
    QCOMPARE(report[0].name, std::string("modes"));
    QCOMPARE(report[0].value.sizes().vec(), (std::vector<int64_t>{6}));
    QCOMPARE(report[1].name, std::string("mode_magnitude"));
    QCOMPARE(report[1].value.sizes().vec(), (std::vector<int64_t>{2, 6}));
    QVERIFY(report[1].value.min().item<double>() > 0.0);
    layer->setHeadMask(torch::ones({2}));
    QVERIFY(torch::allclose(layer(x, x, x, CorrelationRequest{}, report), plain));
    layer->setHeadMask(torch::tensor({0.0f, 1.0f}));
    QVERIFY(!torch::allclose(layer(x, x, x, CorrelationRequest{}, report), plain));
}

void tst_FourierBlocks::officialLayoutIsTheOfficialView()
{
    // One head of 3 channels over 2 steps: the official code's [H, E, L] memory
    // y00 y10 y01 y11 y02 y12 (y[t][e]) read as 2 steps of 3 channels.
    const torch::Tensor y =
        torch::tensor({0.0f, 1.0f, 2.0f, 10.0f, 11.0f, 12.0f}).view({1, 2, 1, 3});
    const torch::Tensor expected =
        torch::tensor({0.0f, 10.0f, 1.0f, 11.0f, 2.0f, 12.0f}).view({1, 2, 1, 3});
    QVERIFY(torch::equal(asOfficialLayout(y), expected));

    // A block with officialLayout gives the time-first block's output in that layout, for the
    // self block and the cross block alike.
    torch::manual_seed(3);
    FourierBlock timeFirst(FourierBlockOptions(8, 2, 12).modes(4));
    torch::manual_seed(3);
    FourierBlock official(FourierBlockOptions(8, 2, 12).modes(4).officialLayout(true));
    std::vector<NamedTensor> report;
    const torch::Tensor q = torch::randn({2, 12, 2, 4});
    const torch::Tensor a = timeFirst->forward(q, q, q, {}, report);
    const torch::Tensor b = official->forward(q, q, q, {}, report);
    QVERIFY(!torch::allclose(a, b));
    QVERIFY(torch::allclose(asOfficialLayout(a), b));
    torch::manual_seed(5);
    FourierCrossAttention crossTimeFirst(FourierCrossAttentionOptions(8, 2, 10, 12).modes(3));
    torch::manual_seed(5);
    FourierCrossAttention crossOfficial(
        FourierCrossAttentionOptions(8, 2, 10, 12).modes(3).officialLayout(true));
    const torch::Tensor k = torch::randn({2, 12, 2, 4});
    const torch::Tensor qd = torch::randn({2, 10, 2, 4});
    QVERIFY(torch::allclose(asOfficialLayout(crossTimeFirst->forward(qd, k, k, {}, report)),
                            crossOfficial->forward(qd, k, k, {}, report)));
}

QTEST_GUILESS_MAIN(tst_FourierBlocks)
#include "tst_fourierblocks.moc"
