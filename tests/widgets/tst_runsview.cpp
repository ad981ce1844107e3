#include "train/RunStore.h"
#include "widgets/RunsView.h"

#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonObject>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

struct RunSpec
{
    QString name;
    QString model;
    double testMse; ///< NaN: still running
    int epochs;
    QString start;
};

void writeRun(const QString &workspace, const RunSpec &spec)
{
    Expected<RunStore> store = RunStore::create(QDir(workspace).filePath(spec.name));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    const QJsonObject config{
        {"data", "/data/ett/ETTh1.csv"},
        {"task", "forecast"},
        {"model", spec.model},
        {"lookback", 336},
        {"horizon", 96},
        {"epochs", 10},
        {"batch-size", 32},
        {"lr", 0.0001},
        {"hyperparameters", QJsonObject{{"d_model", 16}, {"individual", false}}},
        {"provenance", QJsonObject{{"start_time", spec.start}}}};
    QVERIFY(store->writeConfig(config));
    for (int e = 1; e <= spec.epochs; ++e) {
        EpochRecord r;
        r.epoch = e;
        r.trainLoss = 1.0 / e;
        r.valLoss = 1.5 / e;
        r.best = true;
        QVERIFY(store->appendEpoch(r));
    }
    if (std::isnan(spec.testMse)) {
        QVERIFY(store->writeStatus(RunState::Running, QString()));
    } else {
        const QJsonObject test{{"mse", spec.testMse},
                               {"mae", spec.testMse + 0.02},
                               {"mse_original", spec.testMse * 10},
                               {"mae_original", 1.0},
                               {"windows", 2785}};
        QVERIFY(store->writeStatus(RunState::Finished, QString(),
                                   {{"best_epoch", spec.epochs}, {"test", test}}));
    }
}

/// A finished classification run (status.json as twb-cli writes it), with long names.
void writeClassifyRun(const QString &workspace, const QString &name)
{
    Expected<RunStore> store = RunStore::create(QDir(workspace).filePath(name));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    const QJsonObject config{
        {"data", "/very/long/folder/of/the/ucr/archive/GunPoint/GunPoint_TRAIN.ts"},
        {"task", "classify"},
        {"model", "tst"},
        {"lookback", 0},
        {"horizon", 0},
        {"epochs", 100},
        {"batch-size", 8},
        {"lr", 0.001},
        {"hyperparameters",
         QJsonObject{{"d_model", 64}, {"d_ff", 256}, {"n_heads", 8}, {"norm", "batch"}}},
        {"provenance", QJsonObject{{"start_time", "2026-01-06T10:00:00.000Z"}}}};
    QVERIFY(store->writeConfig(config));
    const QJsonObject test{{"accuracy", 0.9533333333333334},
                           {"balanced_accuracy", 0.95288},
                           {"macro_f1", 0.9532314818939023},
                           {"log_loss", 0.163},
                           {"examples", 150}};
    QVERIFY(
        store->writeStatus(RunState::Finished, QString(), {{"best_epoch", 89}, {"test", test}}));
}

QStringList column(const QSortFilterProxyModel *proxy, int column)
{
    QStringList values;
    for (int r = 0; r < proxy->rowCount(); ++r)
        values << proxy->index(r, column).data().toString();
    return values;
}

} // namespace

