#include "nn/MultiheadAttention.h"
#include "nn/ProbSparseAttention.h"

#include <QTest>

#include <algorithm>
#include <functional>

using namespace twb;

class tst_ProbSparseAttention : public QObject
{
    Q_OBJECT

private:
    /// A full attention with `sparse`'s parameters (the names are the same).
    static MultiheadAttention fullTwin(ProbSparseAttention &sparse);
    /// V = value Wv^T + bv of `attention`, split into heads: [B, heads, T, dk].
    static torch::Tensor values(ProbSparseAttentionImpl &attention, const torch::Tensor &value);
    /// Makes the output projection the identity, so that the output is the heads' contexts.
    static void identityOutput(ProbSparseAttentionImpl &attention);

private Q_SLOTS:
    void init() { torch::manual_seed(5); }
    void sampleCounts();
    void allActiveEqualsFullAttention();
    void allActiveCausalEqualsCausalFullAttention();
    void lazyQueriesGetMeanOfValues();
    void lazyCausalQueriesGetCumulativeSum();
    void activeQueriesHaveLargestSparsity();
    void seedReproduces();
    void mixHeadsViewsHeadMajorMemory();
    void headMask();
    void gradientsReachProjections();
    void rejectsUnsupportedRequests();
};

MultiheadAttention tst_ProbSparseAttention::fullTwin(ProbSparseAttention &sparse)
{
    MultiheadAttention full(
        MultiheadAttentionOptions(sparse->options().dModel(), sparse->options().numHeads()));
    torch::NoGradGuard noGrad;
    const auto source = sparse->named_parameters();
    for (auto &p : full->named_parameters())
        p.value().copy_(source[p.key()]);
    return full;
}

torch::Tensor tst_ProbSparseAttention::values(ProbSparseAttentionImpl &attention,
                                              const torch::Tensor &value)
{
    const auto params = attention.named_parameters();
    const int64_t heads = attention.options().numHeads();
    const int64_t d = attention.options().dModel();
    return (torch::matmul(value, params["v_proj.weight"].t()) + params["v_proj.bias"])
        .view({value.size(0), value.size(1), heads, d / heads})
        .transpose(1, 2);
}

void tst_ProbSparseAttention::identityOutput(ProbSparseAttentionImpl &attention)
{
    torch::NoGradGuard noGrad;
    auto params = attention.named_parameters();
    params["out_proj.weight"].copy_(torch::eye(attention.options().dModel()));
    params["out_proj.bias"].zero_();
}

void tst_ProbSparseAttention::sampleCounts()
{
    // factor * ceil(ln L), at most L: the ETTh1 settings (factor 3) give 15 of 96, 12 of 48.
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(3, 96), int64_t(15));
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(3, 48), int64_t(12));
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(5, 96), int64_t(25));
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(3, 144), int64_t(15));
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(100, 20), int64_t(20));
    QCOMPARE(ProbSparseAttentionImpl::sampleCount(3, 1), int64_t(1));
}

void tst_ProbSparseAttention::allActiveEqualsFullAttention()
{
    // A factor large enough that every query is active (u = Tq): full attention, whatever keys
    // were sampled. Cross-attention shapes (Tq != Tk) too.
    ProbSparseAttention sparse(ProbSparseAttentionOptions(16, 4).factor(100));
    MultiheadAttention full = fullTwin(sparse);
    const torch::Tensor q = torch::randn({3, 12, 16});
    const torch::Tensor kv = torch::randn({3, 9, 16});
    AttentionRequest request;
    request.needWeights = true;
    const ProbSparseOutput a = sparse->forward(q, kv, kv, request);
    const AttentionOutput b = full->forward(q, kv, kv, request);
    QVERIFY(torch::allclose(a.output, b.output, 1e-5, 1e-6));
    QVERIFY(torch::allclose(a.weights, b.weights, 1e-5, 1e-6));
    QCOMPARE(a.activeQueries.sizes().vec(), (std::vector<int64_t>{3, 4, 12}));
    QVERIFY(torch::equal(a.activeQueries[1][2], torch::arange(12, torch::kLong)));
}

void tst_ProbSparseAttention::allActiveCausalEqualsCausalFullAttention()
{
    ProbSparseAttention sparse(ProbSparseAttentionOptions(16, 2).factor(100));
    MultiheadAttention full = fullTwin(sparse);
    const torch::Tensor x = torch::randn({2, 10, 16});
    AttentionRequest request;
    request.needWeights = true;
    request.causal = true;
    const ProbSparseOutput a = sparse->forward(x, x, x, request);
    const AttentionOutput b = full->forward(x, x, x, request);
    QVERIFY(torch::allclose(a.output, b.output, 1e-5, 1e-6));
    QVERIFY(torch::allclose(a.weights, b.weights, 1e-5, 1e-6));
    QVERIFY(torch::equal(a.weights.triu(1), torch::zeros_like(a.weights)));
}

