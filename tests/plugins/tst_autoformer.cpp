#include "Autoformer.h"
#include "ModelTestSupport.h"

#include <QTest>

using namespace twb;

class tst_Autoformer : public QObject
{
    Q_OBJECT

private:
    /// d 16, 4 heads, d_ff 32, 2 + 1 layers, label_len 16, factor 1, moving_avg 5, no dropout,
    /// on test::tinyForecastSpec (L 32, H 8, 3 channels).
    static AutoformerOptions tiny(std::int64_t markFeatures = 4);

private Q_SLOTS:
    void init() { torch::manual_seed(41); }
    void defaultsAreEtth1Settings();
    void outputShapesWithAndWithoutMarks() { test::checkMarksOptional<Autoformer>(tiny()); }
    void embedNoneNeverReadsMarks() { test::checkIgnoresMarks<Autoformer>(tiny()); }
    void tokensAreTimeSteps() { test::checkStepTokens(Autoformer(tiny()), 2); }
    void mechanismsOnlyWhenCaptured();
    void intermediates() { test::checkDecompositionIntermediates<Autoformer>(tiny()); }
    void headMask();
    void overfitsTinyBatch() { test::checkOverfitsTinyBatch<Autoformer>(tiny(), 300, 3e-3, 0.2); }
    void saveLoadRoundTrip() { test::checkSaveLoadRoundTrip<Autoformer>(tiny()); }
    void sameSeedSameModel() { test::checkSameSeedSameModel<Autoformer>(tiny()); }
    void validation();
    void etth1ParameterCount()
    {
        test::checkParameterCount<Autoformer>(AutoformerOptions(test::etth1Spec()), 10535943);
    }
};

AutoformerOptions tst_Autoformer::tiny(std::int64_t markFeatures)
{
    return AutoformerOptions(test::tinyForecastSpec(markFeatures))
        .encoder({.dModel = 16, .numHeads = 4, .dFF = 32, .numLayers = 2, .dropout = 0.0})
        .labelLen(16)
        .factor(1.0)
        .movingAvg(5);
}

void tst_Autoformer::defaultsAreEtth1Settings()
{
    const AutoformerOptions o(test::tinyForecastSpec());
    test::checkTimeSeriesLibraryDefaults(o);
    QCOMPARE(o.factor(), 3.0);
    QCOMPARE(o.movingAvg(), int64_t(25));
}

void tst_Autoformer::mechanismsOnlyWhenCaptured()
{
    Autoformer model(tiny());
    std::map<std::string, torch::Tensor> byName;
    test::checkMechanismsWithoutAttention(*model, test::tinyForecastSpec(), byName);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(byName.size(), std::size_t(4 * 3));
    // Encoder: L 32, k = int(ln 32) = 3; decoder: T 24, k = int(ln 24) = 3.
    QCOMPARE(byName["encoder_layer_0/autocorrelation"].sizes().vec(),
             (std::vector<int64_t>{2, 4, 32}));
    QCOMPARE(byName["encoder_layer_1/delays"].sizes().vec(), (std::vector<int64_t>{2, 3}));
    QCOMPARE(byName["encoder_layer_1/delays"].scalar_type(), torch::kLong);
    QCOMPARE(byName["encoder_layer_1/delay_weights"].sizes().vec(), (std::vector<int64_t>{2, 3}));
    QCOMPARE(byName["decoder_layer_0/self/autocorrelation"].sizes().vec(),
             (std::vector<int64_t>{2, 4, 24}));
    QCOMPARE(byName["decoder_layer_0/cross/delays"].sizes().vec(), (std::vector<int64_t>{2, 3}));
}

void tst_Autoformer::headMask()
{
    Autoformer model(tiny());
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(2 + 2 * 1)); // encoder self x 2, decoder self + cross
    // The first layer's second head.
    test::checkHeadMasks(*model, {layers[0]}, torch::randn({2, 32, 3}), {},
                         torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}), 1e-5, 1e-8);
}

void tst_Autoformer::validation()
{
    test::checkEncoderDecoderValidation<Autoformer>(tiny());
    QVERIFY(test::invalidReason(tiny().movingAvg(4)).contains(QLatin1String("moving_avg")));
    QVERIFY(test::invalidReason(tiny().factor(0.0)).contains(QLatin1String("factor")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, Autoformer{tiny().movingAvg(4)});
}

QTEST_GUILESS_MAIN(tst_Autoformer)
#include "tst_autoformer.moc"