class tst_RunsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void summaryOfAFinishedRun();
    void listsRunsAndBrokenFolders();
    void sortAndFilter();
    void selectionOverlaysLossCurves();
    void deleteAsksAndMovesToTrash();
    void watcherSeesNewRuns();
    void csvOfTheShownTable();
    void classificationMetrics();
    void keyColumnsFitAndLongTextIsElided();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void tst_RunsView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The trash lives beside the workspace (same file system), never in the user's home.
    qputenv("XDG_DATA_HOME", m_dir->filePath("xdg").toUtf8());
    QDir().mkpath(m_dir->filePath("xdg"));
    m_workspace = m_dir->filePath("runs");
    writeRun(m_workspace, {"a-dlinear", "dlinear", 0.377, 3, "2026-01-02T10:00:00.000Z"});
    writeRun(m_workspace, {"b-patchtst", "patchtst", 0.370, 5, "2026-01-01T10:00:00.000Z"});
    writeRun(m_workspace,
             {"c-itransformer", "itransformer", std::nan(""), 2, "2026-01-03T10:00:00.000Z"});
    QDir(m_workspace).mkpath("d-broken");
    QFile broken(QDir(m_workspace).filePath("d-broken/config.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"model\": \"dlinear\",");
    broken.close();
    QDir(m_workspace).mkpath("notes"); // no config.json: not a run
}

void tst_RunsView::summaryOfAFinishedRun()
{
    const RunSummary s = readRunSummary(QDir(m_workspace).filePath("a-dlinear"));
    QVERIFY(s.readable);
    QCOMPARE(s.name, QStringLiteral("a-dlinear"));
    QCOMPARE(s.model, QStringLiteral("dlinear"));
    QCOMPARE(s.dataFile, QStringLiteral("ETTh1.csv"));
    QCOMPARE(s.lookback, 336);
    QCOMPARE(s.horizon, 96);
    QCOMPARE(s.batchSize, 32);
    QCOMPARE(s.lr, 0.0001);
    QCOMPARE(s.hyperparameters, QStringLiteral("d_model=16, individual=false"));
    QCOMPARE(s.state, QStringLiteral("finished"));
    QCOMPARE(s.bestEpoch, 3);
    QCOMPARE(s.testMse, 0.377);
    QCOMPARE(s.testMae, 0.377 + 0.02);
    QCOMPARE(s.testMseOriginal, 3.77);
    QCOMPARE(s.created, QDateTime(QDate(2026, 1, 2), QTime(10, 0), Qt::UTC));

    Expected<std::vector<EpochRecord>> epochs = readRunEpochs(s.dir);
    QVERIFY(epochs);
    QCOMPARE(epochs->size(), std::size_t(3));
    QCOMPARE(epochs->back().valLoss, 0.5);

    const RunSummary broken = readRunSummary(QDir(m_workspace).filePath("d-broken"));
    QVERIFY(!broken.readable);
    QVERIFY2(broken.problem.startsWith(QStringLiteral("config.json: not a JSON object")),
             qPrintable(broken.problem));
}

void tst_RunsView::listsRunsAndBrokenFolders()
{
    RunsTableModel model;
    model.setWorkspace(m_workspace);
    QCOMPARE(model.rowCount(), 4); // "notes" is not a run
    const int broken = model.rowOfDir(QDir(m_workspace).filePath("d-broken"));
    QVERIFY(broken >= 0);
    const QString state = model.index(broken, RunsTableModel::StateColumn).data().toString();
    QVERIFY2(state.startsWith(QStringLiteral("unreadable: config.json: not a JSON object")),
             qPrintable(state));
    QVERIFY(model.index(broken, RunsTableModel::ModelColumn).data().toString().isEmpty());

    const int a = model.rowOfDir(QDir(m_workspace).filePath("a-dlinear"));
    QCOMPARE(model.index(a, RunsTableModel::TestMseColumn).data().toString(),
             QStringLiteral("0.3770"));
    QCOMPARE(model.index(a, RunsTableModel::BestEpochColumn).data().toInt(), 3);
    const int c = model.rowOfDir(QDir(m_workspace).filePath("c-itransformer"));
    QCOMPARE(model.index(c, RunsTableModel::StateColumn).data().toString(),
             QStringLiteral("running"));
    QVERIFY(model.index(c, RunsTableModel::TestMseColumn).data().toString().isEmpty());

    model.setWorkspace(m_dir->filePath("does-not-exist"));
    QCOMPARE(model.rowCount(), 0);
}

