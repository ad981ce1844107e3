// Self-supervised pretraining (issue 19): the masks (ratio, seeding), the masked loss (hidden
// values alone count) and the models' reconstruction pass (PatchTST, TST).

#include "PatchTST.h"
#include "TST.h"
#include "train/ForecastWindows.h"
#include "train/MaskGenerator.h"
#include "train/MaskedLoss.h"
#include "train/MaskedWindows.h"
#include "train/Trainer.h"

#include <QTest>

using namespace twb;

namespace {

MaskingScheme patches(std::int64_t p = 12, double ratio = 0.4)
{
    MaskingScheme s;
    s.kind = MaskingScheme::Kind::Patches;
    s.patchLength = p;
    s.ratio = ratio;
    return s;
}

MaskingScheme spans(double ratio = 0.15, double mean = 3.0)
{
    MaskingScheme s;
    s.kind = MaskingScheme::Kind::GeometricSpans;
    s.ratio = ratio;
    s.meanSpan = mean;
    return s;
}

torch::Tensor draw(const MaskingScheme &s, std::uint64_t seed, std::int64_t batch = 4,
                   std::int64_t length = 96, std::int64_t channels = 3)
{
    std::mt19937_64 rng(seed);
    return drawMask(s, batch, length, channels, rng);
}

ModelSpec reconstructSpec(std::int64_t lookback, std::int64_t channels)
{
    ModelSpec spec;
    spec.task = Task::Reconstruct;
    spec.lookback = lookback;
    spec.channels = channels;
    return spec;
}

PatchTST tinyPatchTst(std::int64_t lookback, std::int64_t channels, bool revin)
{
    PatchTSTOptions o(reconstructSpec(lookback, channels));
    o.dModel(16).numHeads(2).dFF(32).numLayers(1).dropout(0.0).fcDropout(0.0);
    o.patchLength(12).stride(12).revin(revin);
    torch::manual_seed(5);
    return PatchTST(o);
}

/// A series of `rows` x `channels` smooth values (float32) and its windows of `lookback`.
std::shared_ptr<ForecastWindows> windows(std::int64_t rows, std::int64_t channels,
                                         std::int64_t lookback)
{
    const torch::Tensor t = torch::arange(rows, torch::kFloat).unsqueeze(1);
    const torch::Tensor series =
        torch::sin(t * 0.1 + torch::arange(channels, torch::kFloat).unsqueeze(0)).contiguous();
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s + lookback <= rows; s += 4)
        starts.push_back(s);
    return std::make_shared<ForecastWindows>(series, starts, lookback, 0);
}

} // namespace

class tst_Pretraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void patchMasksHaveTheRatio_data();
    void patchMasksHaveTheRatio();
    void spanMasksHaveTheRatio();
    void masksAreSeeded_data();
    void masksAreSeeded();
    void maskedWindowsAreSeeded();
    void lossSeesHiddenValuesOnly();
    void trainerLossSeesHiddenValuesOnly();
    void patchTstDoesNotSeeHiddenPatches();
    void patchTstReconstructsTheInputShape();
    void tstDoesNotSeeHiddenValues();
};

void tst_Pretraining::patchMasksHaveTheRatio_data()
{
    QTest::addColumn<qint64>("length");
    QTest::addColumn<qint64>("patch");
    QTest::addColumn<double>("ratio");
    QTest::addColumn<qint64>("blocks"); // hidden per channel
    QTest::newRow("paper: L 512, P 12, 40 % of 43")
        << qint64(512) << qint64(12) << 0.4 << qint64(17);
    QTest::newRow("L 96, P 12, 40 % of 8") << qint64(96) << qint64(12) << 0.4 << qint64(3);
    QTest::newRow("L 96, P 16, 50 % of 6") << qint64(96) << qint64(16) << 0.5 << qint64(3);
}

void tst_Pretraining::patchMasksHaveTheRatio()
{
    QFETCH(qint64, length);
    QFETCH(qint64, patch);
    QFETCH(double, ratio);
    QFETCH(qint64, blocks);
    const MaskingScheme s = patches(patch, ratio);
    QCOMPARE(qint64(hiddenBlocks(s, length)), blocks);
    const torch::Tensor mask = draw(s, 11, 5, length, 7); // [B, L, M]
    for (std::int64_t b = 0; b < 5; ++b)
        for (std::int64_t c = 0; c < 7; ++c) {
            const torch::Tensor one = mask[b].select(1, c); // [L]
            // Whole blocks: every block is all hidden or all visible.
            std::int64_t hidden = 0;
            for (std::int64_t begin = 0; begin < length; begin += patch) {
                const torch::Tensor block = one.narrow(0, begin, std::min(patch, length - begin));
                const std::int64_t n = block.sum().item<std::int64_t>();
                QVERIFY(n == 0 || n == block.numel());
                hidden += n > 0 ? 1 : 0;
            }
            QCOMPARE(qint64(hidden), blocks);
        }
}

