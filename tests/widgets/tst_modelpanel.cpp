#include "plugin/ModelRegistry.h"
#include "widgets/training/FineTuneBox.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace twb;

/// The model panel over the real dlinear plugin of this build.
class tst_ModelPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void formFollowsTheSelectedModel();
    void trainNeedsDataAndValidValues();
    void copiesTheExactCommand();
    void trainEmitsTheRequest();
    void shuffledSplitIsOffered();
    void defaultModelFitsTheData();
    void channelsAreCheckedAgainstTheData();
    void labelledDataGetsTheClassificationForm();
    void soundClipsGetTheAudioSettings();
    void fineTuneCarriesTheSourceAndRecipe();
    void pretrainNeedsAModelThatCan();
    void labelledShareGoesOnTheCommandLine();
    void soundClipsCanBeSeparated();
    void separationSettingsReachTheRequest();
    void fineTuneOfASeparationRunSeparates();
    void heldOutSpeakersNeedOnePerSource();

private:
    /// A panel on a sound folder at 8 kHz with the separate objective chosen in the form.
    void setUpSeparation(ModelPanel &panel);
    void setUp(ModelPanel &panel);
    ModelRegistry m_registry;
};

void tst_ModelPanel::initTestCase()
{
    m_registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    QVERIFY2(m_registry.find(QStringLiteral("dlinear")),
             "the dlinear plugin is not built in " TWB_PLUGIN_BUILD_DIR);
}

void tst_ModelPanel::setUp(ModelPanel &panel)
{
    panel.setRegistry(m_registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    panel.modelList()->selectModel(QStringLiteral("dlinear"));
    panel.setRunDirProvider([](const TrainRequest &r) {
        return QStringLiteral("/work space/runs/") + r.modelId + QStringLiteral("-1");
    });
}

void tst_ModelPanel::formFollowsTheSelectedModel()
{
    ModelPanel panel;
    setUp(panel);
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("dlinear"));
    const HyperparameterForm *form = panel.hyperparameterForm();
    QCOMPARE(form->schema().specs().size(), std::size_t(3));
    auto *kernel = panel.findChild<QSpinBox *>(QStringLiteral("hp_kernel_size"));
    QVERIFY(kernel);
    QCOMPARE(kernel->value(), 25);
    QCOMPARE(kernel->maximum(), 1001);
    auto *variant = panel.findChild<QComboBox *>(QStringLiteral("hp_variant"));
    QVERIFY(variant);
    QCOMPARE(variant->currentText(), QStringLiteral("dlinear"));

    // Task settings are a form too, with the CLI's defaults.
    auto *lookback = panel.taskForm()->findChild<QSpinBox *>(QStringLiteral("hp_lookback"));
    auto *lr = panel.taskForm()->findChild<QLineEdit *>(QStringLiteral("hp_lr"));
    QVERIFY(lookback && lr);
    QCOMPARE(lookback->value(), 96);
    QCOMPARE(lr->text(), QStringLiteral("0.001"));
}

void tst_ModelPanel::trainNeedsDataAndValidValues()
{
    ModelPanel panel;
    setUp(panel);
    panel.show();
    auto *train = panel.findChild<QPushButton *>(QStringLiteral("trainButton"));
    auto *hint = panel.findChild<QLabel *>(QStringLiteral("trainHint"));
    QVERIFY(train && hint);
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QLatin1String("Open a data set")), qPrintable(hint->text()));

    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    QVERIFY(train->isEnabled());
    QVERIFY(hint->isHidden());

    auto *lr = panel.taskForm()->findChild<QLineEdit *>(QStringLiteral("hp_lr"));
    lr->selectAll();
    QTest::keyClicks(lr, QStringLiteral("0"));
    QVERIFY(!train->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("lr: 0 is below the minimum 1e-09"));
    QTest::keyClicks(lr, QStringLiteral(".01"));
    QVERIFY(train->isEnabled());

    QSignalSpy requested(&panel, &ModelPanel::trainRequested);
    lr->setText(QStringLiteral("abc"));
    panel.train();
    QCOMPARE(requested.size(), 0);
}