void tst_ProbSparseAttention::lazyQueriesGetMeanOfValues()
{
    // Tq = Tk = 20, factor 1: ceil(ln 20) = 3 active queries, 17 lazy ones whose context is
    // the mean of V over all keys, with uniform weights 1/20.
    ProbSparseAttention attention(ProbSparseAttentionOptions(8, 2).factor(1));
    identityOutput(*attention);
    const torch::Tensor x = torch::randn({2, 20, 8});
    AttentionRequest request;
    request.needWeights = true;
    const ProbSparseOutput out = attention->forward(x, x, x, request);
    QCOMPARE(out.activeQueries.sizes().vec(), (std::vector<int64_t>{2, 2, 3}));
    const torch::Tensor v = values(*attention, x); // [2, 2, 20, 4]
    const torch::Tensor context = out.output.view({2, 20, 2, 4}).transpose(1, 2);
    int lazyRows = 0;
    for (int b = 0; b < 2; ++b) {
        for (int h = 0; h < 2; ++h) {
            const torch::Tensor active = out.activeQueries[b][h];
            for (int t = 0; t < 20; ++t) {
                if ((active == t).any().item<bool>()) {
                    QVERIFY(torch::allclose(out.weights[b][h][t].sum(), torch::tensor(1.0f)));
                    continue;
                }
                ++lazyRows;
                QVERIFY(torch::allclose(context[b][h][t], v[b][h].mean(0), 1e-5, 1e-6));
                QVERIFY(torch::allclose(out.weights[b][h][t], torch::full({20}, 0.05f)));
            }
        }
    }
    QCOMPARE(lazyRows, 2 * 2 * 17);
}

void tst_ProbSparseAttention::lazyCausalQueriesGetCumulativeSum()
{
    // Causal: a lazy query t gets the sum (the official cumsum, not a mean) of V over keys
    // 0..t; its weights are 1 on those keys. An active query attends to keys 0..t only.
    ProbSparseAttention attention(ProbSparseAttentionOptions(8, 2).factor(1));
    identityOutput(*attention);
    const torch::Tensor x = torch::randn({1, 12, 8});
    AttentionRequest request;
    request.needWeights = true;
    request.causal = true;
    const ProbSparseOutput out = attention->forward(x, x, x, request);
    const torch::Tensor v = values(*attention, x);
    const torch::Tensor context = out.output.view({1, 12, 2, 4}).transpose(1, 2);
    for (int h = 0; h < 2; ++h) {
        const torch::Tensor active = out.activeQueries[0][h];
        for (int t = 0; t < 12; ++t) {
            const torch::Tensor row = out.weights[0][h][t];
            QVERIFY(torch::equal(row.slice(0, t + 1), torch::zeros({11 - t})));
            if ((active == t).any().item<bool>()) {
                QVERIFY(torch::allclose(row.sum(), torch::tensor(1.0f)));
                continue;
            }
            const torch::Tensor sum = v[0][h].slice(0, 0, t + 1).sum(0);
            QVERIFY(torch::allclose(context[0][h][t], sum, 1e-5, 1e-5));
            QVERIFY(torch::equal(row.slice(0, 0, t + 1), torch::ones({t + 1})));
        }
    }
}

void tst_ProbSparseAttention::activeQueriesHaveLargestSparsity()
{
    // Redraw the same key sample (the forward's first random draw) and compute M by hand.
    ProbSparseAttention attention(ProbSparseAttentionOptions(8, 2).factor(2));
    const torch::Tensor x = torch::randn({2, 30, 8});
    AttentionRequest request;
    request.needWeights = true;
    torch::manual_seed(123);
    const ProbSparseOutput out = attention->forward(x, x, x, request);
    torch::manual_seed(123);
    const int64_t sampled = ProbSparseAttentionImpl::sampleCount(2, 30); // 8
    const torch::Tensor sample = torch::randint(30, {30, sampled}, torch::kLong);
    const auto params = attention->named_parameters();
    const auto heads = [&](const char *w, const char *b) {
        return (torch::matmul(x, params[w].t()) + params[b]).view({2, 30, 2, 4}).transpose(1, 2);
    };
    const torch::Tensor q = heads("q_proj.weight", "q_proj.bias");
    const torch::Tensor k = heads("k_proj.weight", "k_proj.bias");
    for (int b = 0; b < 2; ++b) {
        for (int h = 0; h < 2; ++h) {
            std::vector<std::pair<float, int64_t>> m;
            for (int64_t t = 0; t < 30; ++t) {
                const torch::Tensor s =
                    torch::matmul(k[b][h].index_select(0, sample[t]), q[b][h][t]);
                m.emplace_back(s.max().item<float>() - s.sum().item<float>() / 30.0f, t);
            }
            std::sort(m.begin(), m.end(), std::greater<>());
            std::vector<int64_t> expected;
            for (int64_t i = 0; i < out.activeQueries.size(-1); ++i)
                expected.push_back(m[std::size_t(i)].second);
            std::sort(expected.begin(), expected.end());
            const torch::Tensor got = out.activeQueries[b][h];
            QCOMPARE(std::vector<int64_t>(got.data_ptr<int64_t>(),
                                          got.data_ptr<int64_t>() + got.numel()),
                     expected);
        }
    }
}

