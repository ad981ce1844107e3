// The learned encoder/decoder of Conv-TasNet and SepFormer: frame counts and shapes; with a
// basis of ± unit impulses (and its transpose, halved) the pair reconstructs any waveform
// exactly, so padding, stride and overlap-add line up; and global layer normalisation against
// values computed by hand.
#include "nn/WaveformCodec.h"

#include <QtTest>

#include <torch/torch.h>

using namespace twb;

class tst_WaveformCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesAndShapes()
    {
        WaveformCodec codec(WaveformCodecOptions(32, 16)); // stride 8
        QCOMPARE(codec->frames(1000), std::int64_t(126));  // 1000 / 8 + 2 − 1
        QCOMPARE(codec->frames(1001), std::int64_t(127));  // padded to 1008
        QCOMPARE(codec->frames(1), std::int64_t(2));
        const torch::Tensor x = torch::randn({3, 1001});
        const torch::Tensor rep = codec->encode(x);
        QCOMPARE(rep.sizes(), torch::IntArrayRef({3, 32, 127}));
        QVERIFY((rep >= 0).all().item<bool>()); // ReLU
        QCOMPARE(codec->decode(rep, 1001).sizes(), torch::IntArrayRef({3, 1001}));
        // Two sources' masked copies decode at once.
        const torch::Tensor masked = rep.unsqueeze(1).expand({3, 2, 32, 127}) * 0.5;
        QCOMPARE(codec->decode(masked, 1001).sizes(), torch::IntArrayRef({3, 2, 1001}));
        QVERIFY_THROWS_EXCEPTION(c10::Error, codec->decode(rep, 1100));
        QVERIFY_THROWS_EXCEPTION(c10::Error, codec->encode(torch::randn({3, 1, 100})));
        QVERIFY_THROWS_EXCEPTION(c10::Error, WaveformCodec(WaveformCodecOptions(8, 16).stride(5)));

        // A linear encoder (the Conv-TasNet authors'): the convolution alone, signs kept; the
        // rectified one is exactly its positive part.
        WaveformCodec linear(WaveformCodecOptions(32, 16).rectify(false));
        {
            torch::NoGradGuard noGrad;
            linear->encoder->weight.copy_(codec->encoder->weight);
        }
        const torch::Tensor raw = linear->encode(x);
        QVERIFY((raw < 0).any().item<bool>());
        QVERIFY(torch::equal(torch::relu(raw), rep));
    }

    void plusMinusImpulsesReconstructExactly_data()
    {
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("length");
        QTest::newRow("L 16, S 8, T 1000") << 16 << 8 << 1000;
        QTest::newRow("L 16, S 8, T 1003") << 16 << 8 << 1003;
        QTest::newRow("L 12, S 4, T 77") << 12 << 4 << 77;
        QTest::newRow("L 2, S 1, T 5") << 2 << 1 << 5;
    }

    void plusMinusImpulsesReconstructExactly()
    {
        // Encoder rows e_i and −e_i (N = 2L): ReLU keeps the positive and the negative part of
        // each sample in a frame; the decoder adds them back (e_i and −e_i) and divides by the
        // L / S frames that cover every sample.
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, length);
        WaveformCodec codec(WaveformCodecOptions(2 * kernel, kernel).stride(stride));
        {
            torch::NoGradGuard noGrad;
            const torch::Tensor eye = torch::eye(kernel, torch::kFloat);
            const torch::Tensor basis = torch::cat({eye, -eye}, 0).unsqueeze(1); // [2L, 1, L]
            codec->encoder->weight.copy_(basis);
            codec->decoder->weight.copy_(basis * (double(stride) / double(kernel)));
        }
        torch::manual_seed(4);
        const torch::Tensor x = torch::randn({2, length});
        const torch::Tensor back = codec->decode(codec->encode(x), length);
        QVERIFY2(torch::allclose(back, x, 1e-5, 1e-6),
                 qPrintable(QString::number((back - x).abs().max().item<double>())));
    }

    void globalLayerNormByHand()
    {
        GlobalLayerNorm norm(2);
        // One example [2, 2] = [[1, 2], [3, 6]]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
        const torch::Tensor x = torch::tensor({1.0f, 2.0f, 3.0f, 6.0f}).view({1, 2, 2});
        const torch::Tensor expected = (x - 3.0) / std::sqrt(3.5 + 1e-8);
        QVERIFY(torch::allclose(norm(x), expected, 1e-6, 1e-6));
        {
            torch::NoGradGuard noGrad;
            norm->gamma.copy_(torch::tensor({2.0f, -1.0f}));
            norm->beta.copy_(torch::tensor({0.5f, 0.0f}));
        }
        const torch::Tensor scaled = norm(x);
        QVERIFY(torch::allclose(scaled[0][0], expected[0][0] * 2.0 + 0.5, 1e-6, 1e-6));
        QVERIFY(torch::allclose(scaled[0][1], -expected[0][1], 1e-6, 1e-6));
        // Each example by its own statistics: a second, louder example changes nothing here.
        const torch::Tensor two = torch::cat({x, x * 100.0}, 0);
        QVERIFY(torch::allclose(norm(two)[0], scaled[0], 1e-5, 1e-5));
        QVERIFY(torch::allclose(norm(two)[1], scaled[0], 1e-5, 1e-5));
        QVERIFY_THROWS_EXCEPTION(c10::Error, norm(torch::randn({1, 3, 4})));
    }
};

QTEST_GUILESS_MAIN(tst_WaveformCodec)
#include "tst_waveformcodec.moc"
