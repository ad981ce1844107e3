#include "InceptionBlock.h"
#include "ModelTestSupport.h"
#include "TimesBlock.h"
#include "TimesNet.h"
#include "explain/AttentionCapture.h"
#include "explain/ForwardCapture.h"
#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace twb;
using torch::indexing::None;
using torch::indexing::Slice;

class tst_TimesNet : public QObject
{
    Q_OBJECT

private:
    /// Forecast: L 32, H 8, 3 channels, 4 calendar features; blocks see 40 steps.
    static TimesNetOptions tinyForecast();
    /// Classify: 50 steps, 2 channels, 3 classes.
    static TimesNetOptions tinyClassify();

private Q_SLOTS:
    void init() { torch::manual_seed(23); }
    void defaultsAreOfficial();
    void foldAndUnfoldAreInverses_data();
    void foldAndUnfoldAreInverses();
    void periodsOfKnownSeries();
    void periodOfUnevenLength();
    void inceptionIsMeanOfKernels();
    void timesBlockCombinesPeriods();
    void forecastShapesAndStages();
    void forecastMarks();
    void forecastFollowsScaleAndShift();
    void mechanisms();
    void classifyShapesAndStages();
    void classifyIgnoresPaddedSteps();
    void overfitsTinyBatch();
    void sameSeedSameModel();
    void saveLoadRoundTrip();
    void validation();
    void explainWindow();
    void pluginCreatesBothTasks();
};

TimesNetOptions tst_TimesNet::tinyForecast()
{
    return TimesNetOptions(test::tinyForecastSpec()).dModel(8).dFF(12).topK(3).dropout(0.0);
}

TimesNetOptions tst_TimesNet::tinyClassify()
{
    ModelSpec s;
    s.task = Task::Classify;
    s.lookback = 50;
    s.channels = 2;
    s.numClasses = 3;
    return TimesNetOptions(s).dModel(8).dFF(12).topK(3).dropout(0.0);
}

void tst_TimesNet::defaultsAreOfficial()
{
    const TimesNetOptions o(test::etth1Spec());
    QCOMPARE(o.dModel(), std::int64_t(16));
    QCOMPARE(o.dFF(), std::int64_t(32));
    QCOMPARE(o.numLayers(), std::int64_t(2));
    QCOMPARE(o.topK(), std::int64_t(5));
    QCOMPARE(o.numKernels(), std::int64_t(6));
    QCOMPARE(o.dropout(), 0.1);
    QVERIFY(o.useMarks());
    QCOMPARE(o.blockLength(), std::int64_t(192));
    QVERIFY(o.validate().isOk());
}

void tst_TimesNet::foldAndUnfoldAreInverses_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("period");
    QTest::newRow("96 by 24: no padding") << 96 << 24;
    QTest::newRow("100 by 24: 20 steps padded") << 100 << 24;
    QTest::newRow("10 by 3: 2 steps padded") << 10 << 3;
    QTest::newRow("7 by 7: one row") << 7 << 7;
    QTest::newRow("5 by 1: one column") << 5 << 1;
}

void tst_TimesNet::foldAndUnfoldAreInverses()
{
    QFETCH(int, steps);
    QFETCH(int, period);
    const torch::Tensor x = torch::randn({2, steps, 3});
    const torch::Tensor folded = foldByPeriod(x, period);
    const std::int64_t rows = (steps + period - 1) / period;
    QCOMPARE(folded.sizes().vec(), (std::vector<std::int64_t>{2, 3, rows, period}));
    // Row r, column c holds step r * p + c; the steps past T are zeros.
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < period; ++c) {
            const std::int64_t t = r * period + c;
            const torch::Tensor cell = folded.index({Slice(), Slice(), r, c});
            if (t < steps)
                QVERIFY(torch::equal(cell, x.index({Slice(), t, Slice()})));
            else
                QVERIFY(torch::equal(cell, torch::zeros({2, 3})));
        }
    QVERIFY(torch::equal(unfoldPeriod(folded, steps), x));
    QVERIFY_THROWS_EXCEPTION(c10::Error, foldByPeriod(x, steps + 1));
    QVERIFY_THROWS_EXCEPTION(c10::Error, unfoldPeriod(folded, rows * period + 1));
}

