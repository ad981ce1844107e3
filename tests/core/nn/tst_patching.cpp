#include "nn/Patching.h"

#include <QTest>

using namespace twb;

class tst_Patching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void patchCount_data();
    void patchCount();
    void patchValues();
    void tokenRanges();
    void tokensWithStrideLongerThanPatch();
    void tooShortSeriesThrows();
};

void tst_Patching::patchCount_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("patchLength");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("expected");
    QTest::newRow("PatchTST/42: L336 P16 S8") << 336 << 16 << 8 << 42;
    QTest::newRow("PatchTST/64: L512 P16 S8") << 512 << 16 << 8 << 64;
    QTest::newRow("self-supervised: L512 P12 S12") << 512 << 12 << 12 << 43;
    QTest::newRow("L equals P") << 16 << 16 << 8 << 2;
    QTest::newRow("L96 P16 S8") << 96 << 16 << 8 << 12;
}

void tst_Patching::patchCount()
{
    QFETCH(int, length);
    QFETCH(int, patchLength);
    QFETCH(int, stride);
    QFETCH(int, expected);
    Patching patching(PatchingOptions(patchLength, stride));
    QCOMPARE(patching->numPatches(length), int64_t(expected));
    const torch::Tensor patches = patching(torch::randn({3, length}));
    QCOMPARE(patches.sizes().vec(), (std::vector<int64_t>{3, expected, patchLength}));
    QCOMPARE(int64_t(patching->tokens(length).size()), int64_t(expected));
}

void tst_Patching::patchValues()
{
    // [2, 3, 10] series 0..9 (+100 per row): P = 4, S = 3 -> N = floor(6 / 3) + 2 = 4.
    const torch::Tensor x = torch::arange(10, torch::kFloat32).view({1, 1, 10}) +
                            torch::arange(6, torch::kFloat32).view({2, 3, 1}) * 100;
    const torch::Tensor patches = Patching(PatchingOptions(4, 3))(x);
    QCOMPARE(patches.sizes().vec(), (std::vector<int64_t>{2, 3, 4, 4}));
    const std::vector<std::vector<float>> expected{
        {0, 1, 2, 3}, {3, 4, 5, 6}, {6, 7, 8, 9}, {9, 9, 9, 9}}; // last: end padding
    for (int64_t row = 0; row < 6; ++row) {
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const torch::Tensor want = torch::tensor(expected[i]) + float(row * 100);
            QVERIFY(torch::equal(patches[row / 3][row % 3][int64_t(i)], want));
        }
    }
}

void tst_Patching::tokenRanges()
{
    const std::vector<TokenInfo> tokens = Patching(PatchingOptions(16, 8))->tokens(336);
    QCOMPARE(tokens.size(), std::size_t(42));
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        QCOMPARE(tokens[i].kind, TokenInfo::Kind::TimeRange);
        QCOMPARE(tokens[i].begin, int64_t(i) * 8);
        QCOMPARE(tokens[i].end, std::min<int64_t>(int64_t(i) * 8 + 16, 336));
        QCOMPARE(tokens[i].channel, int64_t(-1));
    }
    QCOMPARE(tokens[3].label, std::string("patch 3: t[24,40)"));
    QCOMPARE(tokens[40].label, std::string("patch 40: t[320,336)"));
    QCOMPARE(tokens[41].label, std::string("patch 41: t[328,336)"));
}

void tst_Patching::tokensWithStrideLongerThanPatch()
{
    // P = 2, S = 5, L = 4: N = 2; patch 1 lies wholly in the padding (repeats sample 3).
    Patching patching(PatchingOptions(2, 5));
    const std::vector<TokenInfo> tokens = patching->tokens(4);
    QCOMPARE(tokens.size(), std::size_t(2));
    QCOMPARE(tokens[1].begin, int64_t(3));
    QCOMPARE(tokens[1].end, int64_t(4));
    const torch::Tensor patches = patching(torch::arange(4, torch::kFloat32).view({1, 4}));
    QVERIFY(torch::equal(patches[0][1], torch::tensor({3.0f, 3.0f})));
}

void tst_Patching::tooShortSeriesThrows()
{
    Patching patching(PatchingOptions(16, 8));
    QCOMPARE(patching->numPatches(10), int64_t(0));
    QVERIFY(patching->tokens(10).empty());
    QVERIFY_THROWS_EXCEPTION(c10::Error, patching(torch::zeros({2, 10})));
}

QTEST_GUILESS_MAIN(tst_Patching)
#include "tst_patching.moc"
