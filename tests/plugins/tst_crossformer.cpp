#include "Crossformer.h"
#include "ModelTestSupport.h"
#include "SegmentMerging.h"
#include "SegmentTokens.h"
#include "TwoStageAttention.h"

#include <QTest>

#include <cmath>

using namespace twb;

namespace {

/// L 30 (not a multiple of seg_len 12: 6 padded steps, 3 segments), H 20 (2 decoder segments,
/// 4 steps dropped), 3 named variables.
ModelSpec tinySpec()
{
    ModelSpec s;
    s.lookback = 30;
    s.horizon = 20;
    s.channels = 3;
    s.channelNames = {"HUFL", "HULL", "OT"};
    return s;
}

/// 3 encoder layers over 3 -> 2 -> 1 segments, d 16, 2 heads, 2 routers, no dropout.
CrossformerOptions tiny(bool authors = false)
{
    return CrossformerOptions(tinySpec())
        .encoder({.dModel = 16, .numHeads = 2, .dFF = 32, .numLayers = 3, .dropout = 0.0})
        .factor(2)
        .variant(authors ? CrossformerVariant::Authors : CrossformerVariant::TimeSeriesLibrary);
}

torch::Tensor param(const torch::nn::Module &module, const std::string &name)
{
    const auto params = module.named_parameters();
    TORCH_CHECK(params.contains(name), "no parameter ", name);
    return params[name];
}

torch::Tensor linear(const torch::nn::Module &m, const std::string &prefix, const torch::Tensor &x)
{
    return torch::linear(x, param(m, prefix + ".weight"), param(m, prefix + ".bias"));
}

torch::Tensor layerNorm(const torch::nn::Module &m, const std::string &prefix,
                        const torch::Tensor &x)
{
    return torch::layer_norm(x, {x.size(-1)}, param(m, prefix + ".weight"),
                             param(m, prefix + ".bias"), 1e-5);
}

/// Multi-head attention written out: q [Tq, d], k and v [Tk, d] -> [Tq, d].
torch::Tensor attention(const torch::nn::Module &m, const std::string &prefix,
                        const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                        std::int64_t heads)
{
    const torch::Tensor qp = linear(m, prefix + ".q_proj", q);
    const torch::Tensor kp = linear(m, prefix + ".k_proj", k);
    const torch::Tensor vp = linear(m, prefix + ".v_proj", v);
    const std::int64_t dk = q.size(1) / heads;
    std::vector<torch::Tensor> outputs;
    for (std::int64_t h = 0; h < heads; ++h) {
        const torch::Tensor qh = qp.narrow(1, h * dk, dk);
        const torch::Tensor kh = kp.narrow(1, h * dk, dk);
        const torch::Tensor w = torch::softmax(qh.matmul(kh.t()) / std::sqrt(double(dk)), -1);
        outputs.push_back(w.matmul(vp.narrow(1, h * dk, dk)));
    }
    return linear(m, prefix + ".out_proj", torch::cat(outputs, 1));
}

torch::Tensor mlp(const torch::nn::Module &m, const std::string &prefix, const torch::Tensor &x)
{
    return linear(m, prefix + ".2", torch::gelu(linear(m, prefix + ".0", x)));
}

} // namespace

class tst_Crossformer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(23); }
    void defaultsAreTimeSeriesLibrarySettings();
    void segmentEmbedding_data();
    void segmentEmbedding();
    void twoStageAttentionMatchesEquations();
    void routersEqualFullAttentionWithIdentityProjections();
    void mergingHalvesSegments_data();
    void mergingHalvesSegments();
    void forecastIsTheSumOfScales_data();
    void forecastIsTheSumOfScales();
    void attentionAndMechanisms();
    void tokensCoverTheLookback_data();
    void tokensCoverTheLookback();
    void intermediates();
    void headMasks();
    void seededDeterminism();
    void overfitsTinyBatch() { test::checkOverfitsTinyBatch<Crossformer>(tiny(), 200, 1e-3, 0.2); }
    void saveLoadRoundTrip_data();
    void saveLoadRoundTrip();
    void validation();
};