void tst_RunsView::sortAndFilter()
{
    RunsView view;
    view.setWorkspace(m_workspace);
    QSortFilterProxyModel *proxy = view.proxy();
    QCOMPARE(proxy->rowCount(), 4);

    proxy->sort(RunsTableModel::TestMseColumn, Qt::AscendingOrder);
    // Numbers first in numeric order, runs without a test MSE last.
    QCOMPARE(column(proxy, RunsTableModel::RunColumn).mid(0, 2),
             (QStringList{"b-patchtst", "a-dlinear"}));
    proxy->sort(RunsTableModel::CreatedColumn, Qt::DescendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::RunColumn).mid(0, 3),
             (QStringList{"c-itransformer", "a-dlinear", "b-patchtst"}));
    proxy->sort(RunsTableModel::ModelColumn, Qt::AscendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::ModelColumn),
             (QStringList{"", "dlinear", "itransformer", "patchtst"}));

    view.setFilterText(QStringLiteral("PATCH"));
    QCOMPARE(column(proxy, RunsTableModel::RunColumn), QStringList{"b-patchtst"});
    view.setFilterText(QStringLiteral("ETTh1"));
    QCOMPARE(proxy->rowCount(), 3);
    view.setFilterText(QStringLiteral("unreadable"));
    QCOMPARE(column(proxy, RunsTableModel::RunColumn), QStringList{"d-broken"});
    view.setFilterText(QString());
    QCOMPARE(proxy->rowCount(), 4);
}

void tst_RunsView::selectionOverlaysLossCurves()
{
    RunsView view;
    view.resize(900, 600);
    view.setWorkspace(m_workspace);
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    const QString b = QDir(m_workspace).filePath("b-patchtst");
    QSignalSpy selected(&view, &RunsView::selectionChanged);
    view.selectRunDirs({a, b, QDir(m_workspace).filePath("d-broken")});
    QVERIFY(selected.count() >= 1);
    QCOMPARE(view.selectedRunDirs().size(), 3);

    const QList<QLineSeries *> curves = view.lossCurves();
    QCOMPARE(curves.size(), 4); // train and val of the two readable runs
    QStringList names;
    for (QLineSeries *s : curves)
        names << s->name();
    names.sort();
    QCOMPARE(names, (QStringList{"a-dlinear train", "a-dlinear val", "b-patchtst train",
                                 "b-patchtst val"}));
    for (QLineSeries *s : curves) {
        const bool isA = s->name().startsWith(QStringLiteral("a-"));
        const bool isVal = s->name().endsWith(QStringLiteral("val"));
        QCOMPARE(s->count(), isA ? 3 : 5);
        QCOMPARE(s->at(1), QPointF(2.0, (isVal ? 1.5 : 1.0) / 2.0));
    }

    view.selectRunDirs({});
    QVERIFY(view.lossCurves().isEmpty());
}

void tst_RunsView::deleteAsksAndMovesToTrash()
{
    RunsView view;
    view.setWorkspace(m_workspace);
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    QStringList asked;
    bool answer = false;
    view.setDeleteConfirmation([&](const QStringList &names) {
        asked = names;
        return answer;
    });

    QCOMPARE(view.deleteSelected(), 0); // nothing selected: not even asked
    QVERIFY(asked.isEmpty());

    view.selectRunDirs({a});
    QCOMPARE(view.deleteSelected(), 0); // declined
    QCOMPARE(asked, QStringList{"a-dlinear"});
    QVERIFY(QFileInfo::exists(a));
    QCOMPARE(view.model()->rowCount(), 4);

    answer = true;
    QSignalSpy errors(&view, &RunsView::errorOccurred);
    QCOMPARE(view.deleteSelected(), 1);
    QCOMPARE(errors.count(), 0);
    QVERIFY(!QFileInfo::exists(a));
    QCOMPARE(view.model()->rowCount(), 3);
    QCOMPARE(view.model()->rowOfDir(a), -1);
    // In the trash with its files (XDG layout), restorable.
    const QString trashed = m_dir->filePath("xdg/Trash/files/a-dlinear/config.json");
    QVERIFY2(QFileInfo::exists(trashed), qPrintable(trashed));
}