void tst_Pretraining::spanMasksHaveTheRatio()
{
    const torch::Tensor mask = draw(spans(0.15, 3.0), 7, 16, 2000, 5);
    const double fraction = mask.to(torch::kFloat).mean().item<double>();
    QVERIFY2(std::abs(fraction - 0.15) < 0.01, qPrintable(QString::number(fraction)));
    // Mean length of the hidden runs: about 3.
    const torch::Tensor m = mask.transpose(1, 2).reshape({-1, 2000}).contiguous();
    const bool *d = m.data_ptr<bool>();
    std::int64_t runs = 0, values = 0;
    for (std::int64_t r = 0; r < m.size(0); ++r)
        for (std::int64_t t = 0; t < 2000; ++t) {
            const bool h = d[r * 2000 + t];
            values += h;
            runs += h && (t == 0 || !d[r * 2000 + t - 1]);
        }
    const double meanRun = double(values) / double(runs);
    QVERIFY2(std::abs(meanRun - 3.0) < 0.2, qPrintable(QString::number(meanRun)));
    // Every channel of every example is masked independently: not all rows alike.
    QVERIFY(!torch::equal(mask[0].select(1, 0), mask[0].select(1, 1)));
}

void tst_Pretraining::masksAreSeeded_data()
{
    QTest::addColumn<bool>("patchKind");
    QTest::newRow("patches") << true;
    QTest::newRow("geometric spans") << false;
}

void tst_Pretraining::masksAreSeeded()
{
    QFETCH(bool, patchKind);
    const MaskingScheme s = patchKind ? patches() : spans();
    QVERIFY(torch::equal(draw(s, 1), draw(s, 1)));
    QVERIFY(!torch::equal(draw(s, 1), draw(s, 2)));
}

void tst_Pretraining::maskedWindowsAreSeeded()
{
    auto scheme = std::make_shared<std::optional<MaskingScheme>>(patches());
    const MaskedWindows set(windows(400, 3, 96), scheme, 99);
    const torch::Tensor idx = torch::tensor({0, 5, 9}, torch::kLong);
    const ExampleBatch a = set.trainingBatch(idx, 2021, 0, 0);
    QVERIFY(torch::equal(a.x, a.y));
    QVERIFY(a.hidden.sizes() == a.x.sizes());
    QVERIFY(torch::equal(a.hidden, set.trainingBatch(idx, 2021, 0, 0).hidden));  // resume
    QVERIFY(!torch::equal(a.hidden, set.trainingBatch(idx, 2021, 1, 0).hidden)); // next epoch
    QVERIFY(!torch::equal(a.hidden, set.trainingBatch(idx, 7, 0, 0).hidden));    // other seed
    // Evaluation masks belong to the window, whatever batch it comes in.
    const ExampleBatch v = set.batch(idx);
    const ExampleBatch w = set.batch(torch::tensor({9}, torch::kLong));
    QVERIFY(torch::equal(v.hidden[2], w.hidden[0]));
    const MaskedWindows other(windows(400, 3, 96), scheme, 100);
    QVERIFY(!torch::equal(v.hidden, other.batch(idx).hidden));
}

void tst_Pretraining::lossSeesHiddenValuesOnly()
{
    torch::manual_seed(3);
    const torch::Tensor prediction = torch::randn({2, 24, 3});
    const torch::Tensor target = torch::randn({2, 24, 3});
    const torch::Tensor hidden = draw(patches(6, 0.5), 4, 2, 24, 3);
    const double loss = maskedMseLoss(prediction, target, hidden).item<double>();
    const double expected =
        ((prediction - target).square() * hidden.to(torch::kFloat)).sum().item<double>() /
        hidden.sum().item<double>();
    QVERIFY(std::abs(loss - expected) < 1e-6);

    torch::Tensor visibleChanged = target.clone();
    visibleChanged.masked_fill_(hidden.logical_not(), 100.0);
    QCOMPARE(maskedMseLoss(prediction, visibleChanged, hidden).item<double>(), loss);
    torch::Tensor hiddenChanged = target.clone();
    hiddenChanged.masked_fill_(hidden, 100.0);
    QVERIFY(maskedMseLoss(prediction, hiddenChanged, hidden).item<double>() > loss + 1.0);
}

