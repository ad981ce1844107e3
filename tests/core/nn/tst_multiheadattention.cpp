#include "nn/MultiheadAttention.h"

#include <QTest>

#include <cmath>

using namespace twb;

class tst_MultiheadAttention : public QObject
{
    Q_OBJECT

private:
    /// softmax(Q K^T / sqrt(dk)) by hand for batch b, head h from the module's projections.
    static torch::Tensor handWeights(MultiheadAttentionImpl &attention, const torch::Tensor &x,
                                     int b, int h);

private Q_SLOTS:
    void init() { torch::manual_seed(1); }
    void weightsSumToOne();
    void weightsMatchHandComputation();
    void outputMatchesHandComputation();
    void gradientMatchesReference();
    void captureOffReturnsNoWeights();
    void prevScoresAreAdded();
    void keyPaddingMaskZeroesPaddedKeys();
    void causalIgnoresLaterSteps();
    void rejectsIndivisibleHeads();
};

torch::Tensor tst_MultiheadAttention::handWeights(MultiheadAttentionImpl &attention,
                                                  const torch::Tensor &x, int b, int h)
{
    const auto params = attention.named_parameters();
    const torch::Tensor wq = params["q_proj.weight"], bq = params["q_proj.bias"];
    const torch::Tensor wk = params["k_proj.weight"], bk = params["k_proj.bias"];
    const int64_t d = attention.options().dModel();
    const int64_t dk = d / attention.options().numHeads();
    const int64_t t = x.size(1);
    torch::Tensor w = torch::zeros({t, t}, torch::kFloat64);
    for (int64_t i = 0; i < t; ++i) {
        double rowMax = -1e300;
        std::vector<double> s(std::size_t(t), 0.0);
        for (int64_t j = 0; j < t; ++j) {
            double dot = 0.0;
            for (int64_t e = h * dk; e < (h + 1) * dk; ++e) {
                double q = bq[e].item<double>();
                double k = bk[e].item<double>();
                for (int64_t f = 0; f < d; ++f) {
                    q += wq[e][f].item<double>() * x[b][i][f].item<double>();
                    k += wk[e][f].item<double>() * x[b][j][f].item<double>();
                }
                dot += q * k;
            }
            s[std::size_t(j)] = dot / std::sqrt(double(dk));
            rowMax = std::max(rowMax, s[std::size_t(j)]);
        }
        double sum = 0.0;
        for (double &v : s) {
            v = std::exp(v - rowMax);
            sum += v;
        }
        for (int64_t j = 0; j < t; ++j)
            w[i][j] = s[std::size_t(j)] / sum;
    }
    return w;
}

void tst_MultiheadAttention::weightsSumToOne()
{
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    const torch::Tensor x = torch::randn({3, 5, 8});
    AttentionRequest request;
    request.needWeights = true;
    const AttentionOutput out = attention->forward(x, x, x, request);
    QCOMPARE(out.output.sizes().vec(), (std::vector<int64_t>{3, 5, 8}));
    QCOMPARE(out.weights.sizes().vec(), (std::vector<int64_t>{3, 2, 5, 5}));
    QVERIFY(torch::allclose(out.weights.sum(-1), torch::ones({3, 2, 5}), 1e-6, 1e-6));
    QVERIFY(out.weights.min().item<float>() >= 0.0f);
}

void tst_MultiheadAttention::weightsMatchHandComputation()
{
    MultiheadAttention attention(MultiheadAttentionOptions(4, 2));
    const torch::Tensor x = torch::randn({2, 3, 4});
    AttentionRequest request;
    request.needWeights = true;
    const AttentionOutput out = attention->forward(x, x, x, request);
    for (int b = 0; b < 2; ++b) {
        for (int h = 0; h < 2; ++h) {
            const torch::Tensor expected = handWeights(*attention, x, b, h);
            QVERIFY2(torch::allclose(out.weights[b][h].to(torch::kFloat64), expected, 1e-5, 1e-6),
                     qPrintable(QStringLiteral("batch %1 head %2").arg(b).arg(h)));
        }
    }
}

void tst_MultiheadAttention::outputMatchesHandComputation()
{
    MultiheadAttention attention(MultiheadAttentionOptions(4, 2));
    const torch::Tensor x = torch::randn({1, 3, 4});
    AttentionRequest request;
    request.needWeights = true;
    const AttentionOutput out = attention->forward(x, x, x, request);
    // output = concat_h(W_h V_h) Wo^T + bo, with V = x Wv^T + bv.
    auto params = attention->named_parameters();
    const torch::Tensor v =
        torch::matmul(x[0], params["v_proj.weight"].t()) + params["v_proj.bias"];
    const torch::Tensor context = torch::cat({torch::matmul(out.weights[0][0], v.slice(1, 0, 2)),
                                              torch::matmul(out.weights[0][1], v.slice(1, 2, 4))},
                                             1);
    const torch::Tensor expected =
        torch::matmul(context, params["out_proj.weight"].t()) + params["out_proj.bias"];
    QVERIFY(torch::allclose(out.output[0], expected, 1e-5, 1e-6));
}