void tst_Crossformer::defaultsAreTimeSeriesLibrarySettings()
{
    const CrossformerOptions o(test::etth1Spec());
    QCOMPARE(o.dModel(), std::int64_t(512));
    QCOMPARE(o.numHeads(), std::int64_t(8));
    QCOMPARE(o.dFF(), std::int64_t(2048));
    QCOMPARE(o.numLayers(), std::int64_t(2));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.segmentLength(), std::int64_t(12));
    QCOMPARE(o.mergeWindow(), std::int64_t(2));
    QCOMPARE(o.factor(), std::int64_t(3));
    QCOMPARE(o.variant(), CrossformerVariant::TimeSeriesLibrary);
    // ETTh1 at L 96, H 96: 8 input segments, 8 -> 4 after one merging, 8 output segments.
    QCOMPARE(o.inputSegments(), std::int64_t(8));
    QCOMPARE(o.layerSegments(1), std::int64_t(4));
    QCOMPARE(o.outputSegments(), std::int64_t(8));
}

void tst_Crossformer::segmentEmbedding_data()
{
    QTest::addColumn<bool>("authors");
    QTest::newRow("tslib: end padding") << false;
    QTest::newRow("authors: front padding") << true;
}

void tst_Crossformer::segmentEmbedding()
{
    QFETCH(bool, authors);
    SegmentEmbedding embedding(SegmentEmbeddingOptions(3, 30, 12, 16)
                                   .frontPadding(authors)
                                   .valueBias(authors)
                                   .sinusoidal(!authors));
    QCOMPARE(embedding->numSegments(), std::int64_t(3));
    QCOMPARE(embedding->padding(), std::int64_t(6));
    const torch::Tensor x = torch::randn({2, 30, 3});
    const torch::Tensor segments = embedding->segments(x);
    QCOMPARE(segments.sizes().vec(), (std::vector<std::int64_t>{2, 3, 3, 12}));
    const torch::Tensor flat = segments.reshape({2, 3, 36}); // [B, D, padded steps]
    const torch::Tensor series = x.transpose(1, 2);          // [B, D, 30]
    if (authors) {
        // Six copies of the first value, then the series.
        QVERIFY(torch::equal(flat.narrow(2, 0, 6), series.narrow(2, 0, 1).expand({2, 3, 6})));
        QVERIFY(torch::equal(flat.narrow(2, 6, 30), series));
    } else {
        QVERIFY(torch::equal(flat.narrow(2, 0, 30), series));
        QVERIFY(torch::equal(flat.narrow(2, 30, 6), series.narrow(2, 29, 1).expand({2, 3, 6})));
    }
    const auto params = embedding->named_parameters();
    QCOMPARE(params.contains("value.bias"), authors);
    QCOMPARE(embedding->named_buffers().contains("sinusoidal.pe"), !authors);
    QCOMPARE(params["position"].sizes().vec(), (std::vector<std::int64_t>{3, 3, 16}));

    // LayerNorm(Linear(segment) (+ sin/cos of the segment index) + position[variable, segment]).
    const torch::Tensor out = embedding->forward(x);
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{2, 3, 3, 16}));
    torch::Tensor expected = segments.matmul(params["value.weight"].t());
    if (authors)
        expected = expected + params["value.bias"];
    else {
        torch::Tensor pe = torch::zeros({3, 16});
        for (int s = 0; s < 3; ++s)
            for (int i = 0; i < 8; ++i) {
                const double angle = s / std::pow(10000.0, 2.0 * i / 16.0);
                pe[s][2 * i] = std::sin(angle);
                pe[s][2 * i + 1] = std::cos(angle);
            }
        expected = expected + pe;
    }
    expected = layerNorm(*embedding, "norm", expected + params["position"]);
    QVERIFY(torch::allclose(out, expected, 1e-4, 1e-5));
}