void tst_TimesNet::periodsOfKnownSeries()
{
    // sin with period 24 (amplitude 1) + sin with period 12 (amplitude 0.5) over T = 96, in
    // every channel: frequencies 4 and 8, |X(f)| = A * T / 2 = 48 and 24.
    const torch::Tensor t = torch::arange(96, torch::kFloat);
    const torch::Tensor series =
        torch::sin(2.0 * M_PI * t / 24.0) + 0.5 * torch::sin(2.0 * M_PI * t / 12.0);
    const torch::Tensor x = series.view({1, 96, 1}).expand({2, 96, 3}).contiguous();
    const PeriodChoice choice = choosePeriods(x, 2);
    QCOMPARE(choice.frequencies, (std::vector<std::int64_t>{4, 8}));
    QCOMPARE(choice.periods, (std::vector<std::int64_t>{24, 12}));
    QCOMPARE(choice.spectrum.sizes().vec(), (std::vector<std::int64_t>{49}));
    QCOMPARE(choice.spectrum[0].item<float>(), 0.0f);
    QVERIFY(torch::allclose(choice.amplitudes, torch::tensor({{48.0f, 24.0f}, {48.0f, 24.0f}}),
                            1e-4, 1e-3));
    // Every other frequency is (numerically) empty.
    torch::Tensor rest = choice.spectrum.clone();
    rest.index_put_({torch::tensor({4, 8}, torch::kLong)}, 0.0);
    QVERIFY(rest.abs().max().item<double>() < 1e-3);
    // A constant offset (DC) does not change the choice; k beyond T / 2 is refused.
    QCOMPARE(choosePeriods(x + 5.0, 2).periods, choice.periods);
    QVERIFY_THROWS_EXCEPTION(c10::Error, choosePeriods(x, 49));
}

void tst_TimesNet::periodOfUnevenLength()
{
    // T = 100 with period 25 (f = 4), plus a weaker period 10 (f = 10); p = T / f.
    const torch::Tensor t = torch::arange(100, torch::kFloat);
    const torch::Tensor x =
        (torch::cos(2.0 * M_PI * t / 25.0) + 0.3 * torch::sin(2.0 * M_PI * t / 10.0))
            .view({1, 100, 1});
    const PeriodChoice choice = choosePeriods(x, 2);
    QCOMPARE(choice.periods, (std::vector<std::int64_t>{25, 10}));
    // A spectrum of zeros (constant input): no division by zero, periods within 1..T.
    for (std::int64_t p : choosePeriods(torch::ones({1, 100, 2}), 3).periods)
        QVERIFY(p >= 1 && p <= 100);
}

void tst_TimesNet::inceptionIsMeanOfKernels()
{
    InceptionBlock block(InceptionBlockOptions(3, 5).numKernels(4));
    // Non-zero biases, so that their mean is checked too.
    {
        torch::NoGradGuard noGrad;
        for (std::int64_t i = 0; i < 4; ++i)
            block->kernel(i)->bias.normal_();
    }
    QCOMPARE(block->kernel(3)->weight.sizes().vec(), (std::vector<std::int64_t>{5, 3, 7, 7}));
    const auto reference = [&block](const torch::Tensor &x) {
        torch::Tensor sum;
        for (std::int64_t i = 0; i < 4; ++i) {
            const torch::nn::Conv2d conv = block->kernel(i);
            const torch::Tensor y = torch::conv2d(x, conv->weight, conv->bias, 1, i) / 4.0;
            sum = sum.defined() ? sum + y : y;
        }
        return sum;
    };
    // Folds smaller than the largest kernel too: one cycle, two cycles of 2 steps.
    for (const auto &shape : std::vector<std::vector<std::int64_t>>{{2, 3, 1, 9}, {1, 3, 2, 2}}) {
        const torch::Tensor small = torch::randn(shape);
        QVERIFY(torch::allclose(block->forward(small), reference(small), 1e-5, 1e-5));
    }
    const torch::Tensor x = torch::randn({2, 3, 7, 9});
    const torch::Tensor y = block->forward(x);
    QCOMPARE(y.sizes().vec(), (std::vector<std::int64_t>{2, 5, 7, 9}));
    QVERIFY(torch::allclose(y, reference(x), 1e-5, 1e-5));
    // The gradients reach each kernel as through the separate convolutions.
    const torch::Tensor g = torch::randn_like(y);
    (y * g).sum().backward();
    const torch::Tensor fused = block->kernel(2)->weight.grad().clone();
    block->zero_grad();
    (reference(x) * g).sum().backward();
    QVERIFY(torch::allclose(fused, block->kernel(2)->weight.grad(), 1e-4, 1e-4));
    // Kaiming-normal (fan_out) weights: std sqrt(2 / (5 * 49)) for the 7 x 7 kernel.
    InceptionBlock wide(InceptionBlockOptions(64, 64).numKernels(4));
    const double std = wide->kernel(3)->weight.std().item<double>();
    QVERIFY(std::abs(std - std::sqrt(2.0 / (64.0 * 49.0))) < 0.002);
    QVERIFY(torch::equal(wide->kernel(0)->bias, torch::zeros({64})));
}