void tst_ModelPanel::copiesTheExactCommand()
{
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/my data/ETTh1.csv"));
    panel.findChild<QComboBox *>(QStringLiteral("hp_variant"))
        ->setCurrentText(QStringLiteral("nlinear"));
    panel.taskForm()->setValue(QStringLiteral("epochs"), 2);
    panel.taskForm()->setValue(QStringLiteral("lr"), QStringLiteral("1e-4"));
    panel.taskForm()->setValue(QStringLiteral("split"), QStringLiteral("ett-hour"));

    const QString expected = QStringLiteral(
        "twb-cli train --data '/my data/ETTh1.csv' --model dlinear --task forecast "
        "--split ett-hour --lookback 96 --horizon 24 --epochs 2 --batch-size 32 --lr 1e-04 "
        "--seed 2021 --patience 3 --set individual=false --set kernel_size=25 "
        "--set variant=nlinear --run-dir '/work space/runs/dlinear-1'");
    QCOMPARE(*panel.commandLine(), expected);

    QGuiApplication::clipboard()->clear();
    panel.findChild<QPushButton *>(QStringLiteral("copyCommandButton"))->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), expected);

    // The same run data-parallel (issue 21): torchrun on this machine, an sbatch script.
    panel.findChild<QAction *>(QStringLiteral("copyTorchrunAction"))->trigger();
    const QString torchrun = QGuiApplication::clipboard()->text();
    QVERIFY2(torchrun.startsWith("python3 -m torch.distributed.run --no_python "
                                 "--nproc_per_node 2 --master_port 29500 --redirects 1 --tee 1 "
                                 "twb-cli train --data '/my data/ETTh1.csv' --model dlinear"),
             qPrintable(torchrun));
    QVERIFY(torchrun.endsWith("--threads 1 --progress bar"));
    panel.findChild<QAction *>(QStringLiteral("copySbatchAction"))->trigger();
    const QString sbatch = QGuiApplication::clipboard()->text();
    QVERIFY(sbatch.startsWith("#!/bin/bash\n#SBATCH"));
    QVERIFY2(sbatch.contains("\nsrun twb-cli train --data '/my data/ETTh1.csv' --model dlinear"),
             qPrintable(sbatch));
    QVERIFY(sbatch.contains("--threads \"$SLURM_CPUS_PER_TASK\""));
    QVERIFY(sbatch.contains("export MASTER_ADDR="));
}

void tst_ModelPanel::trainEmitsTheRequest()
{
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    panel.findChild<QSpinBox *>(QStringLiteral("hp_kernel_size"))->setValue(13);
    panel.taskForm()->setValue(QStringLiteral("horizon"), 48);
    QSignalSpy requested(&panel, &ModelPanel::trainRequested);
    panel.findChild<QPushButton *>(QStringLiteral("trainButton"))->click();
    QCOMPARE(requested.size(), 1);
    const auto r = requested.first().first().value<TrainRequest>();
    QCOMPARE(r.dataPath, QStringLiteral("/data/ETTh1.csv"));
    QCOMPARE(r.modelId, QStringLiteral("dlinear"));
    QCOMPARE(r.split, QString()); // "auto": the CLI decides by file name
    QCOMPARE(r.lookback, 96);
    QCOMPARE(r.horizon, 48);
    QCOMPARE(r.epochs, 10);
    QCOMPARE(r.batchSize, 32);
    QCOMPARE(r.lr, 1e-3);
    QCOMPARE(r.seed, 2021u);
    QCOMPARE(r.patience, 3);
    QCOMPARE(r.runDir, QStringLiteral("/work space/runs/dlinear-1"));
    QCOMPARE(r.hyperparameters.value(QStringLiteral("kernel_size")).toLongLong(), 13);
    QCOMPARE(r.hyperparameters.value(QStringLiteral("individual")).toBool(), false);
    QCOMPARE(r.hyperparameters.size(), 3);
}

void tst_ModelPanel::shuffledSplitIsOffered()
{
    // The teaching mistake is a choice of its own, and its help says what it is.
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    auto *split = panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_split"));
    QVERIFY(split);
    QVERIFY(split->findText(QStringLiteral("shuffled")) >= 0);
    QVERIFY2(split->toolTip().contains(QStringLiteral("leaks the future")),
             qPrintable(split->toolTip()));
    QVERIFY(split->toolTip().contains(QStringLiteral("mistake")));
    split->setCurrentText(QStringLiteral("shuffled"));
    const auto r = panel.request();
    QVERIFY(r);
    QCOMPARE(r->split, QStringLiteral("shuffled"));
    QVERIFY(panel.commandLine()->contains(QStringLiteral("--split shuffled")));
}

void tst_ModelPanel::channelsAreCheckedAgainstTheData()
{
    ModelPanel panel;
    setUp(panel);
    panel.show();
    panel.setChannelNames({"HUFL", "HULL", "OT"});
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    auto *train = panel.findChild<QPushButton *>(QStringLiteral("trainButton"));
    auto *hint = panel.findChild<QLabel *>(QStringLiteral("trainHint"));
    auto *channels = panel.taskForm()->findChild<QLineEdit *>(QStringLiteral("hp_channels"));
    QVERIFY(train && hint && channels);
    QVERIFY(channels->text().isEmpty()); // every channel
    QVERIFY(panel.request()->channels.isEmpty());

    QTest::keyClicks(channels, QStringLiteral("OT, oil"));
    QVERIFY(!train->isEnabled());
    QCOMPARE(hint->text(),
             QStringLiteral("Channels: the data has no channel \"oil\" (it has HUFL, HULL, OT)."));
    channels->setText(QStringLiteral("OT,OT"));
    QVERIFY(!train->isEnabled());
    channels->setText(QStringLiteral(" OT , HUFL"));
    QVERIFY(train->isEnabled());
    QCOMPARE(panel.request()->channels, (QStringList{"OT", "HUFL"}));
    QVERIFY(panel.commandLine()->contains(QStringLiteral(" --channels OT,HUFL ")));

    // The scored channel (MS setting) must be one of the channels read.
    auto *target = panel.taskForm()->findChild<QLineEdit *>(QStringLiteral("hp_target"));
    QVERIFY(target);
    target->setText(QStringLiteral("HULL"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("not among the channels read (OT, HUFL)")),
             qPrintable(hint->text()));
    channels->clear(); // every channel is read: HULL too
    QVERIFY(train->isEnabled());
    target->setText(QStringLiteral("OT"));
    QCOMPARE(panel.request()->target, QStringLiteral("OT"));
    QVERIFY(panel.commandLine()->contains(QStringLiteral(" --target OT ")));
}