void tst_Crossformer::twoStageAttentionMatchesEquations()
{
    const std::int64_t batch = 2, variables = 3, segments = 4, d = 8, heads = 2;
    TwoStageAttention tsa(TwoStageAttentionOptions(d, heads, 16, segments, 2));
    tsa->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({batch, variables, segments, d});
    const TwoStageOutput out = tsa->forward(x, {true, true});
    QCOMPARE(out.output.sizes(), x.sizes());

    // Written out per variable (cross-time) and per segment (cross-dimension).
    const torch::nn::Module &m = *tsa;
    torch::Tensor y = torch::empty_like(x);
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t v = 0; v < variables; ++v) {
            const torch::Tensor series = x[b][v]; // [N, d]
            const torch::Tensor z = layerNorm(
                m, "norm1", series + attention(m, "time_attention", series, series, series, heads));
            y[b][v] = layerNorm(m, "norm2", z + mlp(m, "mlp1", z));
        }
    QVERIFY(torch::allclose(out.crossTime, y, 1e-4, 1e-5));
    torch::Tensor expected = torch::empty_like(x);
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t s = 0; s < segments; ++s) {
            const torch::Tensor send = y[b].select(1, s); // [D, d]
            const torch::Tensor routers = param(m, "router")[s];
            const torch::Tensor buffer = attention(m, "dim_sender", routers, send, send, heads);
            const torch::Tensor received =
                attention(m, "dim_receiver", send, buffer, buffer, heads);
            const torch::Tensor w = layerNorm(m, "norm3", send + received);
            expected[b].select(1, s).copy_(layerNorm(m, "norm4", w + mlp(m, "mlp2", w)));
        }
    QVERIFY(torch::allclose(out.output, expected, 1e-4, 1e-5));

    QCOMPARE(out.time.sizes().vec(),
             (std::vector<std::int64_t>{batch * variables, heads, segments, segments}));
    QCOMPARE(out.sender.sizes().vec(),
             (std::vector<std::int64_t>{batch * segments, heads, 2, variables}));
    QCOMPARE(out.receiver.sizes().vec(),
             (std::vector<std::int64_t>{batch * segments, heads, variables, 2}));
}

void tst_Crossformer::routersEqualFullAttentionWithIdentityProjections()
{
    // As many routers as variables, identity projections, and router r aligned with a tag
    // that only variable v == r carries (in every head): each router gathers exactly one
    // variable, so the buffer is the variables themselves and the receiver computes full
    // attention among the variables: softmax(S S^T / sqrt(dk)) S per head.
    const std::int64_t variables = 3, segments = 2, batch = 2, d = 8, heads = 2, dk = 4;
    TwoStageAttention tsa(TwoStageAttentionOptions(d, heads, 8, segments, variables));
    tsa->eval();
    torch::NoGradGuard noGrad;
    for (auto &item : tsa->named_parameters()) {
        const std::string &name = item.key();
        if (name.rfind("dim_", 0) != 0)
            continue;
        if (name.find(".weight") != std::string::npos)
            item.value().copy_(torch::eye(d));
        else
            item.value().zero_();
    }
    torch::Tensor router = param(*tsa, "router");
    router.zero_();
    torch::Tensor send = torch::zeros({batch * segments, variables, d});
    for (std::int64_t h = 0; h < heads; ++h) {
        for (std::int64_t r = 0; r < variables; ++r) {
            router.select(1, r).select(1, h * dk + r).fill_(1000.0);
            send.select(1, r).select(1, h * dk + r).fill_(1.0);
        }
        send.select(2, h * dk + 3).copy_(torch::randn({batch * segments, variables}));
    }
    const RouterExchange exchange = tsa->routerExchange(send, true);
    const torch::Tensor eye = torch::eye(variables).expand({batch * segments, heads, -1, -1});
    QVERIFY(torch::allclose(exchange.sender, eye, 0.0, 1e-12));

    torch::Tensor full = torch::empty_like(send);
    torch::Tensor fullWeights = torch::empty({batch * segments, heads, variables, variables});
    for (std::int64_t h = 0; h < heads; ++h) {
        const torch::Tensor s = send.narrow(2, h * dk, dk);
        const torch::Tensor w =
            torch::softmax(s.matmul(s.transpose(1, 2)) / std::sqrt(double(dk)), -1);
        fullWeights.select(1, h).copy_(w);
        full.narrow(2, h * dk, dk).copy_(w.matmul(s));
    }
    QVERIFY(torch::allclose(exchange.receiver, fullWeights, 1e-5, 1e-6));
    QVERIFY(torch::allclose(exchange.output, full, 1e-5, 1e-6));
}

void tst_Crossformer::mergingHalvesSegments_data()
{
    QTest::addColumn<int>("segments");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("merged");
    QTest::newRow("8 segments, window 2") << 8 << 2 << 4;
    QTest::newRow("5 segments, window 2: the last repeated") << 5 << 2 << 3;
    QTest::newRow("4 segments, window 3: the last two repeated") << 4 << 3 << 2;
}

