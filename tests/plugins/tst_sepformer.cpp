// SepFormer as a model of the separate task: the dual-path block computes what SpeechBrain's
// Dual_Computation_Block does (checked against the transformers applied chunk by chunk and
// position by position), shapes and the paper's size, the attention the explorer draws (intra
// maps over a chunk's frames, inter maps over the chunks, with their time ranges), the plugin,
// and that it learns to separate two synthetic sources.
#include "SepFormer.h"
#include "SeparationTestSupport.h"
#include "nn/DualPathChunking.h"
#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QtTest>

using namespace twb;

namespace {

SepFormerOptions tinyOptions(std::int64_t samples)
{
    return SepFormerOptions(test::separateSpec(samples))
        .filters(16)
        .chunk(20)
        .blocks(2)
        .intraLayers(1)
        .interLayers(2)
        .heads(2)
        .dFF(32);
}

} // namespace

class tst_SepFormer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dualPathBlockAttendsWithinThenAcrossChunks()
    {
        torch::manual_seed(2);
        const sepformer::TransformerSize size{8, 2, 16, 1, 0.0};
        sepformer::DualPathBlock block(size, size, 6, 5);
        block->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({2, 8, 6, 5}); // [B, N, K, S]
        const torch::Tensor out = block->forward(x);
        auto children = block->named_children();
        auto &intra = *children["intra"]->as<sepformer::DualPathTransformerImpl>();
        auto &inter = *children["inter"]->as<sepformer::DualPathTransformerImpl>();
        auto &intraNorm = *children["intra_norm"]->as<torch::nn::GroupNormImpl>();
        auto &interNorm = *children["inter_norm"]->as<torch::nn::GroupNormImpl>();
        // Intra: every chunk on its own ([1, K, N] per chunk s of example b).
        torch::Tensor intraOut = torch::empty_like(x);
        for (std::int64_t b = 0; b < 2; ++b)
            for (std::int64_t s = 0; s < 5; ++s)
                intraOut.index_put_({b, torch::indexing::Slice(), torch::indexing::Slice(), s},
                                    intra.forward(x[b].select(2, s).t().unsqueeze(0))[0].t());
        const torch::Tensor afterIntra = intraNorm.forward(intraOut) + x;
        // Inter: every frame position across the chunks ([1, S, N] per position k).
        torch::Tensor interOut = torch::empty_like(x);
        for (std::int64_t b = 0; b < 2; ++b)
            for (std::int64_t k = 0; k < 6; ++k)
                interOut.index_put_(
                    {b, torch::indexing::Slice(), k, torch::indexing::Slice()},
                    inter.forward(afterIntra[b].select(1, k).t().unsqueeze(0))[0].t());
        const torch::Tensor expected = interNorm.forward(interOut) + afterIntra;
        QVERIFY2(torch::allclose(out, expected, 1e-5, 1e-5),
                 qPrintable(QString::number((out - expected).abs().max().item<double>())));
    }

    void shapesAttentionAndTokens()
    {
        torch::manual_seed(3);
        SepFormerImpl model(tinyOptions(1000));
        model.eval();
        // 1000 samples → 126 frames → chunks of 20 with hop 10: (126 + 4) / 10 + 1 = 14.
        QCOMPARE(model.options().frames(), std::int64_t(126));
        QCOMPARE(model.options().chunks(), std::int64_t(14));
        const ModelOutput out = model.forward(torch::randn({2, 1000, 1}), {true, true});
        QCOMPARE(out.prediction.sizes(), (torch::IntArrayRef{2, 2, 1000}));
        QCOMPARE(out.attention.size(), std::size_t(2 * (1 + 2)));
        for (std::size_t l = 0; l < out.attention.size(); ++l) {
            const std::int64_t tokens = std::int64_t(model.encoderLayerTokens(l).size());
            QCOMPARE(model.isIntraLayer(l), l % 3 == 0);
            QCOMPARE(tokens, model.isIntraLayer(l) ? 20 : 14);
            QCOMPARE(out.attention[l].sizes(), (torch::IntArrayRef{2, 2, tokens, tokens}));
            QVERIFY(
                torch::allclose(out.attention[l].sum(-1), torch::ones({2, 2, tokens}), 1e-4, 1e-4));
        }
        // Inter tokens: chunks in time order, within the mixture, the last reaching its end.
        const std::vector<TokenInfo> chunks = model.encoderLayerTokens(1);
        QCOMPARE(chunks.front().begin, std::int64_t(0));
        QCOMPARE(chunks.back().end, std::int64_t(1000));
        for (std::size_t s = 1; s < chunks.size(); ++s)
            QVERIFY(chunks[s].begin >= chunks[s - 1].begin);
        QCOMPARE(chunks[1].label.substr(0, 8), std::string("chunk 1:"));
        QCOMPARE(model.tokens().size(), std::size_t(20));
        QCOMPARE(out.intermediates[1].name, std::string("masks"));
        const torch::Tensor masks = out.intermediates[1].value;
        QCOMPARE(masks.sizes(), (torch::IntArrayRef{2, 2, 16, 126}));
        QVERIFY((masks >= 0).all().item<bool>()); // ReLU masks
    }

    void paperSize()
    {
        SepFormerImpl paper(SepFormerOptions(test::separateSpec(32000))
                                .filters(256)
                                .chunk(250)
                                .blocks(2)
                                .intraLayers(8)
                                .interLayers(8)
                                .heads(8)
                                .dFF(1024));
        const std::int64_t n = test::parameterCount(paper);
        qInfo("SepFormer, paper size: %lld parameters; the default (small) size: %lld",
              static_cast<long long>(n),
              static_cast<long long>(
                  test::parameterCount(SepFormerImpl(SepFormerOptions(test::separateSpec(8000))))));
        QVERIFY2(n > 25'000'000 && n < 26'500'000, qPrintable(QString::number(n))); // paper: 26 M
    }

    void pluginSchemaAndRefusals()
    {
        ModelRegistry registry;
        registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
        const PluginRecord *record = registry.record(QStringLiteral("sepformer"));
        QVERIFY(record && record->plugin);
        QCOMPARE(record->plugin->tasks(), QList<Task>{Task::Separate});
        const auto values = record->plugin->hyperparameters().validate({});
        QVERIFY(values.hasValue());
        QVERIFY(record->plugin->create(test::separateSpec(8000), *values).hasValue());
        const auto heads =
            record->plugin->hyperparameters().validate({{QStringLiteral("n_heads"), 3}});
        QVERIFY(heads.hasValue());
        const auto bad = record->plugin->create(test::separateSpec(8000), *heads);
        QVERIFY(!bad.hasValue());
        QVERIFY(bad.error().reason.contains(QLatin1String("SepFormer: N 64 is not divisible")));
    }

    void learnsToSeparateToneFromBuzz()
    {
        torch::manual_seed(7);
        SepFormerImpl model(SepFormerOptions(test::separateSpec(400))
                                .filters(32)
                                .kernel(8)
                                .chunk(20)
                                .blocks(1)
                                .intraLayers(1)
                                .interLayers(1)
                                .heads(4)
                                .dFF(64));
        const auto [before, after] = test::learnToneAndBuzz(model, 120, 400, 8);
        QVERIFY2(after > 6.0 && after > before + 5.0,
                 qPrintable(QStringLiteral("%1 -> %2 dB").arg(before).arg(after)));
    }
};

QTEST_GUILESS_MAIN(tst_SepFormer)
#include "tst_sepformer.moc"