void tst_ModelPanel::defaultModelFitsTheData()
{
    // Plugins are listed by id (dlinear, patchtst, ...; ast first in a full build): the default
    // for series data is PatchTST, not the first listed.
    QVERIFY2(m_registry.find(QStringLiteral("patchtst")),
             "the patchtst plugin is not built in " TWB_PLUGIN_BUILD_DIR);
    QVERIFY(m_registry.plugins().front().id != QStringLiteral("patchtst"));
    ModelPanel panel;
    panel.setRegistry(m_registry);
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("patchtst"));
    QVERIFY(panel.findChild<QSpinBox *>(QStringLiteral("hp_patch_len"))); // its form

    // The user's choice is kept when series data is loaded: it still fits.
    panel.modelList()->selectModel(QStringLiteral("dlinear"));
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"), Task::Forecast);
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("dlinear"));
    QVERIFY(panel.request());

    // Labelled data: TST when it is built; with no classifier at all the choice stays.
    panel.setDataPath(QStringLiteral("/data/GunPoint_TRAIN.ts"), Task::Classify);
    if (m_registry.find(QStringLiteral("tst")))
        QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("tst"));
    else if (m_registry.forTask(Task::Classify).empty())
        QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("dlinear"));
}

void tst_ModelPanel::labelledDataGetsTheClassificationForm()
{
    QVERIFY2(m_registry.find(QStringLiteral("tst")),
             "the tst plugin is not built in " TWB_PLUGIN_BUILD_DIR);
    ModelPanel panel;
    setUp(panel);
    panel.show();
    auto *train = panel.findChild<QPushButton *>(QStringLiteral("trainButton"));
    auto *hint = panel.findChild<QLabel *>(QStringLiteral("trainHint"));
    auto *box = panel.findChild<QGroupBox *>(QStringLiteral("taskBox"));
    QVERIFY(train && hint && box);
    QCOMPARE(box->title(), QStringLiteral("Task: forecast"));

    // Labelled cases: the classify form (no lookback), the classifier chosen, the summary
    // beside the file name.
    QTemporaryDir dir;
    const QString testFile = dir.filePath(QStringLiteral("Ramps_TEST.ts"));
    QFile(testFile).open(QIODevice::WriteOnly);
    panel.setDataPath(dir.filePath(QStringLiteral("Ramps_TRAIN.ts")), Task::Classify);
    panel.setDataSummary(QStringLiteral("40 cases \u00b7 2 classes"));
    QCOMPARE(panel.task(), Task::Classify);
    QCOMPARE(box->title(), QStringLiteral("Task: classify"));
    QVERIFY(!panel.taskForm()->findChild<QSpinBox *>(QStringLiteral("hp_lookback")));
    QVERIFY(panel.taskForm()->findChild<QLineEdit *>(QStringLiteral("hp_test_data")));
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("dataLabel"))
                ->text()
                .endsWith(QStringLiteral("40 cases \u00b7 2 classes")));
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("tst"));
    QVERIFY(train->isEnabled());

    // A forecasting model cannot classify; test data must exist; data or pattern, not both.
    panel.modelList()->selectModel(QStringLiteral("dlinear"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("does not classify")), qPrintable(hint->text()));
    panel.modelList()->selectModel(QStringLiteral("tst"));
    panel.taskForm()->setValue(QStringLiteral("test_data"), dir.filePath(QStringLiteral("no.ts")));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("is not a file")), qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("test_data"), testFile);
    panel.taskForm()->setValue(QStringLiteral("test_glob"), QStringLiteral("*_0.wav"));
    QVERIFY(!train->isEnabled());
    panel.taskForm()->setValue(QStringLiteral("test_glob"), QString());
    // Extra training data must exist too; the panel names it.
    panel.taskForm()->setValue(QStringLiteral("extra_train"),
                               dir.filePath(QStringLiteral("voices")));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("Extra training data")) &&
                 hint->text().contains(QStringLiteral("does not exist")),
             qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("extra_train"), QString());
    panel.taskForm()->setValue(QStringLiteral("features"), QStringLiteral("raw"));
    panel.taskForm()->setValue(QStringLiteral("epochs"), 5);
    QVERIFY(train->isEnabled());

    QSignalSpy requested(&panel, &ModelPanel::trainRequested);
    train->click();
    QCOMPARE(requested.size(), 1);
    const auto r = requested.first().first().value<TrainRequest>();
    QVERIFY(r.isClassification());
    QCOMPARE(r.modelId, QStringLiteral("tst"));
    QCOMPARE(r.testData, testFile);
    QCOMPARE(r.features, QStringLiteral("raw"));
    QCOMPARE(r.epochs, 5);
    const QStringList args = r.arguments();
    QCOMPARE(args.mid(5, 4), QStringList({"--task", "classify", "--test-data", testFile}));

    // Held-out groups: they need Group by and exclude the test file; then they reach the line.
    panel.taskForm()->setValue(QStringLiteral("test_groups"), QStringLiteral("theo"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("need Group by")), qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("group_by"), QStringLiteral("speaker"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("one of test data, test files and test groups")),
             qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("test_data"), QString());
    panel.taskForm()->setValue(QStringLiteral("feature_norm"), QStringLiteral("cmvn"));
    panel.taskForm()->setValue(QStringLiteral("augment"), QStringLiteral("jitter,scale"));
    QVERIFY(train->isEnabled());
    train->click();
    QCOMPARE(requested.size(), 2);
    const QStringList grouped = requested.last().first().value<TrainRequest>().arguments();
    for (const char *flag : {"--group-by", "--test-groups", "--feature-norm", "--augment"})
        QVERIFY2(grouped.contains(QLatin1String(flag)), flag);
    QCOMPARE(grouped.at(grouped.indexOf(QStringLiteral("--test-groups")) + 1),
             QStringLiteral("theo"));

    // Cross-validation makes the test parts itself; leave-one-group-out needs the groups.
    panel.taskForm()->setValue(QStringLiteral("cv"), QStringLiteral("groups"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("makes each fold's test part")),
             qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("test_groups"), QString());
    QVERIFY(train->isEnabled());
    panel.taskForm()->setValue(QStringLiteral("cv"), QStringLiteral("1"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("a number of folds (2 or more)")),
             qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("cv"), QStringLiteral("groups"));
    panel.taskForm()->setValue(QStringLiteral("group_by"), QString());
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("needs Group by")), qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("cv"), QStringLiteral("4"));
    panel.taskForm()->setValue(QStringLiteral("swa"), 9); // after the last of 5 epochs
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("after the last epoch")),
             qPrintable(hint->text()));
    panel.taskForm()->setValue(QStringLiteral("swa"), 3);
    QVERIFY(train->isEnabled());
    train->click();
    const TrainRequest folds = requested.last().first().value<TrainRequest>();
    QCOMPARE(folds.cv, QStringLiteral("4"));
    QCOMPARE(folds.swa, 3);
    const QStringList cvArgs = folds.arguments();
    QCOMPARE(cvArgs.at(cvArgs.indexOf(QStringLiteral("--cv")) + 1), QStringLiteral("4"));
    QCOMPARE(cvArgs.at(cvArgs.indexOf(QStringLiteral("--swa")) + 1), QStringLiteral("3"));
    // Threads: twb-cli's choice unless the form names a number.
    QVERIFY(!cvArgs.contains(QStringLiteral("--threads")));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("threads"), 1));
    const QStringList oneThread = panel.request()->arguments();
    QCOMPARE(oneThread.at(oneThread.indexOf(QStringLiteral("--threads")) + 1), QStringLiteral("1"));
    panel.taskForm()->setValue(QStringLiteral("threads"), 0);
    // The rate schedule: none on the line unless chosen; plateau with its factor and step.
    QVERIFY(!oneThread.contains(QStringLiteral("--schedule")));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("schedule"), QStringLiteral("plateau")));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("step_size"), 3));
    const QStringList plateau = panel.request()->arguments();
    const qsizetype at = plateau.indexOf(QStringLiteral("--schedule"));
    QVERIFY(at > 0);
    QCOMPARE(plateau.mid(at, 6),
             QStringList({"--schedule", "plateau", "--gamma", "0.5", "--step-size", "3"}));
    panel.taskForm()->setValue(QStringLiteral("schedule"), QStringLiteral("constant"));
    panel.taskForm()->setValue(QStringLiteral("cv"), QString());
    panel.taskForm()->setValue(QStringLiteral("swa"), 0);

    // A series again: back to the forecast form.
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"), Task::Forecast);
    QCOMPARE(box->title(), QStringLiteral("Task: forecast"));
    QVERIFY(panel.taskForm()->findChild<QSpinBox *>(QStringLiteral("hp_lookback")));
}