void tst_ProbSparseAttention::seedReproduces()
{
    ProbSparseAttention attention(ProbSparseAttentionOptions(16, 4).factor(1));
    const torch::Tensor x = torch::randn({2, 40, 16});
    torch::manual_seed(3);
    const torch::Tensor a = attention->forward(x, x, x).output;
    torch::manual_seed(3);
    const torch::Tensor b = attention->forward(x, x, x).output;
    QVERIFY(torch::equal(a, b));
}

void tst_ProbSparseAttention::mixHeadsViewsHeadMajorMemory()
{
    // With every query active, mixing = full attention's per-head contexts [B, heads, T, dk]
    // viewed as [B, T, heads * dk], then the output projection.
    ProbSparseAttention sparse(ProbSparseAttentionOptions(8, 2).factor(100).mixHeads(true));
    identityOutput(*sparse);
    const torch::Tensor x = torch::randn({2, 6, 8});
    AttentionRequest request;
    request.needWeights = true;
    const ProbSparseOutput out = sparse->forward(x, x, x, request);
    const torch::Tensor perHead = torch::matmul(out.weights, values(*sparse, x)); // [2,2,6,4]
    QVERIFY(torch::allclose(out.output, perHead.contiguous().view({2, 6, 8}), 1e-5, 1e-6));
    QVERIFY(!torch::allclose(out.output, perHead.transpose(1, 2).reshape({2, 6, 8}), 1e-5, 1e-6));
}

void tst_ProbSparseAttention::headMask()
{
    ProbSparseAttention attention(ProbSparseAttentionOptions(16, 4).factor(2));
    const torch::Tensor x = torch::randn({2, 24, 16});
    const auto run = [&] {
        torch::manual_seed(8);
        return attention->forward(x, x, x).output;
    };
    const torch::Tensor plain = run();
    QCOMPARE(attention->headCount(), int64_t(4));
    attention->setHeadMask(torch::ones({4}));
    QVERIFY(torch::equal(run(), plain));
    attention->setHeadMask(torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}));
    QVERIFY(!torch::allclose(run(), plain, 1e-5, 1e-6));
    attention->setHeadMask({});
    QVERIFY(torch::equal(run(), plain));
    QVERIFY_THROWS_EXCEPTION(c10::Error, attention->setHeadMask(torch::ones({3})));
}

void tst_ProbSparseAttention::gradientsReachProjections()
{
    ProbSparseAttention attention(ProbSparseAttentionOptions(8, 2).factor(1));
    const torch::Tensor x = torch::randn({2, 16, 8}).requires_grad_();
    AttentionRequest request;
    request.causal = true;
    attention->forward(x, x, x, request).output.pow(2).sum().backward();
    for (const auto &p : attention->named_parameters())
        QVERIFY2(p.value().grad().defined() && p.value().grad().abs().sum().item<float>() > 0,
                 p.key().c_str());
    QVERIFY(torch::isfinite(x.grad()).all().item<bool>());
}

void tst_ProbSparseAttention::rejectsUnsupportedRequests()
{
    ProbSparseAttention attention(ProbSparseAttentionOptions(8, 2));
    const torch::Tensor q = torch::randn({1, 5, 8});
    const torch::Tensor kv = torch::randn({1, 7, 8});
    AttentionRequest causal;
    causal.causal = true;
    QVERIFY_THROWS_EXCEPTION(c10::Error, attention->forward(q, kv, kv, causal));
    AttentionRequest padding;
    padding.keyPaddingMask = torch::zeros({1, 7}, torch::kBool);
    QVERIFY_THROWS_EXCEPTION(c10::Error, attention->forward(q, kv, kv, padding));
    QVERIFY_THROWS_EXCEPTION(c10::Error, ProbSparseAttention(ProbSparseAttentionOptions(10, 3)));
}

QTEST_GUILESS_MAIN(tst_ProbSparseAttention)
#include "tst_probsparseattention.moc"
