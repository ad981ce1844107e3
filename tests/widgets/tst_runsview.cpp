// The runs table and view fed plain data: the runs as readWorkspaceRuns reads them, the loss
// curves as the controller reads them. Reading, watching and deleting the folders themselves
// are tested with RunWorkspace (tests/core/client) and RunViewsController (tests/app).

#include "LossCurveChecks.h"
#include "RunsFixture.h"
#include "client/RunWorkspace.h"
#include "widgets/training/RunsView.h"

#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSysInfo>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;
using namespace twb::test;

namespace {

/// The curves of runs a-dlinear (3 epochs), b-patchtst (5) and d-broken (none), as
/// RunViewsController reads them from metrics.jsonl.
std::vector<RunLossCurve> lossCurves()
{
    std::vector<RunLossCurve> curves;
    for (const auto &[name, epochs] :
         {std::pair{"a-dlinear", 3}, std::pair{"b-patchtst", 5}, std::pair{"d-broken", 0}}) {
        RunLossCurve curve{QString::fromLatin1(name), {}};
        for (int e = 1; e <= epochs; ++e) {
            EpochRecord r;
            r.epoch = e;
            r.trainLoss = 1.0 / e;
            r.valLoss = 1.5 / e;
            curve.epochs.push_back(r);
        }
        curves.push_back(curve);
    }
    return curves;
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
    void listsRunsAndBrokenFolders();
    void sortAndFilter();
    void selectionOverlaysLossCurves();
    void deleteAsksBeforeRequesting();
    void refreshAsks();
    void csvOfTheShownTable();
    void classificationMetrics();
    void separationMetrics();
    void keyColumnsFitAndLongTextIsElided();
    void resumeOffersOnlyAnInterruptedRun();
    void shuffledSplitIsNamedInTheDataColumn();
    void fineTunedRunsFollowTheirSource();
    void fineTuneOffersOnlyAFinishedRun();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void tst_RunsView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_workspace = m_dir->filePath("runs");
    writeWorkspace(m_workspace);
}

void tst_RunsView::listsRunsAndBrokenFolders()
{
    RunsTableModel model;
    model.setRuns(readWorkspaceRuns(m_workspace));
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

    model.setRuns(readWorkspaceRuns(m_dir->filePath("does-not-exist")));
    QCOMPARE(model.rowCount(), 0);
}

void tst_RunsView::sortAndFilter()
{
    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
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
    view.setRuns(readWorkspaceRuns(m_workspace));
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    const QString b = QDir(m_workspace).filePath("b-patchtst");
    const QString broken = QDir(m_workspace).filePath("d-broken");
    QSignalSpy selected(&view, &RunsView::selectionChanged);
    view.selectRunDirs({a, b, broken});
    QVERIFY(selected.count() >= 1);
    QCOMPARE(view.selectedRunDirs().size(), 3);
    QCOMPARE(selected.last().at(0).toStringList(), (QStringList{a, b, broken}));

    // The answer to selectionChanged: the curves of the selected runs.
    view.setLossCurves(lossCurves());
    verifyLossCurvesOfAAndB(view.lossCurves());
    if (QTest::currentTestFailed())
        return;

    // Setting the runs again keeps the selection and asks for the curves again.
    selected.clear();
    view.setRuns(readWorkspaceRuns(m_workspace));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().at(0).toStringList(), (QStringList{a, b, broken}));

    view.selectRunDirs({});
    QVERIFY(view.lossCurves().isEmpty());
    QCOMPARE(selected.last().at(0).toStringList(), QStringList());
}

void tst_RunsView::deleteAsksBeforeRequesting()
{
    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
    const QString a = QDir(m_workspace).filePath("a-dlinear");
    QStringList asked;
    bool answer = false;
    view.setDeleteConfirmation([&](const QStringList &names) {
        asked = names;
        return answer;
    });
    QSignalSpy requested(&view, &RunsView::deleteRequested);

    QCOMPARE(view.deleteSelected(), 0); // nothing selected: not even asked
    QVERIFY(asked.isEmpty());

    view.selectRunDirs({a});
    QCOMPARE(view.deleteSelected(), 0); // declined
    QCOMPARE(asked, QStringList{"a-dlinear"});
    QCOMPARE(requested.count(), 0);
    QCOMPARE(view.model()->rowCount(), 4);

    answer = true;
    QSignalSpy errors(&view, &RunsView::errorOccurred);
    QCOMPARE(view.deleteSelected(), 1);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().at(0).toStringList(), QStringList{a});
    QVERIFY(QFileInfo::exists(a)); // the view moves nothing itself

    // The answer: a success is no error, a failure is one that names the folder.
    view.showDeleteResult(1, {});
    QCOMPARE(errors.count(), 0);
    view.showDeleteResult(0, {a});
    QCOMPARE(errors.count(), 1);
    QVERIFY2(errors.first().at(0).toString().contains(a),
             qPrintable(errors.first().at(0).toString()));
}