void tst_ModelPanel::soundClipsGetTheAudioSettings()
{
    ModelPanel panel;
    setUp(panel);
    const QStringList audioKeys{QStringLiteral("sample_rate"), QStringLiteral("mel_bins"),
                                QStringLiteral("freq_mask"), QStringLiteral("time_mask")};
    const auto hasAudioFields = [&] {
        int found = 0;
        for (const QString &key : audioKeys)
            found += panel.taskForm()->findChild<QWidget *>(QStringLiteral("hp_") + key) ? 1 : 0;
        return found;
    };

    // Series of a .ts file: no audio settings, none on the command line.
    panel.setDataPath(QStringLiteral("/data/GunPoint_TRAIN.ts"), Task::Classify);
    panel.setAudioRate(0.0);
    QCOMPARE(hasAudioFields(), 0);
    Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
    QVERIFY(!r->arguments().contains(QStringLiteral("--mel-bins")));

    // Sound clips at 8 kHz: all four, the files' rate named in the help, the CLI's defaults.
    panel.setDataPath(QStringLiteral("/data/fsdd"), Task::Classify);
    panel.setAudioRate(8000.0);
    QCOMPARE(hasAudioFields(), 4);
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("ast"));
    QVERIFY(panel.taskForm()
                ->findChild<QWidget *>(QStringLiteral("hp_sample_rate"))
                ->toolTip()
                .contains(QStringLiteral("8000 Hz")));
    r = panel.request();
    QVERIFY(r);
    QCOMPARE(r->sampleRate, 0.0);
    QCOMPARE(r->melBins, 64);
    QCOMPARE(r->freqMask, 0);
    QStringList args = r->arguments();
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--mel-bins")), 2),
             QStringList({"--mel-bins", "64"}));
    QVERIFY(!args.contains(QStringLiteral("--sample-rate")));
    QVERIFY(!args.contains(QStringLiteral("--freq-mask")));

    // The AST settings of bench/classify_benchmarks.py.
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("features"), QStringLiteral("fbank")));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("freq_mask"), 8));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("time_mask"), 12));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("sample_rate"), 16000.0));
    args = panel.request()->arguments();
    const QString line = args.join(QLatin1Char(' '));
    QVERIFY2(line.contains(QStringLiteral("--features fbank --sample-rate 16000 --mel-bins 64 ")),
             qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("--freq-mask 8 --time-mask 12 ")), qPrintable(line));

    // Another data set clears them.
    panel.setDataPath(QStringLiteral("/data/GunPoint_TRAIN.ts"), Task::Classify);
    QCOMPARE(hasAudioFields(), 0);
    QVERIFY(!panel.request()->arguments().contains(QStringLiteral("--freq-mask")));
}

