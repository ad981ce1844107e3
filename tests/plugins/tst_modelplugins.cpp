#include "nn/Model.h"
#include "nn/OnePassFit.h"
#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QPluginLoader>
#include <QTest>

using namespace twb;

/// Loads the built plugins through the registry, as the applications do, and exercises the
/// contract: metadata, schema, create() with defaults and a forward pass, create() errors.
namespace {

/// The tasks a built-in plugin lists: its supervised task, and masked reconstruction
/// (self-supervised pretraining, issue 19) for PatchTST and TST.
/// The tasks a plugin's metadata declares, in its order.
QStringList expectedTasks(const QString &id, bool classify)
{
    if (id == QLatin1String("timesnet"))
        return {QStringLiteral("forecast"), QStringLiteral("classify")};
    QStringList tasks{classify ? QStringLiteral("classify") : QStringLiteral("forecast")};
    if (id == QLatin1String("patchtst") || id == QLatin1String("tst"))
        tasks << QStringLiteral("reconstruct");
    return tasks;
}

/// Fits a model fitted in one pass (MiniRocket, 1-NN DTW) on random cases of `spec`, so that
/// it can predict; other models are left as created.
void fitIfOnePass(Model &model, const ModelSpec &spec)
{
    if (OnePassFit *fitter = onePassFit(model)) {
        const torch::Tensor x = torch::randn({8, spec.lookback, spec.channels});
        const torch::Tensor y = torch::arange(8, torch::kLong) % spec.numClasses;
        const Status s = fitter->fit(x, y, {}, 1);
        QVERIFY2(s.isOk(), qPrintable(s.isOk() ? QString() : s.error().toString()));
    }
}

} // namespace

class tst_ModelPlugins : public QObject
{
    Q_OBJECT

private:
    /// The plugin `id` of the build tree and, if asked, its library's Qt metadata; nullptr
    /// (with a warning that says why) if the registry does not accept it.
    static const ModelPlugin *load(const QString &id, QJsonObject *metadata = nullptr);
    static ModelSpec forecastSpec(std::int64_t lookback);

private Q_SLOTS:
    void initTestCase() { torch::manual_seed(51); }
    void plugins_data();
    void metadata_data() { plugins_data(); }
    void metadata();
    void schema_data() { plugins_data(); }
    void schema();
    void createWithDefaultsAndForward_data() { plugins_data(); }
    void createWithDefaultsAndForward();
    void createRejectsBadSpecs_data();
    void createRejectsBadSpecs();
    void registryAcceptsPlugins();
    void stepMaskKeepsPaddingOut_data();
    void stepMaskKeepsPaddingOut();
};

const ModelPlugin *tst_ModelPlugins::load(const QString &id, QJsonObject *metadata)
{
    static const ModelRegistry registry = [] {
        ModelRegistry r;
        r.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
        return r;
    }();
    const PluginRecord *record = registry.record(id);
    if (!record) {
        qWarning("plugin %s not found in %s", qPrintable(id), TWB_PLUGIN_BUILD_DIR);
        for (const PluginProblem &problem : registry.problems())
            qWarning("%s: %s", qPrintable(problem.path), qPrintable(problem.reason));
        return nullptr;
    }
    if (metadata)
        *metadata = QPluginLoader(record->path).metaData();
    return record->plugin;
}

ModelSpec tst_ModelPlugins::forecastSpec(std::int64_t lookback)
{
    ModelSpec spec;
    spec.task = Task::Forecast;
    spec.lookback = lookback;
    spec.horizon = 24;
    spec.channels = 3;
    spec.channelNames = {"a", "b", "c"};
    return spec;
}

/// Classifiers: 96 steps x 32 channels (an AST spectrogram of 96 frames x 32 mel bins), 4
/// classes.
ModelSpec classifySpec()
{
    ModelSpec spec;
    spec.task = Task::Classify;
    spec.lookback = 96;
    spec.channels = 32;
    spec.numClasses = 4;
    return spec;
}