void tst_RunsView::refreshAsks()
{
    RunsView view;
    QSignalSpy refresh(&view, &RunsView::refreshRequested);
    view.refresh();
    QCOMPARE(refresh.count(), 1);
    // With nothing set the list is empty; a new list replaces it.
    QCOMPARE(view.model()->rowCount(), 0);
    view.setRuns(readWorkspaceRuns(m_workspace));
    QCOMPARE(view.model()->rowCount(), 4);
    writeRun(m_workspace, {"f-new", "nlinear", 0.42, 1, "2026-01-05T10:00:00.000Z"});
    view.setRuns(readWorkspaceRuns(m_workspace));
    QCOMPARE(view.model()->rowCount(), 5);
}

void tst_RunsView::csvOfTheShownTable()
{
    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
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
    model.setRuns(readWorkspaceRuns(m_workspace));
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

    // A cross-validation says so in its task, and every cell's tip lists its folds.
    RunSummary cv = s;
    cv.crossValidation = true;
    cv.hyperparameters = QStringLiteral("cv groups (2 folds): ann 80.0 %, bob 70.0 %; sd 7.1");
    RunsTableModel cvModel;
    cvModel.setRuns({cv});
    QCOMPARE(cvModel.index(0, RunsTableModel::TaskColumn).data().toString(),
             QStringLiteral("classify \u00b7 cv"));
    QCOMPARE(cvModel.index(0, RunsTableModel::AccuracyColumn).data(Qt::ToolTipRole).toString(),
             cv.hyperparameters);

    // Forecast runs: task forecast, their lookback and horizon, no accuracy.
    const int a = model.rowOfDir(QDir(m_workspace).filePath("a-dlinear"));
    QCOMPARE(cell(a, RunsTableModel::TaskColumn), QStringLiteral("forecast"));
    QCOMPARE(cell(a, RunsTableModel::LookbackColumn), QStringLiteral("336"));
    QCOMPARE(cell(a, RunsTableModel::AccuracyColumn), QString());

    // Sorting by accuracy: the number first, runs without one after it.
    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
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
    view.setRuns(readWorkspaceRuns(m_workspace));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTableView *table = view.table();

    // Key columns first, in this order.
    const QList<int> key{RunsTableModel::ModelColumn,     RunsTableModel::DataColumn,
                         RunsTableModel::TaskColumn,      RunsTableModel::StateColumn,
                         RunsTableModel::BestEpochColumn, RunsTableModel::TestMseColumn,
                         RunsTableModel::TestMaeColumn,   RunsTableModel::AccuracyColumn,
                         RunsTableModel::MacroF1Column,   RunsTableModel::SiSnriColumn,
                         RunsTableModel::LookbackColumn,  RunsTableModel::HorizonColumn,
                         RunsTableModel::CreatedColumn};
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

void tst_RunsView::resumeOffersOnlyAnInterruptedRun()
{
    // e-stopped: stopped with a checkpoint; f-killed: "running", but its process is gone.
    writeRun(m_workspace, {"e-stopped", "dlinear", NAN, 2, "2024-05-01T10:00:00.000Z"});
    writeRun(m_workspace, {"f-killed", "patchtst", NAN, 1, "2024-05-01T11:00:00.000Z"});
    QProcess gone;
    gone.start(QStringLiteral("/bin/true"), {});
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    QVERIFY(RunStore::open(QDir(m_workspace).filePath("e-stopped"))
                ->writeStatus(RunState::Interrupted, "stopped by the user"));
    QVERIFY(RunStore::open(QDir(m_workspace).filePath("f-killed"))
                ->writeStatus(RunState::Running, QString(),
                              {{"pid", deadPid}, {"host", QSysInfo::machineHostName()}}));

    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
    auto *button = view.findChild<QPushButton *>("resumeRunButton");
    QVERIFY(button);
    QStringList requested;
    connect(&view, &RunsView::resumeRequested, this,
            [&](const RunSummary &run) { requested << run.dir; });

    const QString finished = QDir(m_workspace).filePath("a-dlinear");
    const QString stopped = QDir(m_workspace).filePath("e-stopped");
    const QString killed = QDir(m_workspace).filePath("f-killed");
    QVERIFY(!button->isEnabled()); // nothing selected
    view.selectRunDirs({finished});
    QVERIFY(!button->isEnabled());
    QVERIFY(!view.resumeSelected());

    view.selectRunDirs({stopped});
    QVERIFY(button->isEnabled());
    QVERIFY(view.resumeSelected());
    view.selectRunDirs({killed}); // reads as interrupted
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested, QStringList({stopped, killed}));

    view.selectRunDirs({stopped, killed}); // one run at a time
    QVERIFY(!button->isEnabled());
    QVERIFY(!view.resumeSelected());
    QCOMPARE(requested.size(), 2);
}

