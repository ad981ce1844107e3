#include "nn/PositionalEncoding.h"

#include <QTest>

#include <cmath>
#include <sstream>

using namespace twb;

class tst_PositionalEncoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sinusoidalTable_data();
    void sinusoidalTable();
    void sinusoidalIsBufferNotParameter();
    void sinusoidalNormalized();
    void learnableInitRange();
    void forwardAddsPrefix();
    void saveLoadKeepsTable();
    void tooLongSequenceThrows();
};

void tst_PositionalEncoding::sinusoidalTable_data()
{
    QTest::addColumn<int>("dModel");
    QTest::newRow("even width") << 8;
    QTest::newRow("odd width") << 7;
}

void tst_PositionalEncoding::sinusoidalTable()
{
    QFETCH(int, dModel);
    SinusoidalPositionalEncoding pe(PositionalEncodingOptions(20, dModel));
    const torch::Tensor table = pe->table();
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{20, dModel}));
    for (int t : {0, 1, 7, 19}) {
        for (int i = 0; i < dModel; ++i) {
            const double angle = t / std::pow(10000.0, double(i - i % 2) / dModel);
            const double expected = i % 2 == 0 ? std::sin(angle) : std::cos(angle);
            QVERIFY2(std::abs(table[t][i].item<double>() - expected) < 1e-5,
                     qPrintable(QStringLiteral("t %1 i %2").arg(t).arg(i)));
        }
    }
}

void tst_PositionalEncoding::sinusoidalIsBufferNotParameter()
{
    SinusoidalPositionalEncoding pe(PositionalEncodingOptions(10, 4));
    QVERIFY(pe->parameters().empty());
    QCOMPARE(pe->named_buffers().size(), std::size_t(1));
    QVERIFY(pe->named_buffers().contains("pe"));
}

void tst_PositionalEncoding::sinusoidalNormalized()
{
    SinusoidalPositionalEncoding pe(PositionalEncodingOptions(42, 16).normalize(true));
    QVERIFY(std::abs(pe->table().mean().item<double>()) < 1e-6);
    QVERIFY(std::abs(pe->table().std().item<double>() - 0.1) < 1e-5);
}

void tst_PositionalEncoding::learnableInitRange()
{
    torch::manual_seed(4);
    LearnablePositionalEncoding pe(PositionalEncodingOptions(64, 32));
    const torch::Tensor table = pe->table();
    QVERIFY(table.requires_grad());
    QCOMPARE(pe->named_parameters().size(), std::size_t(1));
    QVERIFY(table.min().item<float>() >= -0.02f);
    QVERIFY(table.max().item<float>() <= 0.02f);
    // Spread over the whole interval, not a constant.
    QVERIFY(table.max().item<float>() > 0.015f);
    QVERIFY(table.min().item<float>() < -0.015f);
}

void tst_PositionalEncoding::forwardAddsPrefix()
{
    SinusoidalPositionalEncoding sinusoidal(PositionalEncodingOptions(10, 4));
    LearnablePositionalEncoding learnable(PositionalEncodingOptions(10, 4));
    const torch::Tensor x = torch::randn({2, 6, 4});
    QVERIFY(torch::allclose(sinusoidal(x), x + sinusoidal->table().slice(0, 0, 6)));
    QVERIFY(torch::allclose(learnable(x), x + learnable->table().slice(0, 0, 6)));
}

void tst_PositionalEncoding::saveLoadKeepsTable()
{
    torch::manual_seed(5);
    LearnablePositionalEncoding a(PositionalEncodingOptions(8, 4));
    std::stringstream stream;
    torch::save(a, stream);
    torch::manual_seed(6);
    LearnablePositionalEncoding b(PositionalEncodingOptions(8, 4));
    QVERIFY(!torch::equal(a->table(), b->table()));
    torch::load(b, stream);
    QVERIFY(torch::equal(a->table(), b->table()));
}

void tst_PositionalEncoding::tooLongSequenceThrows()
{
    LearnablePositionalEncoding pe(PositionalEncodingOptions(4, 2));
    QVERIFY_THROWS_EXCEPTION(c10::Error, pe(torch::zeros({1, 5, 2})));
    QVERIFY_THROWS_EXCEPTION(c10::Error, pe(torch::zeros({1, 3, 3})));
}

QTEST_GUILESS_MAIN(tst_PositionalEncoding)
#include "tst_positionalencoding.moc"