void tst_TimesNet::timesBlockCombinesPeriods()
{
    TimesBlock block(TimesBlockOptions(4, 6).topK(3).numKernels(2));
    // Channel 2 varies most.
    const torch::Tensor x = torch::randn({2, 30, 4}) * torch::tensor({1.0f, 1.0f, 3.0f, 1.0f});
    TimesBlockTrace trace;
    const torch::Tensor y = block->forward(x, &trace);
    QCOMPARE(y.sizes().vec(), x.sizes().vec());
    // The weights are the softmax of each sample's amplitudes at the chosen frequencies.
    QCOMPARE(trace.weights.sizes().vec(), (std::vector<std::int64_t>{2, 3}));
    QVERIFY(torch::allclose(trace.weights, torch::softmax(trace.choice.amplitudes, 1)));
    QCOMPARE(trace.foldChannel, std::int64_t(2));
    // The output is the weighted sum of the per-period 2-D results plus the input (written
    // out here with the block's own Inception blocks).
    const auto named = block->named_children();
    auto in = std::dynamic_pointer_cast<InceptionBlockImpl>(named["inception_in"]);
    auto out = std::dynamic_pointer_cast<InceptionBlockImpl>(named["inception_out"]);
    QVERIFY(in && out);
    torch::Tensor expected = x.clone();
    for (std::size_t j = 0; j < trace.choice.periods.size(); ++j) {
        const std::int64_t p = trace.choice.periods[j];
        const torch::Tensor r =
            unfoldPeriod(out->forward(torch::gelu(in->forward(foldByPeriod(x, p)))), 30);
        expected = expected + r * trace.weights.index({Slice(), std::int64_t(j)}).view({2, 1, 1});
        // The picture of the fold: the input's most varying channel, folded by p.
        const torch::Tensor channel = x.narrow(2, trace.foldChannel, 1);
        QVERIFY(torch::equal(trace.folds[j], foldByPeriod(channel, p).squeeze(1)));
    }
    QVERIFY(torch::allclose(y, expected, 1e-5, 1e-5));
    // With the last Inception block zeroed the block is the identity (the residual).
    {
        torch::NoGradGuard noGrad;
        for (auto &p : out->parameters())
            p.zero_();
    }
    QVERIFY(torch::allclose(block->forward(x), x));
}

void tst_TimesNet::forecastShapesAndStages()
{
    TimesNet model(tinyForecast());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = test::randomInput(5, model->options().spec());
    const ModelOutput out =
        model->forward(x, test::withMarks(5, model->options().spec(), false, true));
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<std::int64_t>{5, 8, 3}));
    const std::vector<std::string> expected{"input",      "normalized",    "embedded",
                                            "aligned",    "times_block_0", "times_block_1",
                                            "projection", "output"};
    QCOMPARE(test::stageNames(out), expected);
    auto stage = test::byName(out.intermediates);
    QCOMPARE(stage["aligned"].sizes().vec(), (std::vector<std::int64_t>{5, 40, 8}));
    QCOMPARE(stage["projection"].sizes().vec(), (std::vector<std::int64_t>{5, 40, 3}));
    QVERIFY(torch::equal(stage["projection"].narrow(1, 32, 8), out.prediction));
    // The shared LayerNorm ends every block: zero mean over d_model.
    QVERIFY(stage["times_block_1"].mean(-1).abs().max().item<double>() < 1e-5);
    const auto params = model->named_parameters();
    QCOMPARE(params["predict_linear.weight"].sizes().vec(), (std::vector<std::int64_t>{40, 32}));
    QCOMPARE(params["projection.weight"].sizes().vec(), (std::vector<std::int64_t>{3, 8}));
    QCOMPARE(params["blocks.1.inception_out.kernels.5.weight"].sizes().vec(),
             (std::vector<std::int64_t>{8, 12, 11, 11}));
    QVERIFY(params.contains("layer_norm.weight"));
    QVERIFY(!params.contains("classifier.weight"));
    QVERIFY(model->tokens().empty());
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x.narrow(1, 1, 31)));
}