void tst_RunsView::shuffledSplitIsNamedInTheDataColumn()
{
    writeRun(m_workspace, {"g-leak", "dlinear", 0.27, 3, "2026-12-06T20:00:00.000Z", "shuffled"});
    writeRun(m_workspace, {"h-ratio", "dlinear", 0.34, 3, "2026-12-06T20:01:00.000Z", "ratio"});
    RunsTableModel model;
    model.setRuns(readWorkspaceRuns(m_workspace));
    const auto data = [&](const char *run, int role) {
        const int row = model.rowOfDir(QDir(m_workspace).filePath(QLatin1String(run)));
        return model.data(model.index(row, RunsTableModel::DataColumn), role).toString();
    };
    QCOMPARE(data("g-leak", Qt::DisplayRole), QStringLiteral("shuffled: ETTh1.csv"));
    QVERIFY(data("g-leak", Qt::ToolTipRole).contains(QStringLiteral("leaks the future")));
    QCOMPARE(data("h-ratio", Qt::DisplayRole), QStringLiteral("ETTh1.csv"));
    QCOMPARE(data("h-ratio", Qt::ToolTipRole), QStringLiteral("/data/ett/ETTh1.csv\nsplit: ratio"));
}

namespace {

RunSummary summary(const QString &name, const QString &model, double mse, const QString &created,
                   const QString &initFrom = {})
{
    RunSummary r;
    r.dir = QStringLiteral("/ws/") + name;
    r.name = name;
    r.readable = true;
    r.model = model;
    r.task = QStringLiteral("forecast");
    r.state = QStringLiteral("finished");
    r.bestEpoch = 1;
    r.testMse = mse;
    r.initFrom = initFrom;
    r.created = QDateTime::fromString(created, Qt::ISODate);
    return r;
}

} // namespace

void tst_RunsView::fineTunedRunsFollowTheirSource()
{
    // p-pre: a pretraining run; its fine-tunes written with an absolute and a relative path,
    // and a fine-tune of a fine-tune; z-other: a run of its own between them in time and MSE.
    std::vector<RunSummary> runs{
        summary("p-pre", "patchtst", NAN, "2024-05-01T08:00:00Z"),
        summary("z-other", "dlinear", 0.40, "2024-05-01T09:30:00Z"),
        summary("p-full", "patchtst", 0.38, "2024-05-01T09:00:00Z", "/ws/p-pre"),
        summary("p-probe", "patchtst", 0.45, "2024-05-01T10:00:00Z", "runs/p-pre"),
        summary("p-probe-again", "patchtst", 0.37, "2024-05-01T11:00:00Z", "/ws/p-probe"),
        summary("q-lost", "patchtst", 0.50, "2024-05-01T12:00:00Z", "/elsewhere/gone")};
    RunsView view;
    view.setRuns(runs);
    const QSortFilterProxyModel *proxy = view.proxy();
    const int created = RunsTableModel::CreatedColumn;
    // Newest first (the default), each group by its source's time, the source first, then
    // its fine-tunes by depth, newest first.
    view.table()->sortByColumn(created, Qt::DescendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::RunColumn),
             QStringList({"q-lost", "z-other", "p-pre", "p-probe", "p-full", "p-probe-again"}));
    view.table()->sortByColumn(created, Qt::AscendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::RunColumn),
             QStringList({"p-pre", "p-full", "p-probe", "p-probe-again", "z-other", "q-lost"}));
    // By test MSE: groups by their source's (a pretraining run has none: last), children by
    // their own within the group.
    view.table()->sortByColumn(RunsTableModel::TestMseColumn, Qt::AscendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::RunColumn),
             QStringList({"z-other", "q-lost", "p-pre", "p-full", "p-probe", "p-probe-again"}));
    // The model cell shows the depth, its tooltip the source.
    const QStringList models = column(proxy, RunsTableModel::ModelColumn);
    QCOMPARE(models.mid(2),
             QStringList({QStringLiteral("patchtst"), QStringLiteral("\u21b3 patchtst"),
                          QStringLiteral("\u21b3 patchtst"), QStringLiteral("  \u21b3 patchtst")}));
    QCOMPARE(models.at(1), QStringLiteral("patchtst")); // q-lost: its source is not listed
    const int probe = view.model()->rowOfDir(QStringLiteral("/ws/p-probe"));
    QCOMPARE(
        view.model()->index(probe, RunsTableModel::ModelColumn).data(Qt::ToolTipRole).toString(),
        QStringLiteral("Fine-tuned from runs/p-pre"));
    QCOMPARE(view.model()->sourceRow(probe), view.model()->rowOfDir(QStringLiteral("/ws/p-pre")));
}