void tst_ModelPlugins::plugins_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("tokens"); // for lookback 96
    QTest::addColumn<bool>("classify");
    QTest::newRow("dlinear") << QStringLiteral("dlinear") << QStringLiteral("DLinear / NLinear")
                             << 0 << false;
    QTest::newRow("patchtst") << QStringLiteral("patchtst") << QStringLiteral("PatchTST") << 12
                              << false;
    QTest::newRow("itransformer") << QStringLiteral("itransformer")
                                  << QStringLiteral("iTransformer") << 3 << false;
    QTest::newRow("autoformer") << QStringLiteral("autoformer") << QStringLiteral("Autoformer")
                                << 96 << false;
    QTest::newRow("fedformer") << QStringLiteral("fedformer") << QStringLiteral("FEDformer") << 96
                               << false;
    QTest::newRow("transformer") << QStringLiteral("transformer") << QStringLiteral("Transformer")
                                 << 96 << false;
    QTest::newRow("informer") << QStringLiteral("informer") << QStringLiteral("Informer") << 96
                              << false;
    QTest::newRow("tst") << QStringLiteral("tst") << QStringLiteral("TST") << 96 << true;
    QTest::newRow("t2") << QStringLiteral("t2") << QStringLiteral("t2") << 96 << true;
    // AST: 2 special tokens + (32 - 16) / 10 + 1 = 2 mel x (96 - 16) / 10 + 1 = 9 time tiles.
    QTest::newRow("ast") << QStringLiteral("ast") << QStringLiteral("Audio Spectrogram Transformer")
                         << 20 << true;
    // S-Mamba: the implicit attention of its scans over the 3 variate tokens (no dates here).
    QTest::newRow("smamba") << QStringLiteral("smamba") << QStringLiteral("S-Mamba") << 3 << false;
    // Crossformer: cross-time maps over 96 / 12 = 8 segments per variable.
    QTest::newRow("crossformer") << QStringLiteral("crossformer") << QStringLiteral("Crossformer")
                                 << 8 << false;
    // Without attention (their mechanisms go to the forward-pass view).
    QTest::newRow("tsmixer") << QStringLiteral("tsmixer") << QStringLiteral("TSMixer") << 0
                             << false;
    QTest::newRow("timesnet forecast")
        << QStringLiteral("timesnet") << QStringLiteral("TimesNet") << 0 << false;
    QTest::newRow("timesnet classify")
        << QStringLiteral("timesnet") << QStringLiteral("TimesNet") << 0 << true;
    // The classification rivals, fitted in one pass (no attention; mechanisms instead).
    QTest::newRow("minirocket") << QStringLiteral("minirocket") << QStringLiteral("MiniRocket") << 0
                                << true;
    QTest::newRow("dtw") << QStringLiteral("dtw") << QStringLiteral("1-NN DTW") << 0 << true;
}

void tst_ModelPlugins::metadata()
{
    QFETCH(QString, id);
    QFETCH(QString, name);
    QFETCH(bool, classify);
    QJsonObject meta;
    const ModelPlugin *plugin = load(id, &meta);
    QVERIFY(plugin);
    QCOMPARE(meta.value(QLatin1String("IID")).toString(), QStringLiteral(TwbModelPlugin_iid));
    const QJsonObject json = meta.value(QLatin1String("MetaData")).toObject();
    QCOMPARE(json.value(QLatin1String("id")).toString(), id);
    QCOMPARE(json.value(QLatin1String("name")).toString(), name);
    QCOMPARE(json.value(QLatin1String("api")).toInt(), ModelPluginApiMajor);
    QVERIFY(!json.value(QLatin1String("version")).toString().isEmpty());
    QCOMPARE(json.value(QLatin1String("tasks")).toArray(),
             QJsonArray::fromStringList(expectedTasks(id, classify)));
    QCOMPARE(plugin->id(), id);
    QCOMPARE(plugin->displayName(), name);
    QList<Task> tasks;
    for (const QString &task : expectedTasks(id, classify))
        tasks << taskFromName(task).value();
    QCOMPARE(plugin->tasks(), tasks);
    QVERIFY(plugin->description().size() > 200);
    QVERIFY(plugin->paper().contains(QLatin1String("20")));
}

