#include "MambaLayer.h"
#include "ModelTestSupport.h"
#include "SMamba.h"
#include "SelectiveScan.h"

#include <QTest>

#include <cmath>

using namespace twb;
using namespace twb::smamba;

namespace {

using Sizes = std::vector<std::int64_t>;
const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// Random scan inputs in double: u, delta > 0, A < 0, B, C, D.
struct ScanInputs
{
    ScanInputs(std::int64_t batch, std::int64_t steps, std::int64_t channels, std::int64_t state)
        : u(torch::randn({batch, steps, channels}, kDouble))
        , delta(torch::rand({batch, steps, channels}, kDouble) * 0.9 + 0.05)
        , A(-torch::rand({channels, state}, kDouble) * 2.0 - 0.1)
        , B(torch::randn({batch, steps, state}, kDouble))
        , C(torch::randn({batch, steps, state}, kDouble))
        , D(torch::randn({channels}, kDouble))
    {}
    torch::Tensor u, delta, A, B, C, D;
};

/// y[b, i, d] = sum_j alpha[b, d, i, j] u[b, j, d] + D[d] u[b, i, d].
torch::Tensor applyAttention(const torch::Tensor &alpha, const torch::Tensor &u,
                             const torch::Tensor &D)
{
    return torch::matmul(alpha, u.permute({0, 2, 1}).unsqueeze(-1)).squeeze(-1).permute({0, 2, 1}) +
           u * D;
}

torch::Tensor lowerTriangle(std::int64_t n)
{
    return torch::ones({n, n}, kDouble).tril();
}

} // namespace

class tst_SMamba : public QObject
{
    Q_OBJECT

private:
    /// L 32, H 8, 3 channels (HUFL, HULL, OT), `marks` calendar features.
    static ModelSpec spec(std::int64_t marks = 0) { return test::tinyForecastSpec(marks); }
    /// d 16, d_ff 32, d_state 4, d_conv 3, expand 2, 2 layers, no dropout.
    static SMambaOptions tiny(std::int64_t marks = 0)
    {
        return SMambaOptions(spec(marks))
            .dModel(16)
            .dFF(32)
            .dState(4)
            .dConv(3)
            .expand(2)
            .numLayers(2)
            .dropout(0.0);
    }

private Q_SLOTS:
    void init() { torch::manual_seed(31); }
    void defaultsAreOfficialSettings();
    void selectiveScanEqualsRecurrence();
    void implicitAttentionFormula();
    void implicitAttentionReproducesScan();
    void mambaInitialisation();
    void mambaParameterCount();
    void causalConvolutionSeesNoFuture();
    void layerTracesReproduceBothDirections();
    void bidirectionalLayerIsForwardPlusFlippedReverse();
    void outputAttentionAndMechanismShapes();
    void attentionMapIsNormalisedChannelMean();
    void marksAreExtraTokens();
    void tokensAreVariatesThenMarks();
    void captureOffReturnsNothing();
    void intermediates();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
};

void tst_SMamba::defaultsAreOfficialSettings()
{
    const SMambaOptions o(test::etth1Spec());
    QCOMPARE(o.dModel(), std::int64_t(256));
    QCOMPARE(o.dFF(), std::int64_t(256));
    QCOMPARE(o.dState(), std::int64_t(2));
    QCOMPARE(o.dConv(), std::int64_t(2));
    QCOMPARE(o.expand(), std::int64_t(1));
    QCOMPARE(o.numLayers(), std::int64_t(2));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.activation(), FeedForwardActivation::Gelu);
    QVERIFY(o.useNorm());
    QVERIFY(o.useMarks());
    QCOMPARE(o.mamba().resolvedDtRank(), std::int64_t(16));
    QCOMPARE(o.tokenCount(), std::int64_t(11));
}

void tst_SMamba::selectiveScanEqualsRecurrence()
{
    const std::int64_t batch = 2, steps = 7, channels = 5, state = 3;
    const ScanInputs in(batch, steps, channels, state);
    const torch::Tensor y = selectiveScan(in.u, in.delta, in.A, in.B, in.C, in.D);
    QCOMPARE(y.sizes().vec(), (Sizes{batch, steps, channels}));
    QCOMPARE(y.scalar_type(), torch::kFloat64);
    const auto u = in.u.accessor<double, 3>();
    const auto delta = in.delta.accessor<double, 3>();
    const auto A = in.A.accessor<double, 2>();
    const auto B = in.B.accessor<double, 3>();
    const auto C = in.C.accessor<double, 3>();
    const auto D = in.D.accessor<double, 1>();
    const auto got = y.accessor<double, 3>();
    double worst = 0.0;
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t d = 0; d < channels; ++d) {
            std::vector<double> h(std::size_t(state), 0.0);
            for (std::int64_t t = 0; t < steps; ++t) {
                double expected = D[d] * u[b][t][d];
                for (std::int64_t n = 0; n < state; ++n) {
                    h[std::size_t(n)] = std::exp(delta[b][t][d] * A[d][n]) * h[std::size_t(n)] +
                                        delta[b][t][d] * B[b][t][n] * u[b][t][d];
                    expected += C[b][t][n] * h[std::size_t(n)];
                }
                worst = std::max(worst, std::abs(got[b][t][d] - expected));
            }
        }
    QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst)));
}