void tst_ModelPanel::fineTuneCarriesTheSourceAndRecipe()
{
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/ETTh2.csv"));
    FineTuneSource source;
    source.runDir = QStringLiteral("/runs/dlinear-pretrained");
    source.name = QStringLiteral("dlinear-pretrained");
    source.modelId = QStringLiteral("dlinear");
    source.task = QStringLiteral("forecast");
    source.hyperparameters = {{QStringLiteral("kernel_size"), 49},
                              {QStringLiteral("variant"), QStringLiteral("nlinear")}};
    panel.setFineTuneSource(source);
    // The form takes the source's architecture, so that its weights fit.
    QCOMPARE(panel.findChild<QSpinBox *>(QStringLiteral("hp_kernel_size"))->value(), 49);
    QCOMPARE(panel.findChild<QComboBox *>(QStringLiteral("hp_variant"))->currentText(),
             QStringLiteral("nlinear"));
    QVERIFY(!panel.fineTuneBox()->isHidden());
    panel.fineTuneBox()->setParameters(
        {ParameterEntry{QStringLiteral("decomposition.trend.weight"), {96, 96}, 9216, false},
         ParameterEntry{QStringLiteral("decomposition.seasonal.weight"), {96, 96}, 9216, false},
         ParameterEntry{QStringLiteral("head.weight"), {24, 96}, 2304, false}});
    QVERIFY(panel.fineTuneBox()->setFrozen(QStringLiteral("decomposition"), true));
    QVERIFY(panel.fineTuneBox()->setRecipe(QStringLiteral("head-first:3")));
    const Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
    QCOMPARE(r->initFrom, source.runDir);
    QCOMPARE(r->finetune, QStringLiteral("head-first:3"));
    QCOMPARE(r->freeze, QStringList{QStringLiteral("decomposition.")});
    const QStringList args = r->arguments();
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--init-from")) + 1), source.runDir);
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--finetune")) + 1),
             QStringLiteral("head-first:3"));
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--freeze")) + 1),
             QStringLiteral("decomposition."));

    // Another model cannot take the weights: the panel says so and does not train.
    panel.modelList()->selectModel(QStringLiteral("patchtst"));
    const Expected<TrainRequest> other = panel.request();
    QVERIFY(!other);
    QVERIFY2(other.error().reason.contains(QStringLiteral("needs its model, dlinear")),
             qPrintable(other.error().reason));
    // Stop fine-tuning: a fresh model again.
    QTest::mouseClick(panel.findChild<QPushButton *>(QStringLiteral("fineTuneStop")),
                      Qt::LeftButton);
    const Expected<TrainRequest> fresh = panel.request();
    QVERIFY(fresh);
    QVERIFY(fresh->initFrom.isEmpty());
    QVERIFY(!fresh->arguments().contains(QStringLiteral("--init-from")));
}

void tst_ModelPanel::pretrainNeedsAModelThatCan()
{
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("objective"), QStringLiteral("pretrain")));
    QVERIFY(panel.findChild<QGroupBox *>(QStringLiteral("taskBox"))
                ->title()
                .startsWith(QStringLiteral("Task: pretrain")));
    const PluginRecord *dlinear = m_registry.record(QStringLiteral("dlinear"));
    QVERIFY(dlinear && !dlinear->tasks.contains(QStringLiteral("reconstruct")));
    const Expected<TrainRequest> refused = panel.request();
    QVERIFY(!refused);
    QVERIFY2(refused.error().reason.contains(QStringLiteral("cannot be pretrained")),
             qPrintable(refused.error().reason));
    // PatchTST lists the "reconstruct" task: it gets --task pretrain.
    const PluginRecord *patchtst = m_registry.record(QStringLiteral("patchtst"));
    QVERIFY(patchtst && patchtst->tasks.contains(QStringLiteral("reconstruct")));
    panel.modelList()->selectModel(QStringLiteral("patchtst"));
    const Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
    QCOMPARE(r->task, QStringLiteral("pretrain"));
    const QStringList args = r->arguments();
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--task")) + 1), QStringLiteral("pretrain"));
    QVERIFY(args.contains(QStringLiteral("--lookback")));
}