void tst_ModelPlugins::schema()
{
    QFETCH(QString, id);
    const ModelPlugin *plugin = load(id);
    QVERIFY(plugin);
    const HyperparameterSchema schema = plugin->hyperparameters();
    QVERIFY(!schema.specs().empty());
    for (const HyperparameterSpec &spec : schema.specs()) {
        QVERIFY2(!spec.help.isEmpty(), qPrintable(spec.key));
        QVERIFY2(!spec.label.isEmpty(), qPrintable(spec.key));
        if (spec.type == HyperparameterSpec::Type::Choice)
            QVERIFY(spec.choices.contains(spec.defaultValue.toString()));
    }
    QVERIFY(schema.validate({}).hasValue());
}

void tst_ModelPlugins::createWithDefaultsAndForward()
{
    QFETCH(QString, id);
    QFETCH(int, tokens);
    QFETCH(bool, classify);
    const ModelPlugin *plugin = load(id);
    QVERIFY(plugin);
    const Expected<HyperparameterValues> values = plugin->hyperparameters().validate({});
    QVERIFY(values.hasValue());
    const ModelSpec spec = classify ? classifySpec() : forecastSpec(96);
    Expected<std::shared_ptr<Model>> model = plugin->create(spec, *values);
    QVERIFY2(model.hasValue(), qPrintable(model.hasValue() ? QString() : model.error().toString()));
    (*model)->eval();
    torch::NoGradGuard noGrad;
    fitIfOnePass(**model, spec);
    const ModelOutput out = (*model)->forward(torch::randn({2, 96, spec.channels}), {true, false});
    if (classify) {
        QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{2, 4}));
        // Intermediates name the stages; the last is the logits.
        const ModelOutput stages =
            (*model)->forward(torch::randn({1, 96, spec.channels}), {false, true});
        QCOMPARE(QString::fromStdString(stages.intermediates.back().name),
                 QStringLiteral("logits"));
    } else {
        QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{2, 24, 3}));
    }
    QCOMPARE(int((*model)->tokens().size()), tokens);
    // Models without a softmax attention matrix (Autoformer, FEDformer) report their mechanism.
    if (tokens > 0 && out.attention.empty()) {
        QVERIFY(!out.mechanisms.empty());
    } else if (tokens > 0) {
        const torch::Tensor last = out.attention.back();
        // Informer's distilling leaves its last encoder layer fewer tokens than tokens().
        QCOMPARE(last.size(-1),
                 int64_t((*model)->encoderLayerTokens(out.attention.size() - 1).size()));
        QCOMPARE(last.size(0), int64_t((*model)->channelIndependentAttention() ? 6 : 2));
    }
}