void tst_SMamba::implicitAttentionFormula()
{
    const std::int64_t batch = 2, steps = 6, channels = 3, state = 2;
    const ScanInputs in(batch, steps, channels, state);
    const torch::Tensor alpha = implicitAttention(in.delta, in.A, in.B, in.C);
    QCOMPARE(alpha.sizes().vec(), (Sizes{batch, channels, steps, steps}));
    const auto delta = in.delta.accessor<double, 3>();
    const auto A = in.A.accessor<double, 2>();
    const auto B = in.B.accessor<double, 3>();
    const auto C = in.C.accessor<double, 3>();
    const auto got = alpha.accessor<double, 4>();
    double worst = 0.0;
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t d = 0; d < channels; ++d)
            for (std::int64_t i = 0; i < steps; ++i)
                for (std::int64_t j = 0; j < steps; ++j) {
                    double expected = 0.0;
                    if (j <= i)
                        for (std::int64_t n = 0; n < state; ++n) {
                            double product = 1.0;
                            for (std::int64_t k = j + 1; k <= i; ++k)
                                product *= std::exp(delta[b][k][d] * A[d][n]);
                            expected += C[b][i][n] * product * delta[b][j][d] * B[b][j][n];
                        }
                    worst = std::max(worst, std::abs(got[b][d][i][j] - expected));
                }
    QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst)));
}

void tst_SMamba::implicitAttentionReproducesScan()
{
    const ScanInputs in(3, 9, 4, 5);
    const torch::Tensor alpha = implicitAttention(in.delta, in.A, in.B, in.C);
    const torch::Tensor y = selectiveScan(in.u, in.delta, in.A, in.B, in.C, in.D);
    QVERIFY(torch::allclose(applyAttention(alpha, in.u, in.D), y, 1e-12, 1e-12));
    QVERIFY(torch::equal(alpha.triu(1), torch::zeros_like(alpha)));
}

void tst_SMamba::mambaInitialisation()
{
    const MambaOptions options = MambaOptions(40).dState(3).dConv(2).expand(2);
    Mamba block(options);
    const auto p = block->named_parameters();
    QCOMPARE(options.resolvedDtRank(), std::int64_t(3)); // ceil(40 / 16)
    QCOMPARE(p["in_proj.weight"].sizes().vec(), (Sizes{160, 40}));
    QVERIFY(!p.contains("in_proj.bias"));
    QCOMPARE(p["conv1d.weight"].sizes().vec(), (Sizes{80, 1, 2}));
    QCOMPARE(p["conv1d.bias"].sizes().vec(), (Sizes{80}));
    QCOMPARE(p["x_proj.weight"].sizes().vec(), (Sizes{3 + 2 * 3, 80}));
    QCOMPARE(p["dt_proj.weight"].sizes().vec(), (Sizes{80, 3}));
    QCOMPARE(p["out_proj.weight"].sizes().vec(), (Sizes{40, 80}));
    QVERIFY(!p.contains("out_proj.bias"));
    const torch::Tensor logs = torch::log(torch::tensor({1.0f, 2.0f, 3.0f}));
    QVERIFY(torch::allclose(p["A_log"], logs.expand({80, 3})));
    QVERIFY(torch::equal(p["D"], torch::ones({80})));
    const torch::Tensor step = torch::softplus(p["dt_proj.bias"]);
    QVERIFY(step.min().item<double>() >= 0.001 * (1 - 1e-4));
    QVERIFY(step.max().item<double>() <= 0.1 * (1 + 1e-4));
    QVERIFY(p["dt_proj.weight"].abs().max().item<double>() <= 1.0 / std::sqrt(3.0));
}