void tst_TimesNet::forecastMarks()
{
    const TimesNetOptions options = tinyForecast();
    TimesNet model(options);
    model->eval();
    torch::NoGradGuard noGrad;
    const ModelSpec &spec = options.spec();
    const torch::Tensor x = test::randomInput(3, spec);
    ForwardOptions marks = test::withMarks(3, spec);
    const torch::Tensor marked = model->forward(x, marks).prediction;
    QVERIFY(!torch::allclose(marked, model->forward(x).prediction, 1e-5, 1e-6));
    QVERIFY(model->named_parameters().contains("enc_embedding.temporal.weight"));
    // Only the history's marks are read (the official forecast() embeds x_mark_enc only).
    ForwardOptions other = marks;
    other.futureMarks = torch::rand_like(marks.futureMarks);
    QVERIFY(torch::equal(model->forward(x, other).prediction, marked));
    // embed none: no temporal embedding, the marks never reach the forecast.
    TimesNet plain(TimesNetOptions(options).useMarks(false));
    plain->eval();
    QVERIFY(!plain->named_parameters().contains("enc_embedding.temporal.weight"));
    QVERIFY(torch::equal(plain->forward(x, marks).prediction, plain->forward(x).prediction));
    ForwardOptions wrong = marks;
    wrong.historyMarks = marks.historyMarks.narrow(1, 0, 31);
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x, wrong));
}

void tst_TimesNet::forecastFollowsScaleAndShift()
{
    // The non-stationary normalisation: forecasting a * x + b gives a * forecast(x) + b (up to
    // the 1e-5 inside the standard deviation).
    TimesNet model(TimesNetOptions(tinyForecast()).useMarks(false));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = test::randomInput(2, model->options().spec());
    const torch::Tensor y = model->forward(x).prediction;
    const torch::Tensor moved = model->forward(x * 3.0 + 7.0).prediction;
    QVERIFY(torch::allclose(moved, y * 3.0 + 7.0, 1e-3, 1e-3));
}

void tst_TimesNet::mechanisms()
{
    TimesNet model(tinyForecast());
    std::map<std::string, torch::Tensor> m;
    test::checkMechanismsWithoutAttention(*model, model->options().spec(), m);
    if (QTest::currentTestFailed())
        return;
    for (int i = 0; i < 2; ++i) {
        const std::string block = "times_block_" + std::to_string(i) + "/";
        QCOMPARE(m[block + "spectrum"].sizes().vec(), (std::vector<std::int64_t>{21}));
        QCOMPARE(m[block + "frequencies"].scalar_type(), torch::kLong);
        const torch::Tensor f = m[block + "frequencies"];
        const torch::Tensor p = m[block + "periods"];
        QCOMPARE(f.sizes().vec(), (std::vector<std::int64_t>{3}));
        QVERIFY(torch::equal(p, torch::div(torch::full({3}, 40, torch::kLong), f, "floor")));
        // Strongest first: the spectrum decreases along the chosen frequencies.
        const torch::Tensor chosen = m[block + "spectrum"].index({f});
        QVERIFY((chosen.narrow(0, 0, 2) >= chosen.narrow(0, 1, 2)).all().item<bool>());
        const torch::Tensor w = m[block + "period_weights"];
        QCOMPARE(w.sizes().vec(), (std::vector<std::int64_t>{2, 3}));
        QVERIFY(torch::allclose(w.sum(1), torch::ones({2})));
        for (std::int64_t j = 0; j < 3; ++j) {
            const std::int64_t period = p[j].item<std::int64_t>();
            QCOMPARE(m[block + "fold_" + std::to_string(j)].sizes().vec(),
                     (std::vector<std::int64_t>{2, (40 + period - 1) / period, period}));
        }
    }
    QCOMPARE(m.size(), std::size_t(2 * 7));
}