void tst_RunsView::fineTuneOffersOnlyAFinishedRun()
{
    RunSummary running = summary("r-running", "patchtst", NAN, "2024-05-01T08:00:00Z");
    running.state = QStringLiteral("running");
    running.bestEpoch = 0;
    RunSummary cv = summary("c-cv", "tst", NAN, "2024-05-01T08:00:00Z");
    cv.crossValidation = true;
    RunsView view;
    view.setRuns({summary("p-pre", "patchtst", NAN, "2024-05-01T08:00:00Z"), running, cv});
    auto *button = view.findChild<QPushButton *>("fineTuneRunButton");
    QVERIFY(button);
    QStringList requested;
    connect(&view, &RunsView::fineTuneRequested, this,
            [&](const RunSummary &run) { requested << run.name; });
    QVERIFY(!button->isEnabled());
    view.selectRunDirs({QStringLiteral("/ws/r-running")});
    QVERIFY(!button->isEnabled());
    QVERIFY(!view.fineTuneSelected());
    view.selectRunDirs({QStringLiteral("/ws/c-cv")});
    QVERIFY(!button->isEnabled());
    view.selectRunDirs({QStringLiteral("/ws/p-pre"), QStringLiteral("/ws/r-running")});
    QVERIFY(!button->isEnabled());
    view.selectRunDirs({QStringLiteral("/ws/p-pre")});
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested, QStringList{QStringLiteral("p-pre")});
}

void tst_RunsView::separationMetrics()
{
    writeSeparateRun(m_workspace, QStringLiteral("s-convtasnet"), 9.5);
    writeSeparateRun(m_workspace, QStringLiteral("t-convtasnet"), 4.25);
    RunsTableModel model;
    model.setRuns(readWorkspaceRuns(m_workspace));
    const int s = model.rowOfDir(QDir(m_workspace).filePath("s-convtasnet"));
    QVERIFY(s >= 0);
    const RunSummary &run = model.run(s);
    QCOMPARE(run.task, QStringLiteral("separate"));
    QCOMPARE(run.testSiSnri, 9.5);
    QCOMPARE(run.testSiSnr, 9.25);
    QCOMPARE(run.testSdri, 9.7);
    QCOMPARE(run.testSdr, 10.0);
    QVERIFY(std::isnan(run.testAccuracy) && std::isnan(run.testMse));
    auto cell = [&](int row, int column) {
        return model.index(row, column).data().toString();
    };
    QCOMPARE(model.headerData(RunsTableModel::SiSnriColumn, Qt::Horizontal).toString(),
             QStringLiteral("SI-SNRi (dB)"));
    QCOMPARE(cell(s, RunsTableModel::TaskColumn), QStringLiteral("separate"));
    QCOMPARE(cell(s, RunsTableModel::SiSnriColumn), QStringLiteral("9.50"));
    QCOMPARE(cell(s, RunsTableModel::BestEpochColumn), QStringLiteral("17"));
    QCOMPARE(cell(s, RunsTableModel::AccuracyColumn), QString());
    QCOMPARE(cell(s, RunsTableModel::TestMseColumn), QString());
    QCOMPARE(model.index(s, RunsTableModel::SiSnriColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Improvement over the mixture, mean of the test mixtures' sources: "
                            "SI-SNRi 9.50 dB (SI-SNR 9.25 dB), SDRi 9.70 dB (SDR 10.00 dB)"));
    QCOMPARE(model.index(s, RunsTableModel::SiSnriColumn).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    const int a = model.rowOfDir(QDir(m_workspace).filePath("a-dlinear"));
    QCOMPARE(cell(a, RunsTableModel::SiSnriColumn), QString()); // a forecast

    // Sorted by SI-SNRi: 4.25 before 9.5, the runs without one after them.
    RunsView view;
    view.setRuns(readWorkspaceRuns(m_workspace));
    QSortFilterProxyModel *proxy = view.proxy();
    proxy->sort(RunsTableModel::SiSnriColumn, Qt::AscendingOrder);
    QCOMPARE(column(proxy, RunsTableModel::RunColumn).mid(0, 2),
             QStringList({"t-convtasnet", "s-convtasnet"}));
    QCOMPARE(column(proxy, RunsTableModel::SiSnriColumn).mid(0, 3),
             QStringList({"4.25", "9.50", ""}));
}

QTEST_MAIN(tst_RunsView)
#include "tst_runsview.moc"
