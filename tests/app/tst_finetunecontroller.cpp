// Fine-tuning from the window (issue 19): a finished run handed to the model panel, its
// parameters listed by the real `twb-cli parameters` for the freeze tree, and the request that
// follows; a folder that is not a run gets a message naming its configuration.
#include "CliTestSupport.h"
#include "FineTuneController.h"
#include "client/ParametersJob.h"
#include "plugin/ModelRegistry.h"
#include "widgets/training/FineTuneBox.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace twb;

class tst_FineTuneController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aRunStartsAFineTune();
    void notARunIsNamed();

private:
    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_run;
    ModelRegistry m_registry;
};

void tst_FineTuneController::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    m_registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    const QString csv = m_tmp.filePath(QStringLiteral("waves.csv"));
    QVERIFY(test::writeHourlyWaves(csv, 400));
    m_run = m_tmp.filePath(QStringLiteral("dlinear-source"));
    // A tiny DLinear run (its weights are what a fine-tune starts from), a second or two.
    const test::Result r = test::runCli(m_cli, m_tmp.path(), {"train",
                                                              "--data",
                                                              csv,
                                                              "--model",
                                                              "dlinear",
                                                              "--task",
                                                              "forecast",
                                                              "--lookback",
                                                              "48",
                                                              "--horizon",
                                                              "12",
                                                              "--epochs",
                                                              "1",
                                                              "--seed",
                                                              "1",
                                                              "--threads",
                                                              "1",
                                                              "--set",
                                                              "kernel_size=13",
                                                              "--run-dir",
                                                              m_run,
                                                              "--progress",
                                                              "none"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_FineTuneController::aRunStartsAFineTune()
{
    ModelPanel panel;
    panel.setRegistry(m_registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    panel.setDataPath(m_tmp.filePath(QStringLiteral("waves.csv")));
    FineTuneController controller(&panel);
    controller.setProgram(m_cli);
    QSignalSpy started(&controller, &FineTuneController::started);
    QSignalSpy listed(controller.parametersJob(), &ParametersJob::computed);
    QVERIFY(controller.start(m_run));
    QCOMPARE(started.size(), 1);
    QCOMPARE(panel.modelList()->selectedModel(), QStringLiteral("dlinear"));
    FineTuneBox *box = panel.fineTuneBox();
    QVERIFY(box->hasSource());
    QVERIFY(listed.wait(60000));
    // The tree holds the model's parameters as `twb-cli parameters` lists them.
    QVERIFY(box->freezeTree()->topLevelItemCount() > 0);
    const QString first = box->freezeTree()->topLevelItem(0)->data(0, Qt::UserRole).toString();
    QVERIFY(box->setFrozen(first, true));
    const Expected<TrainRequest> r = panel.request();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().reason));
    QCOMPARE(r->initFrom, QDir(m_run).absolutePath());
    QCOMPARE(r->hyperparameters.value(QStringLiteral("kernel_size")).toLongLong(), 13);
    QVERIFY(!r->freeze.isEmpty());
    QVERIFY(r->freeze.first().startsWith(first));
}

void tst_FineTuneController::notARunIsNamed()
{
    ModelPanel panel;
    panel.setRegistry(m_registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    FineTuneController controller(&panel);
    controller.setProgram(m_cli);
    QSignalSpy errors(&controller, &FineTuneController::errorOccurred);
    QVERIFY(!controller.start(m_tmp.path()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("config.json")));
    QVERIFY(!panel.fineTuneBox()->hasSource());
}

QTEST_MAIN(tst_FineTuneController)
#include "tst_finetunecontroller.moc"