void tst_Crossformer::mergingHalvesSegments()
{
    QFETCH(int, segments);
    QFETCH(int, window);
    QFETCH(int, merged);
    const std::int64_t d = 6;
    SegmentMerging merging(d, window);
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 3, segments, d});
    const torch::Tensor out = merging(x);
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{2, 3, merged, d}));
    // Padded position p >= N repeats segment N - pad + (p - N).
    const int pad = merged * window - segments;
    for (int j = 0; j < merged; ++j) {
        std::vector<torch::Tensor> parts;
        for (int i = 0; i < window; ++i) {
            const int p = j * window + i;
            parts.push_back(x.select(2, p < segments ? p : segments - pad + (p - segments)));
        }
        const torch::Tensor expected =
            linear(*merging, "linear", layerNorm(*merging, "norm", torch::cat(parts, -1)));
        QVERIFY(torch::allclose(out.select(2, j), expected, 1e-4, 1e-5));
    }
    // The token ranges follow the same sources.
    std::vector<SegmentRange> ranges;
    for (int s = 0; s < segments; ++s)
        ranges.emplace_back(10 * s, 10 * s + 10);
    const std::vector<SegmentRange> mergedRanges = mergedSegmentRanges(ranges, window);
    QCOMPARE(int(mergedRanges.size()), merged);
    QCOMPARE(mergedRanges.front().first, std::int64_t(0));
    QCOMPARE(mergedRanges.back().second, std::int64_t(10 * segments));
    if (window == 3) // group 1 = segments 3, 2 (copy), 3 (copy)
        QCOMPARE(mergedRanges.back(), SegmentRange(20, 40));
}

void tst_Crossformer::forecastIsTheSumOfScales_data()
{
    segmentEmbedding_data();
}

void tst_Crossformer::forecastIsTheSumOfScales()
{
    QFETCH(bool, authors);
    Crossformer model(tiny(authors));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = test::randomInput(4, tinySpec());
    const ModelOutput out = model->forward(x, {false, true});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<std::int64_t>{4, 20, 3}));
    // 4 decoder layers (e_layers + 1), each predicting 2 segments of 12 steps; the forecast is
    // their sum, cut to the horizon at the end (tslib) or at the start (authors).
    auto stages = test::byName(out.intermediates);
    torch::Tensor sum = torch::zeros({4, 24, 3});
    for (int j = 0; j < 4; ++j) {
        const std::string name = "decoder_layer_" + std::to_string(j) + ".prediction";
        QVERIFY2(stages.count(name), name.c_str());
        sum = sum + stages[name];
    }
    QVERIFY(torch::allclose(out.prediction, sum.narrow(1, authors ? 0 : 4, 20), 1e-5, 1e-6));
    QVERIFY(torch::equal(stages["output"], out.prediction));
    QVERIFY(!model->named_parameters().contains("decoder.layer_4.prediction.weight"));
    QCOMPARE(param(*model, "decoder.layer_3.prediction.weight").sizes().vec(),
             (std::vector<std::int64_t>{12, 16}));
}