void tst_TimesNet::classifyShapesAndStages()
{
    TimesNet model(tinyClassify());
    model->eval();
    torch::NoGradGuard noGrad;
    const ModelOutput out = model->forward(torch::randn({4, 50, 2}), {true, true});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<std::int64_t>{4, 3}));
    const std::vector<std::string> expected{"input",         "embedded", "times_block_0",
                                            "times_block_1", "features", "logits"};
    QCOMPARE(test::stageNames(out), expected);
    QCOMPARE(out.intermediates[4].value.sizes().vec(), (std::vector<std::int64_t>{4, 400}));
    QVERIFY(out.attention.empty());
    QVERIFY(!out.mechanisms.empty());
    const auto params = model->named_parameters();
    QCOMPARE(params["classifier.weight"].sizes().vec(), (std::vector<std::int64_t>{3, 400}));
    QVERIFY(!params.contains("predict_linear.weight"));
    QVERIFY(!params.contains("enc_embedding.temporal.weight"));
}

void tst_TimesNet::classifyIgnoresPaddedSteps()
{
    // Case 0 has 30 real steps of 50, case 1 all 50. With the step mask, whatever the padding
    // of case 0 holds changes neither case's logits; without it, it does.
    TimesNet model(tinyClassify());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor lengths = torch::tensor({30, 50}, torch::kLong);
    const torch::Tensor mask = torch::arange(50, torch::kLong).unsqueeze(0) < lengths.unsqueeze(1);
    torch::Tensor zeros = torch::randn({2, 50, 2});
    zeros.index_put_({0, Slice(30, None)}, 0.0);
    torch::Tensor noisy = zeros.clone();
    noisy.index_put_({0, Slice(30, None)}, torch::randn({20, 2}) * 10.0);
    const torch::Tensor a = model->forward(zeros, {false, false, mask}).prediction;
    const torch::Tensor b = model->forward(noisy, {false, false, mask}).prediction;
    QVERIFY(torch::allclose(a, b, 1e-5, 1e-5));
    const torch::Tensor unmasked = model->forward(zeros).prediction;
    QVERIFY(!torch::allclose(unmasked[0], model->forward(noisy).prediction[0], 1e-5, 1e-5));
    QVERIFY(torch::allclose(a[1], unmasked[1], 1e-5, 1e-5));
    QVERIFY_THROWS_EXCEPTION(
        c10::Error, model->forward(zeros, {false, false, torch::ones({2, 49}).to(torch::kBool)}));
}

