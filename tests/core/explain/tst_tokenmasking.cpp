// The token -> input mapping of PatchTST, iTransformer and AST (their tokens() as made by the
// plugins) and the what-if masking: exactly the covered input changes, nothing else.

#include "ExplainTestSupport.h"
#include "explain/InputMasking.h"

#include <QtTest>

using namespace twb;
using namespace twb::explain;
using torch::indexing::Slice;

namespace {

/// Inputs far from 0 so that every masked entry visibly changes.
torch::Tensor input(std::int64_t time, std::int64_t channels)
{
    return torch::rand({1, time, channels}) + 5.0;
}

/// A [1, time, channels] bool map of the entries that differ.
torch::Tensor changed(const torch::Tensor &a, const torch::Tensor &b)
{
    return a.ne(b);
}

} // namespace

class tst_TokenMasking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(5); }
    void patchTSTPatchCoversItsRows();
    void maskedPatchIsExactlyTheModelsPatch();
    void iTransformerVariateIsItsChannel();
    void astTileIsFramesTimesBins();
    void severalTokensAndEdgeCases();

private:
    std::shared_ptr<Model> model(const QString &id, const ModelSpec &spec, const QVariantMap &v)
    {
        QString error;
        std::shared_ptr<Model> m = test::makeModel(id, spec, v, &error);
        if (!m)
            qWarning("%s", qPrintable(error));
        return m;
    }
};

void tst_TokenMasking::patchTSTPatchCoversItsRows()
{
    std::shared_ptr<Model> m =
        model(QStringLiteral("patchtst"), test::forecastSpec(32, 8, {"a", "b", "c"}),
              test::tinyPatchTST());
    QVERIFY(m);
    const std::vector<TokenInfo> tokens = m->tokens();
    QCOMPARE(tokens.size(), std::size_t(8));
    const torch::Tensor x = input(32, 3);
    for (int i = 0; i < 8; ++i) {
        // Patch i covers rows [i*stride, i*stride + len) = [4i, 4i + 8), cut at 32.
        const std::int64_t begin = 4 * i, end = std::min<std::int64_t>(4 * i + 8, 32);
        QCOMPARE(tokens[std::size_t(i)].kind, TokenInfo::Kind::TimeRange);
        QCOMPARE(tokens[std::size_t(i)].begin, begin);
        QCOMPARE(tokens[std::size_t(i)].end, end);
        // Channel 1 only (the channel whose attention is shown).
        const torch::Tensor masked = maskTokens(x, tokens, {i}, 0.0f, 1);
        torch::Tensor expected = torch::zeros({1, 32, 3}, torch::kBool);
        expected.index_put_({0, Slice(begin, end), 1}, true);
        QVERIFY2(torch::equal(changed(x, masked), expected), qPrintable(QString::number(i)));
        QCOMPARE(masked.index({0, Slice(begin, end), 1}).abs().sum().item<float>(), 0.0f);
        // Without a channel: the rows of every channel.
        expected.index_put_({0, Slice(begin, end), Slice()}, true);
        QVERIFY(torch::equal(changed(x, maskTokens(x, tokens, {i})), expected));
    }
    QVERIFY(x.min().item<float>() >= 5.0f); // the input itself is untouched
}

void tst_TokenMasking::maskedPatchIsExactlyTheModelsPatch()
{
    // Without RevIN the "patches" stage [1, M, N, P] holds the input values themselves: masking
    // token 3 of channel 2 zeroes exactly patch 3 of channel 2; patches that do not overlap
    // rows [12, 20) and every other channel are unchanged.
    QVariantMap values = test::tinyPatchTST();
    values.insert(QStringLiteral("revin"), false);
    std::shared_ptr<Model> m =
        model(QStringLiteral("patchtst"), test::forecastSpec(32, 8, {"a", "b", "c"}), values);
    QVERIFY(m);
    const torch::Tensor x = input(32, 3);
    const torch::Tensor masked = maskTokens(x, m->tokens(), {3}, 0.0f, 2);
    torch::NoGradGuard noGrad;
    const auto patches = [&](const torch::Tensor &in) {
        for (const NamedTensor &t : m->forward(in, ForwardOptions{false, true}).intermediates)
            if (t.name == "patches")
                return t.value;
        return torch::Tensor();
    };
    const torch::Tensor before = patches(x), after = patches(masked);
    QCOMPARE(after.sizes().vec(), (std::vector<std::int64_t>{1, 3, 8, 8}));
    QCOMPARE(after[0][2][3].abs().sum().item<float>(), 0.0f);
    QVERIFY(torch::equal(before.index({0, Slice(0, 2)}), after.index({0, Slice(0, 2)})));
    // Patch j covers [4j, 4j + 8): patches 0, 1 and 5..7 of channel 2 do not touch rows
    // [12, 20): equal. Patches 2 ([8, 16)) and 4 ([16, 24)) overlap: partly zero.
    for (int j : {0, 1, 5, 6, 7})
        QVERIFY2(torch::equal(before[0][2][j], after[0][2][j]), qPrintable(QString::number(j)));
    for (int j : {2, 4})
        QVERIFY(!torch::equal(before[0][2][j], after[0][2][j]));
}