void tst_Crossformer::attentionAndMechanisms()
{
    Crossformer model(tiny());
    QVERIFY(model->channelIndependentAttention());
    const std::int64_t batch = 2;
    ModelOutput out;
    test::checkCapturesOnlyWhenAsked(*model, test::randomInput(batch, tinySpec()), {}, true, false,
                                     out);
    if (QTest::currentTestFailed())
        return;
    const auto ones = [](const torch::Tensor &w) {
        return torch::allclose(w.sum(-1), torch::ones_like(w.sum(-1)), 1e-5, 1e-6);
    };
    // Cross-time maps per encoder layer over 3, 2, 1 segments, rows b * D + v.
    const std::vector<std::int64_t> segments{3, 2, 1};
    QCOMPARE(out.attention.size(), std::size_t(3));
    QVERIFY(out.crossAttention.empty());
    for (std::size_t i = 0; i < 3; ++i) {
        const std::int64_t n = segments[i];
        QCOMPARE(out.attention[i].sizes().vec(), (std::vector<std::int64_t>{6, 2, n, n}));
        QVERIFY(ones(out.attention[i]));
        QCOMPARE(std::int64_t(model->encoderLayerTokens(i).size()), n);
    }
    const auto mechanisms = test::byName(out.mechanisms);
    QCOMPARE(mechanisms.size(), std::size_t(3 * 2 + 4 * 4));
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string layer = "encoder_layer_" + std::to_string(i);
        const std::int64_t rows = batch * segments[i];
        QCOMPARE(mechanisms.at(layer + "/router_sender").sizes().vec(),
                 (std::vector<std::int64_t>{rows, 2, 2, 3}));
        QCOMPARE(mechanisms.at(layer + "/router_receiver").sizes().vec(),
                 (std::vector<std::int64_t>{rows, 2, 3, 2}));
        QVERIFY(ones(mechanisms.at(layer + "/router_sender")));
        QVERIFY(ones(mechanisms.at(layer + "/router_receiver")));
    }
    // Decoder layer j attends to scale j: the embedding (3), then the encoder layers (3, 2, 1).
    const std::vector<std::int64_t> keys{3, 3, 2, 1};
    for (std::size_t j = 0; j < 4; ++j) {
        const std::string layer = "decoder_layer_" + std::to_string(j);
        QCOMPARE(mechanisms.at(layer + "/time_attention").sizes().vec(),
                 (std::vector<std::int64_t>{6, 2, 2, 2}));
        QCOMPARE(mechanisms.at(layer + "/router_sender").sizes().vec(),
                 (std::vector<std::int64_t>{4, 2, 2, 3}));
        QCOMPARE(mechanisms.at(layer + "/router_receiver").sizes().vec(),
                 (std::vector<std::int64_t>{4, 2, 3, 2}));
        QCOMPARE(mechanisms.at(layer + "/cross_attention").sizes().vec(),
                 (std::vector<std::int64_t>{6, 2, 2, keys[j]}));
        QCOMPARE(std::int64_t(model->scaleTokens(j).size()), keys[j]);
        for (const char *what :
             {"/time_attention", "/router_sender", "/router_receiver", "/cross_attention"})
            QVERIFY(ones(mechanisms.at(layer + what)));
    }
}

void tst_Crossformer::tokensCoverTheLookback_data()
{
    QTest::addColumn<bool>("authors");
    QTest::addColumn<QList<int>>("bounds0");
    QTest::addColumn<QList<int>>("bounds1");
    // Segment boundaries (begin of each, then the end of the last) per layer; layer 2 is the
    // whole lookback [0, 30).
    QTest::newRow("tslib: last segment short")
        << false << QList<int>{0, 12, 24, 30} << QList<int>{0, 24, 30};
    QTest::newRow("authors: first segment short")
        << true << QList<int>{0, 6, 18, 30} << QList<int>{0, 18, 30};
}

void tst_Crossformer::tokensCoverTheLookback()
{
    QFETCH(bool, authors);
    QFETCH(QList<int>, bounds0);
    QFETCH(QList<int>, bounds1);
    Crossformer model(tiny(authors));
    const QList<QList<int>> bounds{bounds0, bounds1, {0, 30}};
    QCOMPARE(model->tokens().size(), std::size_t(3));
    for (std::size_t layer = 0; layer < 3; ++layer) {
        const std::vector<TokenInfo> tokens = model->encoderLayerTokens(layer);
        const QList<int> &b = bounds[qsizetype(layer)];
        QCOMPARE(qsizetype(tokens.size()), b.size() - 1);
        for (std::size_t j = 0; j < tokens.size(); ++j) {
            QCOMPARE(tokens[j].kind, TokenInfo::Kind::TimeRange);
            QCOMPARE(tokens[j].begin, std::int64_t(b[qsizetype(j)]));
            QCOMPARE(tokens[j].end, std::int64_t(b[qsizetype(j) + 1]));
        }
    }
    QCOMPARE(model->tokens()[1].label,
             authors ? std::string("segment 1: t[6,18)") : std::string("segment 1: t[12,24)"));
    QVERIFY(model->encoderLayerTokens(3).empty());
    // The decoder's 2 segments over the horizon (steps 30..49): tslib keeps the last 20 of 24.
    const std::vector<TokenInfo> output = model->outputSegmentTokens();
    QCOMPARE(output.size(), std::size_t(2));
    QCOMPARE(output[0].begin, std::int64_t(30));
    QCOMPARE(output[0].end, std::int64_t(authors ? 42 : 38));
    QCOMPARE(output[1].end, std::int64_t(50));
}

