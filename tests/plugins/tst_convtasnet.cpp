// Conv-TasNet as a model of the separate task: shapes, the paper's size, what it shows the
// explorer (basis, masks, the share of energy each source keeps), the plugin's schema and
// refusals, and that it learns to separate two synthetic sources.
#include "ConvTasNet.h"
#include "SeparationTestSupport.h"
#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QtTest>

using namespace twb;

class tst_ConvTasNet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapesAndMechanisms()
    {
        torch::manual_seed(1);
        ConvTasNetImpl model(ConvTasNetOptions(test::separateSpec(1000, 3))
                                 .filters(16)
                                 .bottleneck(8)
                                 .hidden(16)
                                 .skip(8)
                                 .blocksPerRepeat(3)
                                 .repeats(1));
        const ModelOutput out = model.forward(torch::randn({2, 1000, 1}), {true, true});
        QCOMPARE(out.prediction.sizes(), (torch::IntArrayRef{2, 3, 1000}));
        QVERIFY(out.attention.empty());
        QVERIFY(model.tokens().empty());
        const auto find = [&](const std::string &name) {
            for (const NamedTensor &m : out.mechanisms)
                if (m.name == name)
                    return m.value;
            return torch::Tensor();
        };
        // 1000 samples, L 16, stride 8: (1000 + 0) / 8 + 2 - 1 = 126 frames.
        QCOMPARE(find("encoder/basis").sizes(), (torch::IntArrayRef{16, 16}));
        QVERIFY(!find("separator/masks").defined()); // the masks are an intermediate
        QCOMPARE(out.intermediates[1].name, std::string("masks"));
        QCOMPARE(out.intermediates[1].value.sizes(), (torch::IntArrayRef{2, 3, 16, 126}));
        const torch::Tensor kept = find("separator/mask_energy");
        QCOMPARE(kept.sizes(), (torch::IntArrayRef{2, 3, 126}));
        QVERIFY((kept >= 0).all().item<bool>() && (kept <= 1.0 + 1e-5).all().item<bool>());
        QCOMPARE(out.intermediates.size(), std::size_t(4));
        QCOMPARE(model.frameRate(), 1000.0);
    }

    void paperSize()
    {
        ConvTasNetImpl paper(ConvTasNetOptions(test::separateSpec(8000))
                                 .filters(512)
                                 .bottleneck(128)
                                 .hidden(512)
                                 .skip(128)
                                 .blocksPerRepeat(8)
                                 .repeats(3));
        const std::int64_t n = test::parameterCount(paper);
        qInfo("Conv-TasNet, paper size: %lld parameters; the default (small) size: %lld",
              static_cast<long long>(n),
              static_cast<long long>(test::parameterCount(
                  ConvTasNetImpl(ConvTasNetOptions(test::separateSpec(8000))))));
        QVERIFY2(n > 5'000'000 && n < 5'150'000, qPrintable(QString::number(n))); // paper: 5.1 M
    }

    void pluginSchemaAndRefusals()
    {
        ModelRegistry registry;
        registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
        const PluginRecord *record = registry.record(QStringLiteral("convtasnet"));
        QVERIFY(record && record->plugin);
        QCOMPARE(record->plugin->tasks(), QList<Task>{Task::Separate});
        QVERIFY(record->plugin->description().size() > 200);
        const auto values = record->plugin->hyperparameters().validate({});
        QVERIFY(values.hasValue());
        QVERIFY(record->plugin->create(test::separateSpec(4000), *values).hasValue());
        ModelSpec forecast;
        forecast.task = Task::Forecast;
        forecast.lookback = 96;
        forecast.horizon = 24;
        forecast.channels = 1;
        const auto wrongTask = record->plugin->create(forecast, *values);
        QVERIFY(!wrongTask.hasValue());
        QVERIFY(wrongTask.error().reason.contains(QLatin1String("separate")));
        ModelSpec stereo = test::separateSpec(4000);
        stereo.channels = 2;
        QVERIFY(!record->plugin->create(stereo, *values).hasValue());
        auto odd = record->plugin->hyperparameters().validate({{QStringLiteral("kernel"), 15}});
        QVERIFY(odd.hasValue());
        const auto oddKernel = record->plugin->create(test::separateSpec(4000), *odd);
        QVERIFY(!oddKernel.hasValue());
        QVERIFY(oddKernel.error().reason.contains(QLatin1String("Conv-TasNet")));

        // The encoder's output: ReLU unless asked for linear (a run's config without the key,
        // from before the choice, keeps the ReLU it trained with).
        QCOMPARE(values->text(QStringLiteral("encoder")), QStringLiteral("relu"));
        auto linearValues =
            record->plugin->hyperparameters().validate({{QStringLiteral("encoder"), "linear"}});
        QVERIFY(linearValues.hasValue());
        auto linear = record->plugin->create(test::separateSpec(4000), *linearValues);
        auto rectified = record->plugin->create(test::separateSpec(4000), *values);
        QVERIFY(linear.hasValue() && rectified.hasValue());
        ForwardOptions keep;
        keep.captureIntermediates = true;
        const torch::Tensor mixture = torch::randn({1, 4000, 1});
        const auto encodingOf = [&](Model &model) {
            for (const auto &[name, value] : model.forward(mixture, keep).intermediates)
                if (name == "encoder")
                    return value;
            return torch::Tensor();
        };
        QVERIFY((encodingOf(**linear) < 0).any().item<bool>());
        QVERIFY((encodingOf(**rectified) >= 0).all().item<bool>());
        QVERIFY(!record->plugin->hyperparameters()
                     .validate({{QStringLiteral("encoder"), "sigmoid"}})
                     .hasValue());
    }

    void learnsToSeparateToneFromBuzz()
    {
        torch::manual_seed(5);
        ConvTasNetImpl model(ConvTasNetOptions(test::separateSpec(400, 2))
                                 .filters(32)
                                 .kernel(8)
                                 .bottleneck(16)
                                 .hidden(32)
                                 .skip(16)
                                 .blocksPerRepeat(4)
                                 .repeats(1));
        const auto [before, after] = test::learnToneAndBuzz(model, 120, 400, 6);
        QVERIFY2(after > 8.0 && after > before + 6.0,
                 qPrintable(QStringLiteral("%1 -> %2 dB").arg(before).arg(after)));
    }
};

QTEST_GUILESS_MAIN(tst_ConvTasNet)
#include "tst_convtasnet.moc"