void tst_MultiheadAttention::gradientMatchesReference()
{
    // The same attention written with torch::softmax and autograd gives the same gradient.
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    const torch::Tensor x = torch::randn({2, 5, 8}).requires_grad_();
    const torch::Tensor r = torch::randn({2, 5, 8});
    (attention->forward(x, x, x).output * r).sum().backward();
    const torch::Tensor grad = x.grad().clone();
    x.mutable_grad().zero_();

    auto params = attention->named_parameters();
    const auto project = [&](const char *name) {
        const std::string p(name);
        return torch::nn::functional::linear(x, params[p + ".weight"], params[p + ".bias"])
            .view({2, 5, 2, 4})
            .transpose(1, 2);
    };
    const torch::Tensor weights = torch::softmax(
        torch::matmul(project("q_proj"), project("k_proj").transpose(-2, -1)) / 2.0, -1);
    const torch::Tensor context =
        torch::matmul(weights, project("v_proj")).transpose(1, 2).reshape({2, 5, 8});
    const torch::Tensor reference =
        torch::nn::functional::linear(context, params["out_proj.weight"], params["out_proj.bias"]);
    (reference * r).sum().backward();
    QVERIFY(torch::allclose(grad, x.grad(), 1e-4, 1e-6));
}

void tst_MultiheadAttention::captureOffReturnsNoWeights()
{
    MultiheadAttention attention(MultiheadAttentionOptions(8, 4));
    const torch::Tensor x = torch::randn({2, 6, 8});
    const AttentionOutput out = attention->forward(x, x, x);
    QVERIFY(out.output.defined());
    QVERIFY(!out.weights.defined());
    QVERIFY(!out.scores.defined());

    AttentionRequest request;
    request.needWeights = true;
    const AttentionOutput withWeights = attention->forward(x, x, x, request);
    QVERIFY(torch::equal(out.output, withWeights.output));
}

void tst_MultiheadAttention::prevScoresAreAdded()
{
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    const torch::Tensor x = torch::randn({2, 4, 8});
    AttentionRequest request;
    request.needScores = true;
    request.needWeights = true;
    const AttentionOutput first = attention->forward(x, x, x, request);
    QCOMPARE(first.scores.sizes().vec(), (std::vector<int64_t>{2, 2, 4, 4}));
    QVERIFY(torch::allclose(torch::softmax(first.scores, -1), first.weights));

    request.prevScores = first.scores;
    const AttentionOutput second = attention->forward(x, x, x, request);
    QVERIFY(torch::allclose(second.scores, 2 * first.scores, 1e-5, 1e-6));
    QVERIFY(torch::allclose(second.weights, torch::softmax(2 * first.scores, -1), 1e-5, 1e-6));
}

void tst_MultiheadAttention::keyPaddingMaskZeroesPaddedKeys()
{
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    const torch::Tensor x = torch::randn({2, 5, 8});
    torch::Tensor mask = torch::zeros({2, 5}, torch::kBool);
    mask[0][3] = true;
    mask[0][4] = true;
    AttentionRequest request;
    request.needWeights = true;
    request.keyPaddingMask = mask;
    const AttentionOutput out = attention->forward(x, x, x, request);
    QCOMPARE(out.weights[0].slice(2, 3, 5).abs().max().item<float>(), 0.0f);
    QVERIFY(torch::allclose(out.weights.sum(-1), torch::ones({2, 2, 5}), 1e-6, 1e-6));
    // The unpadded sample is unaffected.
    const AttentionOutput plain = attention->forward(x, x, x, {true, false, {}, {}});
    QVERIFY(torch::allclose(out.weights[1], plain.weights[1]));
    // Padded keys do not influence the output of sample 0.
    torch::Tensor changed = x.clone();
    changed[0].slice(0, 3, 5).normal_();
    const torch::Tensor k = changed, v = changed;
    const AttentionOutput other = attention->forward(x, k, v, request);
    QVERIFY(torch::allclose(other.output[0], out.output[0], 1e-5, 1e-6));
}

void tst_MultiheadAttention::causalIgnoresLaterSteps()
{
    // The output at step t does not change when the steps after t change; the weights are
    // lower triangular and rows sum to one.
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    const torch::Tensor x = torch::randn({2, 7, 8});
    AttentionRequest request;
    request.needWeights = true;
    request.causal = true;
    const AttentionOutput out = attention->forward(x, x, x, request);
    QVERIFY(torch::equal(out.weights.triu(1), torch::zeros_like(out.weights)));
    QVERIFY(torch::allclose(out.weights.sum(-1), torch::ones({2, 2, 7}), 1e-6, 1e-6));
    QCOMPARE(out.weights[0][1][0][0].item<float>(), 1.0f);
    for (int64_t t = 0; t < 6; ++t) {
        torch::Tensor changed = x.clone();
        changed.slice(1, t + 1).normal_();
        const AttentionOutput other = attention->forward(changed, changed, changed, request);
        QVERIFY(torch::allclose(other.output.slice(1, 0, t + 1), out.output.slice(1, 0, t + 1),
                                1e-5, 1e-6));
        QVERIFY(
            !torch::allclose(other.output.slice(1, t + 1), out.output.slice(1, t + 1), 1e-5, 1e-6));
    }
    // Without the mask the first step sees the later ones.
    const AttentionOutput plain = attention->forward(x, x, x);
    QVERIFY(!torch::allclose(plain.output.slice(1, 0, 1), out.output.slice(1, 0, 1), 1e-5, 1e-6));
    // Causal self-attention needs as many queries as keys.
    const torch::Tensor kv = torch::randn({2, 5, 8});
    QVERIFY_THROWS_EXCEPTION(c10::Error, attention->forward(x, kv, kv, request));
}

void tst_MultiheadAttention::rejectsIndivisibleHeads()
{
    QVERIFY_THROWS_EXCEPTION(c10::Error, MultiheadAttention(MultiheadAttentionOptions(10, 3)));
}

QTEST_GUILESS_MAIN(tst_MultiheadAttention)
#include "tst_multiheadattention.moc"