void tst_ModelPlugins::createRejectsBadSpecs_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<int>("lookback");
    QTest::addColumn<bool>("classify");
    QTest::addColumn<QString>("reason");
    QTest::newRow("dlinear: classify")
        << QStringLiteral("dlinear") << QVariantMap() << 96 << true << QStringLiteral("forecast");
    QTest::newRow("dlinear: even kernel")
        << QStringLiteral("dlinear") << QVariantMap{{QStringLiteral("kernel_size"), 24}} << 96
        << false << QStringLiteral("odd");
    QTest::newRow("patchtst: lookback < patch_len") << QStringLiteral("patchtst") << QVariantMap()
                                                    << 12 << false << QStringLiteral("patch_len");
    QTest::newRow("patchtst: d_model % n_heads")
        << QStringLiteral("patchtst") << QVariantMap{{QStringLiteral("n_heads"), 3}} << 96 << false
        << QStringLiteral("divisible");
    QTest::newRow("itransformer: d_model % n_heads")
        << QStringLiteral("itransformer") << QVariantMap{{QStringLiteral("d_model"), 100}} << 96
        << false << QStringLiteral("divisible");
    QTest::newRow("itransformer: classify") << QStringLiteral("itransformer") << QVariantMap() << 96
                                            << true << QStringLiteral("forecast");
    QTest::newRow("autoformer: label_len > lookback")
        << QStringLiteral("autoformer") << QVariantMap() << 32 << false
        << QStringLiteral("label_len");
    QTest::newRow("autoformer: even moving_avg")
        << QStringLiteral("autoformer") << QVariantMap{{QStringLiteral("moving_avg"), 24}} << 96
        << false << QStringLiteral("moving_avg");
    QTest::newRow("fedformer: d_model % n_heads")
        << QStringLiteral("fedformer") << QVariantMap{{QStringLiteral("d_model"), 100}} << 96
        << false << QStringLiteral("divisible");
    QTest::newRow("fedformer: classify")
        << QStringLiteral("fedformer") << QVariantMap() << 96 << true << QStringLiteral("forecast");
    QTest::newRow("transformer: label_len > lookback")
        << QStringLiteral("transformer") << QVariantMap() << 32 << false
        << QStringLiteral("label_len");
    QTest::newRow("informer: d_model % n_heads")
        << QStringLiteral("informer") << QVariantMap{{QStringLiteral("n_heads"), 3}} << 96 << false
        << QStringLiteral("divisible");
    QTest::newRow("tst: forecast")
        << QStringLiteral("tst") << QVariantMap() << 96 << false << QStringLiteral("classify");
    QTest::newRow("t2: forecast") << QStringLiteral("t2") << QVariantMap() << 96 << false
                                  << QStringLiteral("classify");
    // A spectrogram of 12 frames is smaller than one 16 x 16 tile.
    QTest::newRow("ast: too short") << QStringLiteral("ast") << QVariantMap() << 12 << true
                                    << QStringLiteral("smaller than one");
}

void tst_ModelPlugins::createRejectsBadSpecs()
{
    QFETCH(QString, id);
    QFETCH(QVariantMap, values);
    QFETCH(int, lookback);
    QFETCH(bool, classify);
    QFETCH(QString, reason);
    const ModelPlugin *plugin = load(id);
    QVERIFY(plugin);
    const Expected<HyperparameterValues> checked = plugin->hyperparameters().validate(values);
    QVERIFY(checked.hasValue());
    ModelSpec spec = forecastSpec(lookback);
    if (classify) {
        spec = classifySpec();
        spec.lookback = lookback;
    }
    const Expected<std::shared_ptr<Model>> model = plugin->create(spec, *checked);
    QVERIFY(!model.hasValue());
    QVERIFY2(model.error().reason.contains(reason), qPrintable(model.error().reason));
}

void tst_ModelPlugins::stepMaskKeepsPaddingOut_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("noiseFrom"); // the first padded step only padded tokens cover
    QTest::newRow("tst") << QStringLiteral("tst") << 60;
    QTest::newRow("t2") << QStringLiteral("t2") << 60;
    // AST: the 16-frame tile starting at frame 50 still covers real frames up to 65.
    QTest::newRow("ast") << QStringLiteral("ast") << 66;
    QTest::newRow("timesnet") << QStringLiteral("timesnet") << 60;
    QTest::newRow("minirocket") << QStringLiteral("minirocket") << 60;
    QTest::newRow("dtw") << QStringLiteral("dtw") << 60;
}