void tst_Crossformer::intermediates()
{
    Crossformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const ModelOutput out = model->forward(test::randomInput(2, tinySpec()), {false, true});
    const std::vector<std::string> expected{"input",
                                            "segments",
                                            "embedding",
                                            "encoder_layer_0.cross_time",
                                            "encoder_layer_0",
                                            "encoder_layer_1.merged",
                                            "encoder_layer_1.cross_time",
                                            "encoder_layer_1",
                                            "encoder_layer_2.merged",
                                            "encoder_layer_2.cross_time",
                                            "encoder_layer_2",
                                            "decoder_input",
                                            "decoder_layer_0",
                                            "decoder_layer_0.prediction",
                                            "decoder_layer_1",
                                            "decoder_layer_1.prediction",
                                            "decoder_layer_2",
                                            "decoder_layer_2.prediction",
                                            "decoder_layer_3",
                                            "decoder_layer_3.prediction",
                                            "output"};
    QCOMPARE(test::stageNames(out), expected);
    auto stages = test::byName(out.intermediates);
    QCOMPARE(stages["segments"].sizes().vec(), (std::vector<std::int64_t>{2, 3, 3, 12}));
    QCOMPARE(stages["encoder_layer_1.merged"].sizes().vec(),
             (std::vector<std::int64_t>{2, 3, 2, 16}));
    QCOMPARE(stages["encoder_layer_2"].sizes().vec(), (std::vector<std::int64_t>{2, 3, 1, 16}));
    QCOMPARE(stages["decoder_input"].sizes().vec(), (std::vector<std::int64_t>{2, 3, 2, 16}));
    // The decoder starts from the same learned positions for every sample.
    QVERIFY(torch::equal(stages["decoder_input"][0], stages["decoder_input"][1]));
}

void tst_Crossformer::headMasks()
{
    Crossformer model(tiny());
    // Per encoder layer 3 attentions, per decoder layer 4.
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(3 * 3 + 4 * 4));
    test::checkHeadMasks(*model, layers, test::randomInput(2, tinySpec()), {},
                         torch::tensor({0.0f, 1.0f}), 1e-5, 1e-6);
}

void tst_Crossformer::seededDeterminism()
{
    test::checkSameSeedSameModel<Crossformer>(tiny());
    if (QTest::currentTestFailed())
        return;
    // Training mode with dropout: the same seed draws the same masks.
    Crossformer model(CrossformerOptions(tiny()).dropout(0.3));
    model->train();
    const torch::Tensor x = test::randomInput(2, tinySpec());
    torch::manual_seed(5);
    const torch::Tensor a = model->forward(x).prediction;
    torch::manual_seed(5);
    const torch::Tensor b = model->forward(x).prediction;
    const torch::Tensor c = model->forward(x).prediction;
    QVERIFY(torch::equal(a, b));
    QVERIFY(!torch::equal(b, c));
}

void tst_Crossformer::saveLoadRoundTrip_data()
{
    segmentEmbedding_data();
}

void tst_Crossformer::saveLoadRoundTrip()
{
    QFETCH(bool, authors);
    test::checkSaveLoadRoundTrip<Crossformer>(tiny(authors));
}

void tst_Crossformer::validation()
{
    QVERIFY(tiny().validate().isOk());
    const auto reason = [](const CrossformerOptions &o) {
        return test::invalidReason(o);
    };
    QVERIFY(reason(CrossformerOptions(tiny()).dModel(18).numHeads(4))
                .contains(QLatin1String("not divisible")));
    QVERIFY(reason(CrossformerOptions(tiny()).segmentLength(0)).contains(QLatin1String("seg_len")));
    QVERIFY(reason(CrossformerOptions(tiny()).mergeWindow(0)).contains(QLatin1String("win_size")));
    QVERIFY(reason(CrossformerOptions(tiny()).factor(0)).contains(QLatin1String("factor")));
    QVERIFY(reason(CrossformerOptions(tiny()).dropout(1.0)).contains(QLatin1String("dropout")));
    ModelSpec classify = tinySpec();
    classify.task = Task::Classify;
    QVERIFY(reason(CrossformerOptions(tiny()).spec(classify)).contains(QLatin1String("forecast")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, Crossformer{CrossformerOptions(tiny()).factor(0)});
    // win_size 1: no merging, every layer over the input's segments.
    Crossformer flat(CrossformerOptions(tiny()).mergeWindow(1));
    QCOMPARE(flat->encoderLayerTokens(2).size(), std::size_t(3));
    QVERIFY_THROWS_EXCEPTION(c10::Error, flat->forward(torch::randn({1, 29, 3})));
}

QTEST_GUILESS_MAIN(tst_Crossformer)
#include "tst_crossformer.moc"
