#include "ModelTestSupport.h"
#include "PatchTST.h"

#include <QTest>

using namespace twb;

class tst_PatchTST : public QObject
{
    Q_OBJECT

private:
    static ModelSpec spec(std::int64_t lookback, std::int64_t horizon, std::int64_t channels);
    /// A small configuration for fast tests: L 32, P 8, S 4 -> N 8 patches, d 16, 2 layers.
    static PatchTSTOptions tiny();

private Q_SLOTS:
    void init() { torch::manual_seed(21); }
    void defaultsArePaperSettings();
    void attentionShapeForL336();
    void tokensDescribePatches();
    void outputShapes_data();
    void outputShapes();
    void captureOffReturnsNothing();
    void intermediates();
    void revinRestoresScale();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation_data();
    void validation();
};

ModelSpec tst_PatchTST::spec(std::int64_t lookback, std::int64_t horizon, std::int64_t channels)
{
    ModelSpec s;
    s.lookback = lookback;
    s.horizon = horizon;
    s.channels = channels;
    return s;
}

PatchTSTOptions tst_PatchTST::tiny()
{
    return PatchTSTOptions(spec(32, 8, 2))
        .patchLength(8)
        .stride(4)
        .dModel(16)
        .numHeads(4)
        .dFF(32)
        .numLayers(2)
        .dropout(0.0);
}

void tst_PatchTST::defaultsArePaperSettings()
{
    const PatchTSTOptions o(spec(336, 96, 7));
    QCOMPARE(o.patchLength(), int64_t(16));
    QCOMPARE(o.stride(), int64_t(8));
    QCOMPARE(o.dModel(), int64_t(16));
    QCOMPARE(o.numHeads(), int64_t(4));
    QCOMPARE(o.dFF(), int64_t(128));
    QCOMPARE(o.numLayers(), int64_t(3));
    QCOMPARE(o.dropout(), 0.3);
    QCOMPARE(o.fcDropout(), 0.3);
    QCOMPARE(o.headDropout(), 0.0);
    QVERIFY(o.revin() && !o.affine() && !o.subtractLast() && !o.residualAttention());
    QCOMPARE(o.norm(), EncoderNorm::Batch);
    QCOMPARE(o.positionalEncoding(), PositionalEncodingKind::Learnable);
}

void tst_PatchTST::attentionShapeForL336()
{
    PatchTST model(PatchTSTOptions(spec(336, 24, 3)));
    QCOMPARE(model->numPatches(), int64_t(42));
    QVERIFY(model->channelIndependentAttention());
    model->eval();
    torch::NoGradGuard noGrad;
    const ModelOutput out = model->forward(torch::randn({2, 336, 3}), {true, false});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{2, 24, 3}));
    QCOMPARE(out.attention.size(), std::size_t(3));
    for (const torch::Tensor &a : out.attention) {
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2 * 3, 4, 42, 42}));
        QVERIFY(torch::allclose(a.sum(-1), torch::ones({6, 4, 42}), 1e-5, 1e-5));
    }
    const auto params = model->named_parameters();
    QCOMPARE(params["patch_embedding.weight"].sizes().vec(), (std::vector<int64_t>{16, 16}));
    QCOMPARE(params["positional_encoding.pe"].sizes().vec(), (std::vector<int64_t>{42, 16}));
    QCOMPARE(params["head.weight"].sizes().vec(), (std::vector<int64_t>{24, 16 * 42}));
}

void tst_PatchTST::tokensDescribePatches()
{
    PatchTST model(PatchTSTOptions(spec(512, 96, 1)));
    const std::vector<TokenInfo> tokens = model->tokens();
    QCOMPARE(tokens.size(), std::size_t(64));
    QCOMPARE(tokens[0].kind, TokenInfo::Kind::TimeRange);
    QCOMPARE(tokens[0].label, std::string("patch 0: t[0,16)"));
    QCOMPARE(tokens[10].begin, int64_t(80));
    QCOMPARE(tokens[10].end, int64_t(96));
    QCOMPARE(tokens[63].begin, int64_t(504));
    QCOMPARE(tokens[63].end, int64_t(512));
}

void tst_PatchTST::outputShapes_data()
{
    QTest::addColumn<bool>("layerNorm");
    QTest::addColumn<bool>("sinusoidal");
    QTest::addColumn<bool>("residual");
    QTest::addColumn<bool>("revin");
    QTest::newRow("batch norm, learnable") << false << false << false << true;
    QTest::newRow("layer norm, sinusoidal") << true << true << false << true;
    QTest::newRow("residual attention") << false << false << true << true;
    QTest::newRow("without RevIN") << false << false << false << false;
}

void tst_PatchTST::outputShapes()
{
    QFETCH(bool, layerNorm);
    QFETCH(bool, sinusoidal);
    QFETCH(bool, residual);
    QFETCH(bool, revin);
    PatchTST model(tiny()
                       .norm(layerNorm ? EncoderNorm::Layer : EncoderNorm::Batch)
                       .positionalEncoding(sinusoidal ? PositionalEncodingKind::Sinusoidal
                                                      : PositionalEncodingKind::Learnable)
                       .residualAttention(residual)
                       .revin(revin));
    const ModelOutput out = model->forward(torch::randn({3, 32, 2}), {true, false});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{3, 8, 2}));
    QCOMPARE(out.attention.size(), std::size_t(2));
    QCOMPARE(out.attention[1].sizes().vec(), (std::vector<int64_t>{6, 4, 8, 8}));
    QCOMPARE(model->named_parameters().contains("positional_encoding.pe"), !sinusoidal);
    QCOMPARE(model->named_buffers().contains("positional_encoding.pe"), sinusoidal);
}

