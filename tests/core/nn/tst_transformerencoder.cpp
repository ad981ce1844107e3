#include "nn/TransformerEncoder.h"

#include <QTest>

using namespace twb;

Q_DECLARE_METATYPE(twb::EncoderNorm)

/// Tests TransformerEncoderLayer through the stack that every model uses.
class tst_TransformerEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(8); }
    void shapes_data();
    void shapes();
    void layerMatchesPostNormFormula();
    void batchNormOverModelWidth();
    void residualAttentionPassesScores();
    void finalNorm();
    void namedChildren();
};

void tst_TransformerEncoder::shapes_data()
{
    QTest::addColumn<EncoderNorm>("norm");
    QTest::addColumn<bool>("residual");
    QTest::newRow("batch norm") << EncoderNorm::Batch << false;
    QTest::newRow("batch norm, residual attention") << EncoderNorm::Batch << true;
    QTest::newRow("layer norm") << EncoderNorm::Layer << false;
}

void tst_TransformerEncoder::shapes()
{
    QFETCH(EncoderNorm, norm);
    QFETCH(bool, residual);
    TransformerEncoder encoder(TransformerEncoderOptions(
        TransformerEncoderLayerOptions(16, 4, 32).norm(norm).residualAttention(residual), 3));
    const torch::Tensor x = torch::randn({5, 7, 16});
    EncoderRequest request;
    request.needWeights = true;
    request.needLayerOutputs = true;
    const EncoderOutput out = encoder->forward(x, request);
    QCOMPARE(out.output.sizes(), x.sizes());
    QCOMPARE(out.attention.size(), std::size_t(3));
    QCOMPARE(out.layerOutputs.size(), std::size_t(3));
    for (const torch::Tensor &a : out.attention) {
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{5, 4, 7, 7}));
        QVERIFY(torch::allclose(a.sum(-1), torch::ones({5, 4, 7}), 1e-5, 1e-6));
    }
    QVERIFY(torch::equal(out.layerOutputs.back(), out.output));

    const EncoderOutput plain = encoder->forward(x);
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.layerOutputs.empty());
}

void tst_TransformerEncoder::layerMatchesPostNormFormula()
{
    TransformerEncoderLayer layer(TransformerEncoderLayerOptions(8, 2, 16).dropout(0.0));
    layer->eval();
    const torch::Tensor x = torch::randn({2, 5, 8});
    auto children = layer->named_children();
    auto attention = children["self_attention"]->as<MultiheadAttentionImpl>();
    auto norm1 = children["norm1"]->as<torch::nn::LayerNormImpl>();
    auto norm2 = children["norm2"]->as<torch::nn::LayerNormImpl>();
    auto ff = children["feed_forward"]->as<torch::nn::SequentialImpl>();
    QVERIFY(attention && norm1 && norm2 && ff);
    const torch::Tensor h = norm1->forward(x + attention->forward(x, x, x).output);
    const torch::Tensor expected = norm2->forward(h + ff->forward(h));
    QVERIFY(torch::allclose(layer->forward(x).output, expected, 1e-5, 1e-6));
    // FFN: Linear-GELU-Dropout-Linear.
    QCOMPARE(ff->size(), std::size_t(4));
    QVERIFY(ff->ptr(1)->as<torch::nn::GELUImpl>() != nullptr);
    QVERIFY(ff->ptr(2)->as<twb::nn::FastDropoutImpl>() != nullptr);
}

void tst_TransformerEncoder::batchNormOverModelWidth()
{
    TransformerEncoderLayer layer(
        TransformerEncoderLayerOptions(6, 2, 12).norm(EncoderNorm::Batch).dropout(0.0));
    auto children = layer->named_children();
    auto bn = children["norm1"]->as<torch::nn::BatchNorm1dImpl>();
    QVERIFY(bn != nullptr);
    QCOMPARE(bn->options.num_features(), int64_t(6));
    layer->train();
    const torch::Tensor x = torch::randn({4, 9, 6}) * 3 + 2;
    const torch::Tensor y = layer->forward(x).output;
    // In training mode each of the d_model features is normalised over batch and tokens.
    QVERIFY(torch::allclose(y.mean(torch::IntArrayRef{0, 1}), torch::zeros({6}), 1e-4, 1e-4));
}

void tst_TransformerEncoder::residualAttentionPassesScores()
{
    TransformerEncoderLayerOptions layerOptions =
        TransformerEncoderLayerOptions(8, 2, 16).dropout(0.0).residualAttention(true);
    TransformerEncoder encoder(TransformerEncoderOptions(layerOptions, 2));
    encoder->eval();
    const torch::Tensor x = torch::randn({3, 4, 8});
    EncoderRequest request;
    request.needWeights = true;
    request.needLayerOutputs = true;
    const EncoderOutput out = encoder->forward(x, request);

    // Recompute layer 1 by hand: its scores are its own plus layer 0's.
    auto layers = encoder->named_children()["layers"]->as<torch::nn::ModuleListImpl>();
    auto layer0 = layers->ptr<TransformerEncoderLayerImpl>(0);
    auto layer1 = layers->ptr<TransformerEncoderLayerImpl>(1);
    const EncoderLayerOutput first = layer0->forward(x);
    QVERIFY(first.scores.defined());
    AttentionRequest own;
    own.needScores = true;
    auto attention1 = layer1->named_children()["self_attention"]->as<MultiheadAttentionImpl>();
    const AttentionOutput alone =
        attention1->forward(out.layerOutputs[0], out.layerOutputs[0], out.layerOutputs[0], own);
    QVERIFY(torch::allclose(out.attention[1], torch::softmax(alone.scores + first.scores, -1), 1e-5,
                            1e-6));

    // Without residual attention the same weights give the plain softmax.
    TransformerEncoderLayer plain(TransformerEncoderLayerOptions(8, 2, 16).dropout(0.0));
    QVERIFY(!plain->forward(x).scores.defined());
}

void tst_TransformerEncoder::finalNorm()
{
    TransformerEncoder encoder(
        TransformerEncoderOptions(TransformerEncoderLayerOptions(8, 2, 16), 2).finalNorm(true));
    encoder->eval();
    const torch::Tensor x = torch::randn({2, 3, 8});
    EncoderRequest request;
    request.needLayerOutputs = true;
    const EncoderOutput out = encoder->forward(x, request);
    auto norm = encoder->named_children()["final_norm"]->as<torch::nn::LayerNormImpl>();
    QVERIFY(norm != nullptr);
    QVERIFY(torch::allclose(out.output, norm->forward(out.layerOutputs.back())));
}

void tst_TransformerEncoder::namedChildren()
{
    TransformerEncoder encoder(
        TransformerEncoderOptions(TransformerEncoderLayerOptions(8, 2, 16), 2));
    const auto params = encoder->named_parameters();
    QVERIFY(params.contains("layers.0.self_attention.q_proj.weight"));
    QVERIFY(params.contains("layers.1.feed_forward.0.weight"));
    QVERIFY(params.contains("layers.1.norm2.weight"));
    QVERIFY(!params.contains("final_norm.weight"));
}

QTEST_GUILESS_MAIN(tst_TransformerEncoder)
#include "tst_transformerencoder.moc"