void tst_ModelPlugins::stepMaskKeepsPaddingOut()
{
    // Case 0 has 60 real steps of 96, case 1 is full length. With the step mask, whatever the
    // padding of case 0 holds does not change either prediction; without it, it does.
    QFETCH(QString, id);
    QFETCH(int, noiseFrom);
    const ModelPlugin *plugin = load(id);
    QVERIFY(plugin);
    const ModelSpec spec = classifySpec();
    Expected<std::shared_ptr<Model>> model =
        plugin->create(spec, *plugin->hyperparameters().validate({}));
    QVERIFY(model.hasValue());
    (*model)->eval();
    torch::NoGradGuard noGrad;
    fitIfOnePass(**model, spec);
    const torch::Tensor lengths = torch::tensor({60, 96}, torch::kLong);
    const torch::Tensor mask = torch::arange(96, torch::kLong).unsqueeze(0) < lengths.unsqueeze(1);
    torch::Tensor zeros = torch::randn({2, 96, spec.channels});
    zeros.index_put_({0, torch::indexing::Slice(60, torch::indexing::None)}, 0.0);
    torch::Tensor noisy = zeros.clone();
    noisy.index_put_({0, torch::indexing::Slice(noiseFrom, torch::indexing::None)},
                     torch::randn({96 - noiseFrom, spec.channels}) * 10.0);

    const ModelOutput a = (*model)->forward(zeros, {true, false, mask});
    const ModelOutput b = (*model)->forward(noisy, {false, false, mask});
    QVERIFY2(torch::allclose(a.prediction, b.prediction, 1e-5, 1e-5),
             qPrintable(QString::number((a.prediction - b.prediction).abs().max().item<double>())));
    const torch::Tensor unmasked0 = (*model)->forward(zeros).prediction;
    const torch::Tensor unmasked1 = (*model)->forward(noisy).prediction;
    QVERIFY(!torch::allclose(unmasked0[0], unmasked1[0], 1e-5, 1e-5));
    // The full-length case is the same with and without a mask.
    QVERIFY(torch::allclose(a.prediction[1], unmasked0[1], 1e-5, 1e-5));
    // Padded keys get no attention (tst, t2: one token per step; TimesNet has no attention).
    if (!a.attention.empty() && id != QLatin1String("ast")) {
        const torch::Tensor toPadding =
            a.attention.back()[0].index({"...", torch::indexing::Slice(60, torch::indexing::None)});
        QVERIFY(toPadding.abs().max().item<double>() < 1e-6);
    }
    // A mask of another shape is refused with the model's name.
    bool threw = false;
    try {
        (*model)->forward(zeros, {false, false, torch::ones({2, 95}, torch::kBool)});
    } catch (const std::exception &e) {
        threw = QString::fromUtf8(e.what()).contains(QStringLiteral("step mask must be [2, 96]"));
    }
    QVERIFY(threw);
}

void tst_ModelPlugins::registryAcceptsPlugins()
{
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    // Every plugin of the build (twb_add_plugin) is accepted, under its own name.
    const QStringList built = QStringLiteral(TWB_PLUGIN_IDS).split(QLatin1Char(','));
    QVERIFY(built.size() >= 6);
    for (const PluginProblem &problem : registry.problems())
        QVERIFY2(!built.contains(QFileInfo(problem.path).completeBaseName()),
                 qPrintable(problem.path + QLatin1String(": ") + problem.reason));
    for (const QString &id : built) {
        const PluginRecord *record = registry.record(id);
        QVERIFY2(record, qPrintable(id));
        QCOMPARE(QFileInfo(record->path).completeBaseName(), id);
        QCOMPARE(record->plugin->id(), id);
        QCOMPARE(record->plugin->displayName(), record->name);
    }
    for (const char *id : {"dlinear", "patchtst", "itransformer"}) {
        const PluginRecord *record = registry.record(QString::fromLatin1(id));
        QVERIFY2(record, id);
        QVERIFY(record->plugin);
        QCOMPARE(record->tasks, expectedTasks(QString::fromLatin1(id), false));
    }
    QVERIFY(registry.forTask(Task::Forecast).size() >= 3);
    for (const char *id : {"tst", "t2", "ast"}) {
        const PluginRecord *record = registry.record(QString::fromLatin1(id));
        QVERIFY2(record, id);
        QCOMPARE(record->tasks, expectedTasks(QString::fromLatin1(id), true));
    }
    QVERIFY(registry.forTask(Task::Classify).size() >= 3);
}

QTEST_GUILESS_MAIN(tst_ModelPlugins)
#include "tst_modelplugins.moc"