void tst_PatchTST::captureOffReturnsNothing()
{
    PatchTST model(tiny());
    model->eval();
    const torch::Tensor x = torch::randn({2, 32, 2});
    const ModelOutput plain = model->forward(x);
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.intermediates.empty());
    const ModelOutput full = model->forward(x, {true, true});
    QVERIFY(torch::equal(plain.prediction, full.prediction));
}

void tst_PatchTST::intermediates()
{
    PatchTST model(tiny());
    const ModelOutput out = model->forward(torch::randn({3, 32, 2}), {false, true});
    const std::vector<std::string> expected{"input",     "revin",           "patches",
                                            "embedding", "encoder_layer_0", "encoder_layer_1",
                                            "head",      "output"};
    QCOMPARE(test::stageNames(out), expected);
    QCOMPARE(out.intermediates[2].value.sizes().vec(), (std::vector<int64_t>{3, 2, 8, 8}));
    QCOMPARE(out.intermediates[3].value.sizes().vec(), (std::vector<int64_t>{6, 8, 16}));
    QCOMPARE(out.intermediates[5].value.sizes().vec(), (std::vector<int64_t>{6, 8, 16}));
    QCOMPARE(out.intermediates[6].value.sizes().vec(), (std::vector<int64_t>{3, 2, 8}));
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
}

void tst_PatchTST::revinRestoresScale()
{
    // With RevIN the model is scale-equivariant per channel: x * a + b -> y * a + b.
    PatchTST model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 2});
    const torch::Tensor y = model->forward(x).prediction;
    const torch::Tensor shifted = model->forward(x * 50 + 1000).prediction;
    QVERIFY(torch::allclose(shifted, y * 50 + 1000, 1e-3, 1e-2));
}

void tst_PatchTST::overfitsTinyBatch()
{
    PatchTST model(tiny());
    const torch::Tensor x = torch::randn({4, 32, 2});
    const torch::Tensor y = torch::randn({4, 8, 2});
    const auto [first, last] = test::overfit(*model, x, y, 300, 3e-3);
    qInfo("loss %g -> %g (%.1f %% drop)", first, last, 100.0 * (1.0 - last / first));
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_PatchTST::saveLoadRoundTrip()
{
    PatchTST source(tiny());
    // Train a little so that BatchNorm running statistics differ from their initial values.
    test::overfit(*source, torch::randn({4, 32, 2}), torch::randn({4, 8, 2}), 5, 1e-2);
    torch::manual_seed(99);
    PatchTST target(tiny());
    const torch::Tensor x = torch::randn({3, 32, 2});
    const auto [a, b] = test::saveLoad(source, target, x);
    QVERIFY(torch::equal(a, b));
}

void tst_PatchTST::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 32, 2});
    torch::manual_seed(5);
    PatchTST a(tiny());
    torch::manual_seed(5);
    PatchTST b(tiny());
    a->eval();
    b->eval();
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
}

void tst_PatchTST::validation_data()
{
    QTest::addColumn<int>("lookback");
    QTest::addColumn<int>("patchLength");
    QTest::addColumn<int>("dModel");
    QTest::addColumn<int>("heads");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<QString>("reason"); // empty = valid
    QTest::newRow("valid") << 32 << 8 << 16 << 4 << 0.1 << QString();
    QTest::newRow("lookback shorter than patch")
        << 6 << 8 << 16 << 4 << 0.1 << QStringLiteral("shorter than patch_len");
    QTest::newRow("heads do not divide width")
        << 32 << 8 << 18 << 4 << 0.1 << QStringLiteral("not divisible");
    QTest::newRow("dropout of one") << 32 << 8 << 16 << 4 << 1.0 << QStringLiteral("dropout");
}

void tst_PatchTST::validation()
{
    QFETCH(int, lookback);
    QFETCH(int, patchLength);
    QFETCH(int, dModel);
    QFETCH(int, heads);
    QFETCH(double, dropout);
    QFETCH(QString, reason);
    const PatchTSTOptions o = PatchTSTOptions(spec(lookback, 8, 2))
                                  .patchLength(patchLength)
                                  .stride(4)
                                  .dModel(dModel)
                                  .numHeads(heads)
                                  .dropout(dropout);
    const Status status = o.validate();
    QCOMPARE(status.isOk(), reason.isEmpty());
    if (!status.isOk()) {
        QVERIFY2(status.error().reason.contains(reason), qPrintable(status.error().reason));
        QVERIFY(status.error().reason.startsWith(QLatin1String("PatchTST: ")));
        QVERIFY_THROWS_EXCEPTION(c10::Error, PatchTST{o});
    }
}

QTEST_GUILESS_MAIN(tst_PatchTST)
#include "tst_patchtst.moc"
