// Conv-TasNet's separator: the paper's size (5.1 M parameters with the encoder and decoder),
// masks in (0, 1) of the right shape, the receptive field; and, composed with the waveform
// codec and trained with permutation-invariant SI-SNR, it learns to separate two synthetic
// sources (a tone and a buzz at levels that change per example).
#include "../../plugins/SeparationTestSupport.h"
#include "nn/TemporalConvNet.h"
#include "nn/WaveformCodec.h"
#include "train/SeparationMetrics.h"

#include <QtTest>

#include <torch/torch.h>

using namespace twb;

class tst_TemporalConvNet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paperSize()
    {
        // Conv-TasNet's best non-causal configuration (N 512, L 16, B 128, Sc 128, H 512, P 3,
        // X 8, R 3): 5.1 M parameters in the paper's Table 2.
        WaveformCodec codec(WaveformCodecOptions(512, 16));
        TemporalConvNet tcn(TemporalConvNetOptions(512, 2));
        const std::int64_t total = test::parameterCount(*codec) + test::parameterCount(*tcn);
        qInfo("Conv-TasNet at the paper's size: %lld parameters", static_cast<long long>(total));
        QVERIFY2(total > 5'000'000 && total < 5'150'000, qPrintable(QString::number(total)));
        QCOMPARE(tcn->receptiveField(), std::int64_t(1 + 3 * 2 * 255));
    }

    void masksShape()
    {
        TemporalConvNet tcn(TemporalConvNetOptions(16, 3)
                                .bottleneck(8)
                                .skip(8)
                                .hidden(12)
                                .blocksPerRepeat(3)
                                .repeats(2));
        const torch::Tensor masks = tcn(torch::rand({2, 16, 50}));
        QCOMPARE(masks.sizes(), torch::IntArrayRef({2, 3, 16, 50}));
        QVERIFY((masks > 0).all().item<bool>() && (masks < 1).all().item<bool>());
        QCOMPARE(tcn->receptiveField(), std::int64_t(1 + 2 * 2 * 7));
        QVERIFY_THROWS_EXCEPTION(c10::Error, tcn(torch::rand({2, 15, 50})));
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 TemporalConvNet(TemporalConvNetOptions(16, 2).kernel(4)));
    }

    void learnsToSeparateToneFromBuzz()
    {
        torch::manual_seed(11);
        WaveformCodec codec(WaveformCodecOptions(32, 8));
        TemporalConvNet tcn(TemporalConvNetOptions(32, 2)
                                .bottleneck(16)
                                .skip(16)
                                .hidden(32)
                                .blocksPerRepeat(4)
                                .repeats(1));
        std::vector<torch::Tensor> parameters = codec->parameters();
        for (const auto &p : tcn->parameters())
            parameters.push_back(p);
        torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(3e-3));
        const std::int64_t t = 400;
        const auto separate = [&](const torch::Tensor &mixture) {
            const torch::Tensor rep = codec->encode(mixture);
            return codec->decode(tcn(rep) * rep.unsqueeze(1), t);
        };
        torch::manual_seed(12);
        const auto [testSources, mixture3d] = test::toneAndBuzz(16, t);
        const torch::Tensor testMixture = mixture3d.squeeze(-1);
        const auto improvement = [&] {
            torch::NoGradGuard noGrad;
            const PitResult r = permutationInvariantSiSnr(separate(testMixture), testSources);
            const torch::Tensor before =
                siSnr(testMixture.unsqueeze(1).expand_as(testSources), testSources).mean(1);
            return (r.siSnr - before).mean().item<double>();
        };
        const double start = improvement();
        for (int step = 0; step < 150; ++step) {
            const auto [sources, mixture3d] = test::toneAndBuzz(8, t);
            const torch::Tensor mixture = mixture3d.squeeze(-1);
            optimizer.zero_grad();
            const torch::Tensor loss = negativePitSiSnr(separate(mixture), sources);
            loss.backward();
            optimizer.step();
        }
        const double end = improvement();
        qInfo("SI-SNR improvement on held-out mixtures: %.1f dB before, %.1f dB after 150 steps",
              start, end);
        QVERIFY2(end > 10.0 && end > start + 8.0,
                 qPrintable(QStringLiteral("%1 -> %2 dB").arg(start).arg(end)));
    }
};

QTEST_GUILESS_MAIN(tst_TemporalConvNet)
#include "tst_temporalconvnet.moc"