void tst_ModelPanel::labelledShareGoesOnTheCommandLine()
{
    ModelPanel panel;
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/ETTh1.csv"));
    QVERIFY(!panel.request()->arguments().contains(QStringLiteral("--train-fraction")));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("train_fraction"), 0.25));
    const QStringList args = panel.request()->arguments();
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--train-fraction")) + 1), QStringLiteral("0.25"));
    QVERIFY(panel.taskForm()->setValue(QStringLiteral("train_fraction"), 0.0));
    QVERIFY(!panel.request());
}

void tst_ModelPanel::setUpSeparation(ModelPanel &panel)
{
    QVERIFY2(m_registry.find(QStringLiteral("convtasnet")) &&
                 m_registry.find(QStringLiteral("sepformer")),
             "the convtasnet and sepformer plugins are not built in " TWB_PLUGIN_BUILD_DIR);
    setUp(panel);
    panel.setDataPath(QStringLiteral("/data/fsdd/recordings"), Task::Classify);
    panel.setAudioRate(8000.0);
    auto *objective = panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective"));
    QVERIFY(objective);
    objective->setCurrentText(QStringLiteral("separate")); // as the user picks it
    QTRY_COMPARE(panel.task(), Task::Separate);
}

void tst_ModelPanel::soundClipsCanBeSeparated()
{
    ModelPanel panel;
    setUp(panel);
    panel.show();
    auto *box = panel.findChild<QGroupBox *>(QStringLiteral("taskBox"));
    auto *tree = panel.findChild<QTreeWidget *>(QStringLiteral("modelTree"));
    QVERIFY(box && tree);

    // Cases of a .ts file are no sound: no objective, separation refused.
    panel.setDataPath(QStringLiteral("/data/GunPoint_TRAIN.ts"), Task::Classify);
    panel.setAudioRate(0.0);
    QVERIFY(!panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective")));
    QVERIFY(!panel.chooseTask(Task::Separate));
    QCOMPARE(panel.task(), Task::Classify);

    // A sound folder: classify first (AST), separate offered beside it.
    panel.setDataPath(QStringLiteral("/data/fsdd/recordings"), Task::Classify);
    panel.setAudioRate(8000.0);
    auto *objective = panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective"));
    QVERIFY(objective);
    QCOMPARE(objective->count(), 2);
    QCOMPARE(objective->itemText(0), QStringLiteral("classify"));
    QCOMPARE(objective->itemText(1), QStringLiteral("separate"));
    QCOMPARE(objective->currentText(), QStringLiteral("classify"));
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("ast"));

    // Choosing separate: its form, Conv-TasNet, the models that cannot separate in grey.
    setUpSeparation(panel);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(box->title(), QStringLiteral("Task: separate (speech separation)"));
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("convtasnet"));
    QVERIFY(panel.taskForm()->findChild<QSpinBox *>(QStringLiteral("hp_sources")));
    QVERIFY(!panel.taskForm()->findChild<QWidget *>(QStringLiteral("hp_mel_bins")));
    QVERIFY(!panel.taskForm()->findChild<QWidget *>(QStringLiteral("hp_features")));
    QCOMPARE(
        panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective"))->currentText(),
        QStringLiteral("separate"));
    QStringList fit, unfit;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = tree->topLevelItem(i);
        const QString id = item->data(0, Qt::UserRole).toString();
        (item->data(0, Qt::ForegroundRole).isValid() ? unfit : fit) << id;
        QCOMPARE(item->toolTip(0).startsWith(QStringLiteral("Not for this data")),
                 item->data(0, Qt::ForegroundRole).isValid());
    }
    fit.sort();
    QCOMPARE(fit, QStringList({"convtasnet", "sepformer"}));
    QVERIFY(unfit.contains(QStringLiteral("ast")) && unfit.contains(QStringLiteral("dlinear")));

    // The defaults: FSDD's held-out takes and twb-cli's separation settings.
    Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
    QCOMPARE(r->task, QStringLiteral("separate"));
    QCOMPARE(r->modelId, QStringLiteral("convtasnet"));
    QCOMPARE(r->testGlob, QStringLiteral("*_[0-4].wav"));
    QVERIFY(r->groupBy.isEmpty() && r->testGroups.isEmpty() && r->valBy.isEmpty());
    QCOMPARE(r->sources, 2);
    QCOMPARE(r->levelMin, -5.0);
    QCOMPARE(r->levelMax, 5.0);
    QCOMPARE(r->mixSeconds, 1.0);
    QCOMPARE(r->trainMixtures, 2000);
    QCOMPARE(r->valMixtures, 200);
    QCOMPARE(r->testMixtures, 500);
    QCOMPARE(r->speakerBy, QStringLiteral("speaker"));
    QCOMPARE(r->valFraction, 0.2);
    QCOMPARE(r->sampleRate, 0.0);
    const Expected<QString> command = panel.commandLine();
    QVERIFY(command);
    QVERIFY2(command->contains(QStringLiteral(
                 " --task separate --test-glob '*_[0-4].wav' --val-fraction 0.2 --sources 2 "
                 "--level-min -5 --level-max 5 --mix-seconds 1 --train-mixtures 2000 "
                 "--val-mixtures 200 --test-mixtures 500 --speaker-by speaker --epochs 10 ")),
             qPrintable(*command));
    QVERIFY(!command->contains(QStringLiteral("--features")));
    QVERIFY(command->contains(QStringLiteral("--set filters=")));

    // A model that does not separate is explained; SepFormer can.
    auto *train = panel.findChild<QPushButton *>(QStringLiteral("trainButton"));
    auto *hint = panel.findChild<QLabel *>(QStringLiteral("trainHint"));
    panel.modelList()->selectModel(QStringLiteral("ast"));
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("does not separate speech")),
             qPrintable(hint->text()));
    panel.modelList()->selectModel(QStringLiteral("sepformer"));
    QVERIFY(train->isEnabled());
    QSignalSpy requested(&panel, &ModelPanel::trainRequested);
    train->click();
    QCOMPARE(requested.size(), 1);
    const auto emitted = requested.first().first().value<TrainRequest>();
    QCOMPARE(emitted.task, QStringLiteral("separate"));
    QCOMPARE(emitted.modelId, QStringLiteral("sepformer"));
    QCOMPARE(emitted.runDir, QStringLiteral("/work space/runs/sepformer-1"));

    // Back to classify: its form and its model; another data set starts with classify too.
    QVERIFY(panel.chooseTask(Task::Classify));
    QCOMPARE(box->title(), QStringLiteral("Task: classify"));
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("ast"));
    QVERIFY(panel.taskForm()->findChild<QWidget *>(QStringLiteral("hp_mel_bins")));
    QVERIFY(panel.request()->isClassification());
    QVERIFY(panel.chooseTask(Task::Separate));
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("convtasnet"));
    panel.setDataPath(QStringLiteral("/data/other-voices"), Task::Classify);
    QCOMPARE(panel.task(), Task::Classify);
    panel.setAudioRate(16000.0);
    QCOMPARE(
        panel.taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective"))->currentText(),
        QStringLiteral("classify"));
}