void tst_SMamba::mambaParameterCount()
{
    // The official ETTh1 block: d 256, expand 1, d_state 2, d_conv 2, dt_rank 16.
    const std::int64_t d = 256, inner = 256, rank = 16, state = 2, width = 2;
    const std::int64_t block = d * 2 * inner + inner * width + inner + inner * (rank + 2 * state) +
                               rank * inner + inner + inner * state + inner + inner * d;
    Mamba mamba(SMambaOptions(test::etth1Spec()).mamba());
    std::int64_t count = 0;
    for (const torch::Tensor &t : mamba->parameters())
        count += t.numel();
    QCOMPARE(count, block);
    // The model: embedding, e_layers x (2 blocks, 2 LayerNorms, feed-forward), norm, head.
    const std::int64_t ff = 256, lookback = 96, horizon = 96;
    const std::int64_t layer = 2 * block + 2 * 2 * d + (d * ff + ff) + (ff * d + d);
    test::checkParameterCount<SMamba>(SMambaOptions(test::etth1Spec()),
                                      (lookback * d + d) + 2 * layer + 2 * d +
                                          (d * horizon + horizon));
}

void tst_SMamba::causalConvolutionSeesNoFuture()
{
    // u (conv + SiLU) at token t reads tokens t - d_conv + 1 .. t only, and the whole block is
    // causal: changing token k changes u exactly at k .. k + d_conv - 1, the output from k on.
    Mamba block(MambaOptions(8).dState(3).dConv(3).expand(2));
    block->eval();
    torch::NoGradGuard noGrad;
    const std::int64_t steps = 9, k = 4;
    const torch::Tensor x = torch::randn({2, steps, 8});
    torch::Tensor changed = x.clone();
    changed.select(1, k).add_(torch::randn({2, 8}));
    const MambaOutput a = block->forward(x, true);
    const MambaOutput b = block->forward(changed, true);
    for (std::int64_t t = 0; t < steps; ++t) {
        const bool uSame = torch::equal(a.u.select(1, t), b.u.select(1, t));
        QCOMPARE(uSame, t < k || t > k + 2);
        const bool outSame = torch::equal(a.output.select(1, t), b.output.select(1, t));
        QCOMPARE(outSame, t < k);
    }
}

void tst_SMamba::layerTracesReproduceBothDirections()
{
    smamba::SMambaLayer layer(SMambaLayerOptions(MambaOptions(12).dState(3).dConv(2), 24));
    layer->to(torch::kFloat64);
    layer->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 7, 12}, kDouble);
    const SMambaLayerOutput out = layer->forward(x, true);
    const torch::Tensor lower = lowerTriangle(7);
    // Forward: lower-triangular, reproduces its SSM output from its u.
    QVERIFY(torch::equal(out.forward.implicitAttention * lower, out.forward.implicitAttention));
    QVERIFY(torch::allclose(applyAttention(out.forward.implicitAttention, out.forward.u,
                                           layer->mamba()->named_parameters()["D"]),
                            out.forward.ssm, 1e-10, 1e-12));
    // Reverse, in token order: upper-triangular, reproduces its SSM output.
    const torch::Tensor upper = lower.transpose(0, 1);
    QVERIFY(torch::equal(out.reverse.implicitAttention * upper, out.reverse.implicitAttention));
    QVERIFY(torch::allclose(applyAttention(out.reverse.implicitAttention, out.reverse.u,
                                           layer->mambaReverse()->named_parameters()["D"]),
                            out.reverse.ssm, 1e-10, 1e-12));
    QVERIFY(torch::equal(out.implicitAttention,
                         out.forward.implicitAttention + out.reverse.implicitAttention));
    QCOMPARE(out.forward.delta.sizes().vec(), (Sizes{2, 7, 24}));
    QVERIFY((out.reverse.delta > 0).all().item<bool>());
}

void tst_SMamba::bidirectionalLayerIsForwardPlusFlippedReverse()
{
    smamba::SMambaLayer layer(SMambaLayerOptions(MambaOptions(12).dState(3).dConv(2), 20)
                                  .dropout(0.0)
                                  .activation(FeedForwardActivation::Relu));
    layer->to(torch::kFloat64);
    layer->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({3, 6, 12}, kDouble);
    const torch::Tensor m = layer->mamba()->forward(x).output +
                            layer->mambaReverse()->forward(x.flip({1})).output.flip({1});
    QVERIFY(torch::allclose(layer->mix(x).output, m, 1e-12, 1e-12));
    auto p = layer->named_parameters();
    const auto norm = [&](const torch::Tensor &v, const std::string &name) {
        return torch::layer_norm(v, {12}, p[name + ".weight"], p[name + ".bias"], 1e-5);
    };
    const torch::Tensor h = norm(x + m, "norm1");
    const torch::Tensor ff = torch::linear(
        torch::relu(torch::linear(h, p["feed_forward.0.weight"], p["feed_forward.0.bias"])),
        p["feed_forward.3.weight"], p["feed_forward.3.bias"]);
    QVERIFY(torch::allclose(layer->forward(x).output, norm(h + ff, "norm2"), 1e-10, 1e-12));
}