/// The Trainer's loss over a set whose targets differ from x only where nothing is hidden.
class AlteredTargets : public ExampleSet
{
public:
    AlteredTargets(std::shared_ptr<const ExampleSet> base, bool hiddenToo)
        : m_base(std::move(base))
        , m_hiddenToo(hiddenToo)
    {}
    std::int64_t size() const override { return m_base->size(); }
    ExampleBatch batch(const torch::Tensor &indices) const override
    {
        ExampleBatch b = m_base->batch(indices);
        b.y = b.y.clone();
        b.y.masked_fill_(m_hiddenToo ? b.hidden : b.hidden.logical_not(), 50.0);
        return b;
    }

private:
    std::shared_ptr<const ExampleSet> m_base;
    bool m_hiddenToo;
};

void tst_Pretraining::trainerLossSeesHiddenValuesOnly()
{
    PatchTST model = tinyPatchTst(48, 3, true);
    auto scheme = std::make_shared<std::optional<MaskingScheme>>(model->maskingScheme());
    QVERIFY(scheme->has_value());
    auto set = std::make_shared<MaskedWindows>(windows(200, 3, 48), scheme, 1);
    const double base = Trainer::meanLoss(*model, *set, 8, LossKind::MaskedMeanSquaredError);
    const double visible =
        Trainer::meanLoss(*model, AlteredTargets(set, false), 8, LossKind::MaskedMeanSquaredError);
    const double hidden =
        Trainer::meanLoss(*model, AlteredTargets(set, true), 8, LossKind::MaskedMeanSquaredError);
    QVERIFY(std::isfinite(base));
    QCOMPARE(visible, base);
    QVERIFY(hidden > base + 100.0);
}

void tst_Pretraining::patchTstDoesNotSeeHiddenPatches()
{
    PatchTST model = tinyPatchTst(48, 2, false); // RevIN reads every value; off here
    model->eval();
    torch::manual_seed(1);
    const torch::Tensor x = torch::randn({3, 48, 2});
    const torch::Tensor hidden = draw(*model->maskingScheme(), 8, 3, 48, 2);
    ForwardOptions options;
    options.hidden = hidden;
    const torch::Tensor a = model->forward(x, options).prediction;
    const torch::Tensor changed = x.masked_fill(hidden, 7.0);
    QVERIFY(torch::equal(a, model->forward(changed, options).prediction));
    const torch::Tensor visibleChanged = x.masked_fill(hidden.logical_not(), 7.0);
    QVERIFY(!torch::equal(a, model->forward(visibleChanged, options).prediction));
}

void tst_Pretraining::patchTstReconstructsTheInputShape()
{
    PatchTST model = tinyPatchTst(50, 3, true); // 50 = 4 whole patches of 12 and 2 steps
    QCOMPARE(model->numPatches(), std::int64_t(5));
    const torch::Tensor x = torch::randn({2, 50, 3});
    QVERIFY(model->forward(x).prediction.sizes() == x.sizes());
    std::vector<std::string> names;
    for (const auto &p : model->named_parameters())
        names.push_back(p.key());
    QVERIFY(std::find(names.begin(), names.end(), "pretrain_head.weight") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "head.weight") == names.end());
    // Overlapping patches cannot be pretrained.
    PatchTSTOptions o(reconstructSpec(48, 1));
    o.patchLength(16).stride(8);
    QVERIFY(!o.validate());
    QVERIFY(o.validate().error().reason.contains(QLatin1String("stride 8 must equal patch_len")));
}

void tst_Pretraining::tstDoesNotSeeHiddenValues()
{
    TSTOptions o(reconstructSpec(30, 2));
    o.dModel(16).numHeads(2).dFF(32).numLayers(1).dropout(0.0);
    torch::manual_seed(2);
    TST model(o);
    model->eval();
    const std::optional<MaskingScheme> s = model->maskingScheme();
    QVERIFY(s && s->kind == MaskingScheme::Kind::GeometricSpans);
    QCOMPARE(s->ratio, 0.15);
    QCOMPARE(s->meanSpan, 3.0);
    const torch::Tensor x = torch::randn({2, 30, 2});
    const torch::Tensor hidden = draw(*s, 3, 2, 30, 2);
    ForwardOptions options;
    options.hidden = hidden;
    const torch::Tensor a = model->forward(x, options).prediction;
    QVERIFY(a.sizes() == x.sizes());
    QVERIFY(torch::equal(a, model->forward(x.masked_fill(hidden, -3.0), options).prediction));
}

QTEST_GUILESS_MAIN(tst_Pretraining)
#include "tst_pretraining.moc"