void tst_ModelPanel::separationSettingsReachTheRequest()
{
    ModelPanel panel;
    setUpSeparation(panel);
    if (QTest::currentTestFailed())
        return;
    HyperparameterForm *form = panel.taskForm();
    QVERIFY(form->setValue(QStringLiteral("sources"), 3));
    QVERIFY(form->setValue(QStringLiteral("level_min"), -2.5));
    QVERIFY(form->setValue(QStringLiteral("level_max"), 2.5));
    QVERIFY(form->setValue(QStringLiteral("mix_seconds"), 0.5));
    QVERIFY(form->setValue(QStringLiteral("train_mixtures"), 100));
    QVERIFY(form->setValue(QStringLiteral("val_mixtures"), 20));
    QVERIFY(form->setValue(QStringLiteral("test_mixtures"), 40));
    QVERIFY(form->setValue(QStringLiteral("val_fraction"), 0.1));
    QVERIFY(form->setValue(QStringLiteral("sample_rate"), 16000.0));
    QVERIFY(form->setValue(QStringLiteral("test_glob"), QStringLiteral("*_[0-9].wav")));
    QVERIFY(form->setValue(QStringLiteral("speaker_by"), QStringLiteral("field:1")));
    QVERIFY(form->setValue(QStringLiteral("epochs"), 1));
    QVERIFY(form->setValue(QStringLiteral("batch_size"), 4));
    QVERIFY(form->setValue(QStringLiteral("swa"), 1));
    const Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
    QCOMPARE(r->sources, 3);
    QCOMPARE(r->levelMin, -2.5);
    QCOMPARE(r->levelMax, 2.5);
    QCOMPARE(r->mixSeconds, 0.5);
    QCOMPARE(r->trainMixtures, 100);
    QCOMPARE(r->valMixtures, 20);
    QCOMPARE(r->testMixtures, 40);
    QCOMPARE(r->valFraction, 0.1);
    QCOMPARE(r->sampleRate, 16000.0);
    QCOMPARE(r->testGlob, QStringLiteral("*_[0-9].wav"));
    QCOMPARE(r->speakerBy, QStringLiteral("field:1"));
    QCOMPARE(r->epochs, 1);
    QCOMPARE(r->batchSize, 4);
    QCOMPARE(r->swa, 1);
    QCOMPARE(r->displayName(), QStringLiteral("convtasnet on recordings (separate, 3 sources)"));
    const QStringList args = r->arguments();
    QCOMPARE(args.mid(5, 25),
             QStringList({"--task",           "separate", "--test-glob",    "*_[0-9].wav",
                          "--sample-rate",    "16000",    "--val-fraction", "0.1",
                          "--sources",        "3",        "--level-min",    "-2.5",
                          "--level-max",      "2.5",      "--mix-seconds",  "0.5",
                          "--train-mixtures", "100",      "--val-mixtures", "20",
                          "--test-mixtures",  "40",       "--speaker-by",   "field:1",
                          "--epochs"}));

    // Levels the wrong way round and an empty speaker rule are refused before twb-cli runs.
    QVERIFY(form->setValue(QStringLiteral("level_min"), 3.0));
    QVERIFY(!panel.request());
    QVERIFY2(panel.request().error().reason.contains(QStringLiteral("lowest level")),
             qPrintable(panel.request().error().reason));
    QVERIFY(form->setValue(QStringLiteral("level_min"), 2.5)); // a fixed level
    QVERIFY(panel.request());
    QVERIFY(form->setValue(QStringLiteral("speaker_by"), QStringLiteral(" ")));
    QVERIFY(!panel.request());
    QVERIFY(panel.request().error().reason.startsWith(QStringLiteral("Speaker from")));
    // Out of twb-cli's range: the form marks the field.
    QVERIFY(form->setValue(QStringLiteral("speaker_by"), QStringLiteral("speaker")));
    form->findChild<QSpinBox *>(QStringLiteral("hp_sources"))->setValue(6); // clamped to 5
    QCOMPARE(panel.request()->sources, 5);
}