void tst_SMamba::outputAttentionAndMechanismShapes()
{
    for (const std::int64_t marks : {std::int64_t(0), std::int64_t(4)}) {
        SMamba model(tiny(marks));
        QVERIFY(!model->channelIndependentAttention());
        const std::int64_t n = 3 + marks, inner = 32;
        const ModelOutput out = model->forward(test::randomInput(2, spec(marks)),
                                               test::withMarks(2, spec(marks), true));
        QCOMPARE(out.prediction.sizes().vec(), (Sizes{2, 8, 3}));
        QCOMPARE(out.attention.size(), std::size_t(2));
        for (const torch::Tensor &a : out.attention) {
            QCOMPARE(a.sizes().vec(), (Sizes{2, 1, n, n}));
            QVERIFY((a >= 0).all().item<bool>());
            QVERIFY(torch::allclose(a.sum(-1), torch::ones({2, 1, n}), 1e-5, 1e-6));
        }
        const std::vector<std::string> expected{"encoder_layer_0/implicit_attention",
                                                "encoder_layer_0/delta",
                                                "encoder_layer_0/delta_reverse",
                                                "encoder_layer_1/implicit_attention",
                                                "encoder_layer_1/delta",
                                                "encoder_layer_1/delta_reverse"};
        QCOMPARE(test::names(out.mechanisms), expected);
        auto m = test::byName(out.mechanisms);
        QCOMPARE(m["encoder_layer_1/implicit_attention"].sizes().vec(), (Sizes{2, inner, n, n}));
        QCOMPARE(m["encoder_layer_0/delta"].sizes().vec(), (Sizes{2, n, inner}));
        QCOMPARE(m["encoder_layer_0/delta_reverse"].sizes().vec(), (Sizes{2, n, inner}));
        QVERIFY((m["encoder_layer_0/delta"] > 0).all().item<bool>());
        QVERIFY(out.crossAttention.empty());
    }
}

void tst_SMamba::attentionMapIsNormalisedChannelMean()
{
    SMamba model(tiny(4));
    model->eval();
    torch::NoGradGuard noGrad;
    const ModelOutput out =
        model->forward(test::randomInput(2, spec(4)), test::withMarks(2, spec(4), true, true));
    auto m = test::byName(out.mechanisms);
    const torch::Tensor tokens = test::byName(out.intermediates)["variate_tokens"];
    // Layer 0's mechanism is its own trace on the embedded tokens.
    const SMambaLayerOutput layer0 = model->layer(0)->forward(tokens, true);
    QVERIFY(torch::allclose(m["encoder_layer_0/implicit_attention"], layer0.implicitAttention));
    QVERIFY(torch::allclose(m["encoder_layer_0/delta"], layer0.forward.delta));
    QVERIFY(torch::allclose(m["encoder_layer_0/delta_reverse"], layer0.reverse.delta));
    for (int l = 0; l < 2; ++l) {
        const torch::Tensor alpha = m["encoder_layer_" + std::to_string(l) + "/implicit_attention"];
        const torch::Tensor p = alpha.abs().mean(1, true);
        QVERIFY(torch::allclose(out.attention[std::size_t(l)], p / p.sum(-1, true), 1e-5, 1e-7));
    }
    // A row without weight stays zero instead of dividing by zero.
    torch::Tensor alpha = torch::rand({1, 3, 4, 4});
    alpha.select(2, 1).zero_();
    const torch::Tensor map = implicitAttentionMap(alpha);
    QVERIFY(torch::equal(map.select(2, 1), torch::zeros({1, 1, 4})));
    QVERIFY(torch::allclose(map.select(2, 2).sum(-1), torch::ones({1, 1})));
}