void tst_TimesNet::overfitsTinyBatch()
{
    TimesNet model(TimesNetOptions(tinyForecast()).useMarks(false));
    const torch::Tensor x = test::randomInput(4, model->options().spec());
    const torch::Tensor y = torch::randn({4, 8, 3});
    const auto [first, last] = test::overfit(*model, x, y, 150, 3e-3);
    qInfo("loss %g -> %g", first, last);
    QVERIFY2(last < 0.5 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_TimesNet::sameSeedSameModel()
{
    test::checkSameSeedSameModel<TimesNet>(tinyForecast());
    if (QTest::currentTestFailed())
        return;
    // Training mode (dropout) too: same seed, same forward.
    const TimesNetOptions options = TimesNetOptions(tinyClassify()).dropout(0.3);
    const torch::Tensor x = torch::randn({3, 50, 2});
    torch::manual_seed(5);
    TimesNet a(options);
    const torch::Tensor ya = a->forward(x).prediction;
    torch::manual_seed(5);
    TimesNet b(options);
    QVERIFY(torch::equal(ya, b->forward(x).prediction));
}

void tst_TimesNet::saveLoadRoundTrip()
{
    test::checkSaveLoadRoundTrip<TimesNet>(tinyForecast());
    if (QTest::currentTestFailed())
        return;
    test::checkSaveLoadRoundTrip<TimesNet>(tinyClassify());
}

void tst_TimesNet::validation()
{
    const auto reason = [](const TimesNetOptions &o) {
        return test::invalidReason(o);
    };
    QVERIFY(reason(tinyForecast()).isEmpty());
    // Forecast blocks see L + H = 40 steps: at most 20 frequencies.
    QVERIFY(reason(TimesNetOptions(tinyForecast()).topK(20)).isEmpty());
    QVERIFY(reason(TimesNetOptions(tinyForecast()).topK(21)).contains(QLatin1String("top_k")));
    QVERIFY(reason(TimesNetOptions(tinyClassify()).topK(26)).contains(QLatin1String("1..25")));
    QVERIFY(reason(TimesNetOptions(tinyForecast()).dModel(0)).contains(QLatin1String("d_model")));
    QVERIFY(reason(TimesNetOptions(tinyForecast()).numKernels(0))
                .contains(QLatin1String("num_kernels")));
    QVERIFY(
        reason(TimesNetOptions(tinyForecast()).dropout(1.0)).contains(QLatin1String("dropout")));
    ModelSpec pretrain = tinyForecast().spec();
    pretrain.task = Task::Reconstruct;
    QVERIFY(!reason(TimesNetOptions(pretrain)).isEmpty());
    ModelSpec oneClass = tinyClassify().spec();
    oneClass.numClasses = 1;
    QVERIFY(!reason(TimesNetOptions(oneClass)).isEmpty());
    QVERIFY_THROWS_EXCEPTION(c10::Error, TimesNet{TimesNetOptions(tinyForecast()).topK(0)});
}

void tst_TimesNet::explainWindow()
{
    // No attention maps: the attention explorer's usual message; the forward-pass view gets
    // the mechanisms as stages after their block.
    TimesNet model(tinyForecast());
    const ModelSpec &spec = model->options().spec();
    const torch::Tensor x = test::randomInput(1, spec);
    const Expected<explain::AttentionSet> attention = explain::captureModelAttention(
        *model, x, -1, test::withMarks(1, spec), QStringLiteral("timesnet"));
    QVERIFY(!attention.hasValue());
    QVERIFY2(attention.error().reason.contains(
                 explain::noAttentionMapsMessage(QStringLiteral("timesnet"))),
             qPrintable(attention.error().reason));
    const Expected<explain::ForwardTrace> trace =
        explain::traceModelForward(*model, x, 256, test::withMarks(1, spec));
    QVERIFY(trace.hasValue());
    std::vector<std::string> names;
    for (const auto &stage : trace->stages)
        names.push_back(stage.name);
    const auto at = [&](const std::string &name) {
        return std::find(names.begin(), names.end(), name) - names.begin();
    };
    QVERIFY(at("times_block_0.spectrum") == at("times_block_0") + 1);
    QVERIFY(at("times_block_0.fold_2") < at("times_block_1"));
    QVERIFY(at("times_block_1.period_weights") < at("projection"));
}

void tst_TimesNet::pluginCreatesBothTasks()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    const PluginRecord *record = registry.record(QStringLiteral("timesnet"));
    QVERIFY(record && record->plugin);
    const ModelPlugin *plugin = record->plugin;
    QCOMPARE(plugin->tasks(), (QList<Task>{Task::Forecast, Task::Classify}));
    QVERIFY(plugin->description().size() > 200);
    // Forecast with the defaults: ETTh1's official settings.
    const auto forecast = plugin->hyperparameters().validate({});
    QVERIFY(forecast.hasValue());
    Expected<std::shared_ptr<Model>> model = plugin->create(test::etth1Spec(), *forecast);
    QVERIFY2(model.hasValue(), qPrintable(model.hasValue() ? QString() : model.error().toString()));
    const auto *timesnet = dynamic_cast<const TimesNetImpl *>(model->get());
    QVERIFY(timesnet);
    QCOMPARE(timesnet->options().topK(), std::int64_t(5));
    QCOMPARE(timesnet->options().dModel(), std::int64_t(16));
    (*model)->eval();
    torch::NoGradGuard noGrad;
    QCOMPARE((*model)->forward(torch::randn({2, 96, 7})).prediction.sizes().vec(),
             (std::vector<std::int64_t>{2, 96, 7}));
    // Classify with the task's defaults (top_k 3).
    const auto classify = plugin->hyperparameters().validate(plugin->taskDefaults(Task::Classify));
    QVERIFY(classify.hasValue());
    ModelSpec spec = tinyClassify().spec();
    model = plugin->create(spec, *classify);
    QVERIFY(model.hasValue());
    QCOMPARE(dynamic_cast<const TimesNetImpl *>(model->get())->options().topK(), std::int64_t(3));
    const ModelOutput out = (*model)->forward(torch::randn({2, 50, 2}), {false, true});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(out.intermediates.back().name, std::string("logits"));
    // Errors name the model and the key.
    spec.lookback = 4;
    const auto tooShort = plugin->create(spec, *classify);
    QVERIFY(!tooShort.hasValue());
    QVERIFY(tooShort.error().reason.contains(QLatin1String("TimesNet: top_k")));
}

QTEST_GUILESS_MAIN(tst_TimesNet)
#include "tst_timesnet.moc"