void tst_RunsView::watcherSeesNewRuns()
{
    RunsView view;
    view.setWorkspace(m_workspace);
    QCOMPARE(view.model()->rowCount(), 4);
    writeRun(m_workspace, {"e-new", "nlinear", 0.41, 1, "2026-01-04T10:00:00.000Z"});
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 5, 5000);
    QDir(QDir(m_workspace).filePath("e-new")).removeRecursively();
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 4, 5000);
    // The explicit slot works too.
    writeRun(m_workspace, {"f-new", "nlinear", 0.42, 1, "2026-01-05T10:00:00.000Z"});
    view.refresh();
    QCOMPARE(view.model()->rowCount(), 5);
}

void tst_RunsView::csvOfTheShownTable()
{
    RunsView view;
    view.setWorkspace(m_workspace);
    view.setFilterText(QStringLiteral("dlinear"));
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header.size(), RunsTableModel::ColumnCount + 1);
    QCOMPARE(table.header.first(), QStringLiteral("Model"));
    QCOMPARE(table.header.last(), QStringLiteral("Folder"));
    QCOMPARE(table.rows.size(), 1);
    QCOMPARE(table.rows[0][RunsTableModel::RunColumn], QStringLiteral("a-dlinear"));
    QCOMPARE(table.rows[0][RunsTableModel::TestMseColumn], QStringLiteral("0.3770"));
    QCOMPARE(table.rows[0].last(), QDir(m_workspace).filePath("a-dlinear"));
}