void tst_SMamba::marksAreExtraTokens()
{
    SMamba model(tiny(4));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = test::randomInput(2, spec(4));
    const ForwardOptions marks = test::withMarks(2, spec(4), false, true);
    const ModelOutput out = model->forward(x, marks);
    const torch::Tensor tokens = test::byName(out.intermediates)["variate_tokens"];
    QCOMPARE(tokens.sizes().vec(), (Sizes{2, 7, 16}));
    auto p = model->named_parameters();
    const torch::Tensor markTokens = torch::linear(marks.historyMarks.transpose(1, 2),
                                                   p["embedding.weight"], p["embedding.bias"]);
    QVERIFY(torch::allclose(tokens.narrow(1, 3, 4), markTokens, 1e-5, 1e-6));
    // Without marks the model runs on the variates alone, and the marks change the forecast.
    const torch::Tensor plain = model->forward(x).prediction;
    QCOMPARE(plain.sizes().vec(), (Sizes{2, 8, 3}));
    QVERIFY(!torch::allclose(plain, out.prediction, 1e-5, 1e-6));
    // embed "none": the marks never reach the forecast.
    SMamba ignoring(tiny(4).useMarks(false));
    ignoring->eval();
    QVERIFY(torch::equal(ignoring->forward(x, marks).prediction, ignoring->forward(x).prediction));
    ForwardOptions wrong = marks;
    wrong.historyMarks = marks.historyMarks.narrow(2, 0, 3);
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x, wrong));
}

void tst_SMamba::tokensAreVariatesThenMarks()
{
    const std::vector<TokenInfo> tokens = SMamba(tiny(4))->tokens();
    QCOMPARE(tokens.size(), std::size_t(7));
    const std::vector<std::string> names{"HUFL", "HULL", "OT"};
    for (std::size_t c = 0; c < 3; ++c) {
        QCOMPARE(tokens[c].kind, TokenInfo::Kind::Variate);
        QCOMPARE(tokens[c].channel, std::int64_t(c));
        QCOMPARE(tokens[c].label, names[c]);
        QCOMPARE(tokens[c].begin, std::int64_t(0));
        QCOMPARE(tokens[c].end, std::int64_t(32));
    }
    const std::vector<std::string> marks{"calendar feature 0", "calendar feature 1",
                                         "calendar feature 2", "calendar feature 3"};
    for (std::size_t f = 0; f < 4; ++f) {
        QCOMPARE(tokens[3 + f].kind, TokenInfo::Kind::Special);
        QCOMPARE(tokens[3 + f].channel, std::int64_t(-1));
        QCOMPARE(tokens[3 + f].label, marks[f]);
    }
    QCOMPARE(SMamba(tiny(4).useMarks(false))->tokens().size(), std::size_t(3));
    ModelSpec unnamed = spec();
    unnamed.channelNames.clear();
    const std::vector<TokenInfo> plain = SMamba(tiny().spec(unnamed))->tokens();
    QCOMPARE(plain.size(), std::size_t(3));
    QCOMPARE(plain[2].label, std::string("ch2"));
}

void tst_SMamba::captureOffReturnsNothing()
{
    SMamba model(tiny(4));
    ModelOutput captured;
    test::checkCapturesOnlyWhenAsked(*model, test::randomInput(2, spec(4)),
                                     test::withMarks(2, spec(4)), true, true, captured);
    QCOMPARE(captured.attention.size(), std::size_t(2));
}

void tst_SMamba::intermediates()
{
    SMamba model(tiny());
    const ModelOutput out = model->forward(test::randomInput(2, spec()), {false, true});
    const std::vector<std::string> expected{"input",           "normalized",      "variate_tokens",
                                            "encoder_layer_0", "encoder_layer_1", "encoder_output",
                                            "projection",      "output"};
    QCOMPARE(test::stageNames(out), expected);
    auto stage = test::byName(out.intermediates);
    QCOMPARE(stage["variate_tokens"].sizes().vec(), (Sizes{2, 3, 16}));
    QCOMPARE(stage["projection"].sizes().vec(), (Sizes{2, 3, 8}));
    QVERIFY(torch::equal(stage["output"], out.prediction));
    QVERIFY(out.attention.empty());
    QVERIFY(out.mechanisms.empty());
}

void tst_SMamba::overfitsTinyBatch()
{
    test::checkOverfitsTinyBatch<SMamba>(tiny(), 200, 3e-3, 0.2);
}

void tst_SMamba::saveLoadRoundTrip()
{
    test::checkSaveLoadRoundTrip<SMamba>(tiny());
}

void tst_SMamba::sameSeedSameModel()
{
    test::checkSameSeedSameModel<SMamba>(tiny());
}

void tst_SMamba::validation()
{
    QVERIFY(tiny().validate().isOk());
    QVERIFY(test::invalidReason(tiny().dState(0)).contains(QLatin1String("d_state")));
    QVERIFY(test::invalidReason(tiny().dropout(1.0)).contains(QLatin1String("dropout")));
    ModelSpec classify = spec();
    classify.task = Task::Classify;
    QVERIFY(test::invalidReason(tiny().spec(classify)).contains(QLatin1String("forecast")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, SMamba{tiny().numLayers(0)});
}

QTEST_GUILESS_MAIN(tst_SMamba)
#include "tst_smamba.moc"