void tst_TokenMasking::iTransformerVariateIsItsChannel()
{
    std::shared_ptr<Model> m =
        model(QStringLiteral("itransformer"), test::forecastSpec(24, 6, {"HUFL", "MULL", "OT"}),
              {{"d_model", 16}, {"n_heads", 2}, {"d_ff", 32}, {"e_layers", 1}, {"dropout", 0.0}});
    QVERIFY(m);
    const std::vector<TokenInfo> tokens = m->tokens();
    QCOMPARE(tokens.size(), std::size_t(3));
    const char *names[] = {"HUFL", "MULL", "OT"};
    const torch::Tensor x = input(24, 3);
    for (int c = 0; c < 3; ++c) {
        QCOMPARE(tokens[std::size_t(c)].kind, TokenInfo::Kind::Variate);
        QCOMPARE(tokens[std::size_t(c)].channel, std::int64_t(c));
        QCOMPARE(tokens[std::size_t(c)].label, std::string(names[c]));
        const torch::Tensor masked = maskTokens(x, tokens, {c}, -1.5f);
        torch::Tensor expected = torch::zeros({1, 24, 3}, torch::kBool);
        expected.index_put_({0, Slice(), c}, true);
        QVERIFY(torch::equal(changed(x, masked), expected));
        QCOMPARE(masked.index({0, Slice(), c}).sum().item<float>(), -1.5f * 24);
    }
}

void tst_TokenMasking::astTileIsFramesTimesBins()
{
    // 40 frames x 24 mel bins, tiles 8 x 8 with stride 8: (24-8)/8+1 = 3 frequency x
    // (40-8)/8+1 = 5 time tiles, after CLS and DIST: token 2 + f*5 + t covers frames
    // [8t, 8t+8) x bins [8f, 8f+8).
    ModelSpec spec;
    spec.task = Task::Classify;
    spec.lookback = 40;
    spec.channels = 24;
    spec.numClasses = 3;
    std::shared_ptr<Model> m = model(QStringLiteral("ast"), spec,
                                     {{"d_model", 16},
                                      {"n_heads", 2},
                                      {"num_layers", 1},
                                      {"patch_size", 8},
                                      {"fstride", 8},
                                      {"tstride", 8},
                                      {"dropout", 0.0}});
    QVERIFY(m);
    const std::vector<TokenInfo> tokens = m->tokens();
    QCOMPARE(tokens.size(), std::size_t(17));
    QCOMPARE(tokens[0].kind, TokenInfo::Kind::Special);
    QCOMPARE(tokens[1].kind, TokenInfo::Kind::Special);
    const torch::Tensor x = input(40, 24);
    for (int f = 0; f < 3; ++f)
        for (int t = 0; t < 5; ++t) {
            const int i = 2 + f * 5 + t;
            const TokenInfo &tile = tokens[std::size_t(i)];
            QCOMPARE(tile.kind, TokenInfo::Kind::Tile);
            QCOMPARE(tile.begin, std::int64_t(8 * t));
            QCOMPARE(tile.end, std::int64_t(8 * t + 8));
            QCOMPARE(tile.freqBegin, std::int64_t(8 * f));
            QCOMPARE(tile.freqEnd, std::int64_t(8 * f + 8));
            torch::Tensor expected = torch::zeros({1, 40, 24}, torch::kBool);
            expected.index_put_({0, Slice(8 * t, 8 * t + 8), Slice(8 * f, 8 * f + 8)}, true);
            QVERIFY(torch::equal(changed(x, maskTokens(x, tokens, {i})), expected));
        }
    // CLS covers no input.
    QVERIFY(torch::equal(maskTokens(x, tokens, {0, 1}), x));
}

void tst_TokenMasking::severalTokensAndEdgeCases()
{
    std::vector<TokenInfo> tokens(3);
    tokens[0] = {TokenInfo::Kind::TimeRange, "r", 2, 4, -1, 0, 0};
    tokens[1] = {TokenInfo::Kind::TimeStep, "s", 9, 10, -1, 0, 0};
    tokens[2] = {TokenInfo::Kind::Tile, "t", 8, 20, -1, 1, 9}; // past the end: clipped
    const torch::Tensor x = torch::ones({10, 3});              // 2-D input
    const torch::Tensor masked = maskTokens(x, tokens, {0, 1, 2, 7, -1}, 0.0f);
    torch::Tensor expected = torch::ones({10, 3});
    expected.index_put_({Slice(2, 4), Slice()}, 0.0f);
    expected.index_put_({9, Slice()}, 0.0f);
    expected.index_put_({Slice(8, 10), Slice(1, 3)}, 0.0f);
    QVERIFY(torch::equal(masked, expected));
    QVERIFY(torch::equal(maskTokens(x, tokens, {}), x));
}

QTEST_GUILESS_MAIN(tst_TokenMasking)
#include "tst_tokenmasking.moc"