void tst_ModelPanel::heldOutSpeakersNeedOnePerSource()
{
    ModelPanel panel;
    setUpSeparation(panel);
    if (QTest::currentTestFailed())
        return;
    panel.show();
    HyperparameterForm *form = panel.taskForm();
    auto *glob = form->findChild<QLineEdit *>(QStringLiteral("hp_test_glob"));
    auto *groups = form->findChild<QLineEdit *>(QStringLiteral("hp_test_groups"));
    auto *train = panel.findChild<QPushButton *>(QStringLiteral("trainButton"));
    auto *hint = panel.findChild<QLabel *>(QStringLiteral("trainHint"));
    QVERIFY(glob && groups && train && hint);
    QVERIFY(glob->isEnabled() && !groups->isEnabled()); // held-out takes

    QVERIFY(form->setValue(QStringLiteral("held_out"), QStringLiteral("speakers")));
    QVERIFY(!glob->isEnabled() && groups->isEnabled());
    QVERIFY(!train->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("at least 2 test speakers")),
             qPrintable(hint->text()));
    QVERIFY(form->setValue(QStringLiteral("test_groups"), QStringLiteral("george")));
    QVERIFY(!train->isEnabled());
    QVERIFY(form->setValue(QStringLiteral("test_groups"), QStringLiteral("george, george")));
    QVERIFY(hint->text().contains(QStringLiteral("named twice")));
    QVERIFY(form->setValue(QStringLiteral("test_groups"), QStringLiteral(" george , jackson")));
    QVERIFY(train->isEnabled());
    Expected<TrainRequest> r = panel.request();
    QVERIFY(r);
    QCOMPARE(r->groupBy, QStringLiteral("speaker"));
    QCOMPARE(r->testGroups, QStringLiteral("george,jackson"));
    QCOMPARE(r->valBy, QStringLiteral("cases"));
    QVERIFY(r->testGlob.isEmpty()); // the pattern is for held-out takes only
    const QStringList args = r->arguments();
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--group-by")), 6),
             QStringList({"--group-by", "speaker", "--test-groups", "george,jackson", "--val-by",
                          "cases"}));
    QVERIFY(!args.contains(QStringLiteral("--test-glob")));
    QVERIFY(!args.contains(QStringLiteral("--test-fraction")));

    // Three sources need three held-out speakers; the speaker rule groups the parts too.
    QVERIFY(form->setValue(QStringLiteral("sources"), 3));
    QVERIFY(!train->isEnabled());
    QVERIFY(hint->text().contains(QStringLiteral("at least 3 test speakers")));
    QVERIFY(form->setValue(QStringLiteral("test_groups"), QStringLiteral("george,jackson,theo")));
    QVERIFY(form->setValue(QStringLiteral("speaker_by"), QStringLiteral("field:1")));
    r = panel.request();
    QVERIFY(r);
    QCOMPARE(r->groupBy, QStringLiteral("field:1"));
    QCOMPARE(r->speakerBy, QStringLiteral("field:1"));
}

void tst_ModelPanel::fineTuneOfASeparationRunSeparates()
{
    FineTuneSource source;
    source.runDir = QStringLiteral("/runs/sepformer-fsdd");
    source.name = QStringLiteral("sepformer-fsdd");
    source.modelId = QStringLiteral("sepformer");
    source.task = QStringLiteral("separate");
    source.hyperparameters = {{QStringLiteral("filters"), 64}};
    const auto check = [&](ModelPanel &panel) {
        QCOMPARE(panel.task(), Task::Separate);
        QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("sepformer"));
        QCOMPARE(panel.findChild<QSpinBox *>(QStringLiteral("hp_filters"))->value(), 64);
        const Expected<TrainRequest> r = panel.request();
        QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
        QCOMPARE(r->task, QStringLiteral("separate"));
        QCOMPARE(r->initFrom, source.runDir);
    };
    // The sound folder open first: the objective turns to separate, SepFormer is chosen.
    {
        ModelPanel panel;
        setUp(panel);
        panel.setDataPath(QStringLiteral("/data/fsdd/recordings"), Task::Classify);
        panel.setAudioRate(8000.0);
        QCOMPARE(panel.task(), Task::Classify);
        panel.setFineTuneSource(source);
        check(panel);
        if (QTest::currentTestFailed())
            return;
    }
    // The fine-tune first, its data opened after it (as the window does without data open).
    {
        ModelPanel panel;
        setUp(panel);
        panel.setFineTuneSource(source);
        panel.setDataPath(QStringLiteral("/data/fsdd/recordings"), Task::Classify);
        panel.setAudioRate(8000.0);
        check(panel);
    }
}

QTEST_MAIN(tst_ModelPanel)
#include "tst_modelpanel.moc"