void tst_RunsView::classificationMetrics()
{
    writeClassifyRun(m_workspace, QStringLiteral("g-tst"));
    RunsTableModel model;
    model.setWorkspace(m_workspace);
    const RunSummary &s = model.run(model.rowOfDir(QDir(m_workspace).filePath("g-tst")));
    QCOMPARE(s.task, QStringLiteral("classify"));
    QCOMPARE(s.testAccuracy, 0.9533333333333334);
    QCOMPARE(s.testMacroF1, 0.9532314818939023);
    QVERIFY(std::isnan(s.testMse));

    const int g = model.rowOfDir(QDir(m_workspace).filePath("g-tst"));
    auto cell = [&](int row, int column) {
        return model.index(row, column).data().toString();
    };
    QCOMPARE(cell(g, RunsTableModel::TaskColumn), QStringLiteral("classify"));
    QCOMPARE(cell(g, RunsTableModel::AccuracyColumn), QStringLiteral("0.9533"));
    QCOMPARE(cell(g, RunsTableModel::MacroF1Column), QStringLiteral("0.9532"));
    QCOMPARE(cell(g, RunsTableModel::TestMseColumn), QString());
    QCOMPARE(cell(g, RunsTableModel::LookbackColumn), QString()); // not a forecast
    QCOMPARE(cell(g, RunsTableModel::HorizonColumn), QString());
    QCOMPARE(cell(g, RunsTableModel::DataColumn), QStringLiteral("GunPoint_TRAIN.ts"));
    QCOMPARE(model.index(g, RunsTableModel::DataColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("/very/long/folder/of/the/ucr/archive/GunPoint/GunPoint_TRAIN.ts"));
    QCOMPARE(model.headerData(RunsTableModel::AccuracyColumn, Qt::Horizontal).toString(),
             QStringLiteral("Accuracy"));
    QCOMPARE(model.headerData(RunsTableModel::MacroF1Column, Qt::Horizontal).toString(),
             QStringLiteral("Macro-F1"));

    // Forecast runs: task forecast, their lookback and horizon, no accuracy.
    const int a = model.rowOfDir(QDir(m_workspace).filePath("a-dlinear"));
    QCOMPARE(cell(a, RunsTableModel::TaskColumn), QStringLiteral("forecast"));
    QCOMPARE(cell(a, RunsTableModel::LookbackColumn), QStringLiteral("336"));
    QCOMPARE(cell(a, RunsTableModel::AccuracyColumn), QString());

    // Sorting by accuracy: the number first, runs without one after it.
    RunsView view;
    view.setWorkspace(m_workspace);
    view.proxy()->sort(RunsTableModel::AccuracyColumn, Qt::AscendingOrder);
    QCOMPARE(column(view.proxy(), RunsTableModel::RunColumn).first(), QStringLiteral("g-tst"));
}

void tst_RunsView::keyColumnsFitAndLongTextIsElided()
{
    // Run folders as the workbench names them, long hyperparameter lists, a long data path.
    writeClassifyRun(m_workspace, QStringLiteral("tst-GunPoint_TRAIN-20260106-100000"));
    writeRun(m_workspace, {"patchtst-ETTh1-with-a-very-long-descriptive-suffix-20260107-100000",
                           "patchtst", 0.371, 4, "2026-01-07T10:00:00.000Z"});
    RunsView view;
    view.resize(1400, 700);
    view.setWorkspace(m_workspace);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTableView *table = view.table();

    // Key columns first, in this order.
    const QList<int> key{RunsTableModel::ModelColumn,     RunsTableModel::DataColumn,
                         RunsTableModel::TaskColumn,      RunsTableModel::StateColumn,
                         RunsTableModel::BestEpochColumn, RunsTableModel::TestMseColumn,
                         RunsTableModel::TestMaeColumn,   RunsTableModel::AccuracyColumn,
                         RunsTableModel::MacroF1Column,   RunsTableModel::LookbackColumn,
                         RunsTableModel::HorizonColumn,   RunsTableModel::CreatedColumn};
    for (int i = 0; i < key.size(); ++i)
        QCOMPARE(key[i], i);
    // ... all of them on screen at 1400 px, each wide enough for its header.
    const int viewport = table->viewport()->width();
    for (int c : key) {
        const int right = table->columnViewportPosition(c) + table->columnWidth(c);
        QVERIFY2(right <= viewport,
                 qPrintable(
                     QStringLiteral("column %1 ends at %2 of %3").arg(c).arg(right).arg(viewport)));
        QVERIFY(table->columnWidth(c) >= table->horizontalHeader()->sectionSizeHint(c) ||
                table->columnWidth(c) == view.maxColumnWidth());
    }
    // No column is wider than the cap: long names are elided, the tooltip has them.
    for (int c = 0; c < RunsTableModel::ColumnCount; ++c)
        QVERIFY(table->columnWidth(c) <= view.maxColumnWidth());
    const QString longRun =
        QDir(m_workspace)
            .filePath("patchtst-ETTh1-with-a-very-long-descriptive-suffix-20260107-100000");
    const QModelIndex runCell =
        view.model()->index(view.model()->rowOfDir(longRun), RunsTableModel::RunColumn);
    QCOMPARE(table->columnWidth(RunsTableModel::RunColumn), view.maxColumnWidth());
    QCOMPARE(runCell.data(Qt::ToolTipRole).toString(), longRun);
    // The last column (hyperparameters) stretches over the rest of a wide window.
    QVERIFY(table->horizontalHeader()->stretchLastSection());
    const int last = RunsTableModel::HyperparametersColumn;
    QCOMPARE(last, RunsTableModel::ColumnCount - 1);
    view.resize(2400, 700);
    QTRY_COMPARE(table->columnViewportPosition(last) + table->columnWidth(last),
                 table->viewport()->width());
    QVERIFY(table->columnWidth(last) > view.maxColumnWidth());
    QCOMPARE(table->textElideMode(), Qt::ElideMiddle);
}

QTEST_MAIN(tst_RunsView)
#include "tst_runsview.moc"
