#include "FEDformer.h"
#include "ModelTestSupport.h"

#include <QTest>

using namespace twb;

class tst_FEDformer : public QObject
{
    Q_OBJECT

private:
    /// d 16, 4 heads, d_ff 32, 2 + 1 layers, label_len 16, 4 random modes, moving_avg 5, no
    /// dropout, on test::tinyForecastSpec (L 32, H 8, 3 channels).
    static FEDformerOptions tiny(std::int64_t markFeatures = 4);

private Q_SLOTS:
    void init() { torch::manual_seed(41); }
    void defaultsAreEtth1Settings();
    void outputShapesWithAndWithoutMarks();
    void embedNoneNeverReadsMarks() { test::checkIgnoresMarks<FEDformer>(tiny()); }
    void tokensAreTimeSteps() { test::checkStepTokens(FEDformer(tiny()), 2); }
    void mechanismsOnlyWhenCaptured();
    void intermediates() { test::checkDecompositionIntermediates<FEDformer>(tiny()); }
    void headMask();
    void overfitsTinyBatch() { test::checkOverfitsTinyBatch<FEDformer>(tiny(), 300, 3e-3, 0.2); }
    void saveLoadRoundTrip() { test::checkSaveLoadRoundTrip<FEDformer>(tiny()); }
    void sameSeedSameModel() { test::checkSameSeedSameModel<FEDformer>(tiny()); }
    void validation();
    void officialLayoutKeepsTheParameters();
    void etth1ParameterCount()
    {
        test::checkParameterCount<FEDformer>(FEDformerOptions(test::etth1Spec()), 17085959);
    }
};

FEDformerOptions tst_FEDformer::tiny(std::int64_t markFeatures)
{
    return FEDformerOptions(test::tinyForecastSpec(markFeatures))
        .encoder({.dModel = 16, .numHeads = 4, .dFF = 32, .numLayers = 2, .dropout = 0.0})
        .labelLen(16)
        .modes(4)
        .movingAvg(5);
}

void tst_FEDformer::defaultsAreEtth1Settings()
{
    const FEDformerOptions o(test::tinyForecastSpec());
    test::checkTimeSeriesLibraryDefaults(o);
    QCOMPARE(o.modes(), int64_t(32));
    QCOMPARE(o.modeSelect(), ModeSelect::Random);
    QCOMPARE(o.movingAvg(), int64_t(25));
    QVERIFY(!o.officialLayout());
}

void tst_FEDformer::officialLayoutKeepsTheParameters()
{
    // The same weights and modes; only the order in which the blocks pass their output on
    // differs, so the forecast does too.
    torch::manual_seed(8);
    FEDformer timeFirst(tiny());
    torch::manual_seed(8);
    FEDformer official(tiny().officialLayout(true));
    const auto a = timeFirst->named_parameters();
    const auto b = official->named_parameters();
    QCOMPARE(a.size(), b.size());
    for (const auto &item : a)
        QVERIFY2(torch::equal(item.value(), b[item.key()]), item.key().c_str());
    timeFirst->eval();
    official->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    QVERIFY(!torch::allclose(timeFirst->forward(x).prediction, official->forward(x).prediction));
}

void tst_FEDformer::outputShapesWithAndWithoutMarks()
{
    test::checkMarksOptional<FEDformer>(tiny());
    FEDformer model(tiny());
    const auto params = model->named_parameters();
    QVERIFY(params.contains("encoder_layers.0.attention.inner_correlation.weight_real"));
    QVERIFY(!params.contains("encoder_layers.0.attention.key_projection.weight"));
    QVERIFY(params.contains("decoder_layers.0.cross_attention.key_projection.weight"));
    QVERIFY(model->named_buffers().contains("decoder_layers.0.cross_attention.inner_correlation."
                                            "query_modes"));
}

void tst_FEDformer::mechanismsOnlyWhenCaptured()
{
    FEDformer model(tiny());
    std::map<std::string, torch::Tensor> byName;
    test::checkMechanismsWithoutAttention(*model, test::tinyForecastSpec(), byName);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(byName.size(), std::size_t(2 * 2 + 2 + 4));
    QCOMPARE(byName["encoder_layer_0/modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QCOMPARE(byName["encoder_layer_0/modes"].scalar_type(), torch::kLong);
    QCOMPARE(byName["encoder_layer_1/mode_magnitude"].sizes().vec(), (std::vector<int64_t>{4, 4}));
    QCOMPARE(byName["decoder_layer_0/self/modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QVERIFY(byName["decoder_layer_0/self/modes"].max().item<int64_t>() < 12); // T 24
    QCOMPARE(byName["decoder_layer_0/cross/key_modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QCOMPARE(byName["decoder_layer_0/cross/frequency_attention"].sizes().vec(),
             (std::vector<int64_t>{2, 4, 4, 4}));
    // Each layer draws its own random modes.
    QVERIFY(!torch::equal(byName["encoder_layer_0/modes"], byName["encoder_layer_1/modes"]));
}

void tst_FEDformer::headMask()
{
    FEDformer model(tiny());
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(2 + 2 * 1)); // encoder self x 2, decoder self + cross
    // The first layer's second head. Small at initialisation (the official Fourier weights
    // start at U(0, 1) / d_model²): any change counts.
    test::checkHeadMasks(*model, {layers[0]}, torch::randn({2, 32, 3}), {},
                         torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}), 0.0, 0.0);
}

void tst_FEDformer::validation()
{
    test::checkEncoderDecoderValidation<FEDformer>(tiny());
    QVERIFY(test::invalidReason(tiny().movingAvg(4)).contains(QLatin1String("moving_avg")));
    QVERIFY(test::invalidReason(tiny().modes(0)).contains(QLatin1String("modes")));
    QVERIFY(tiny().modes(1000).modeSelect(ModeSelect::Low).validate().isOk());
    QVERIFY_THROWS_EXCEPTION(c10::Error, FEDformer{tiny().movingAvg(4)});
}

QTEST_GUILESS_MAIN(tst_FEDformer)
#include "tst_fedformer.moc"
