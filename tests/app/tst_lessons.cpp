// The lessons (issue 20): every bundled lesson file loads, names data that exists and widgets
// the window has, and walks offscreen to its end in a real window — opening the shared real
// data, training with the built twb-cli and plugins, computing attention.

#include "MainWindow.h"
#include "lessons/LessonLibrary.h"
#include "lessons/LessonPanel.h"
#include "lessons/LessonRunner.h"
#include "plugin/ModelRegistry.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/common/WidgetHighlight.h"

#include <QAbstractButton>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

QStringList bundledOnly()
{
    return {QStringLiteral(":/twb/lessons")};
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.write(content);
    return path;
}

/// The lessons' data (ETTh1, the spoken digits) is the shared real data beside the clone.
bool sharedDataMissing()
{
    return !QFileInfo::exists(QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv")) ||
           !QFileInfo::exists(QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings"));
}

QString rectText(const QRect &r)
{
    return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

} // namespace

class tst_Lessons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bundledLessonsLoad();
    void dataOfEveryLessonIsFound();
    void errorsNameTheFileAndTheStep_data();
    void errorsNameTheFileAndTheStep();
    void teacherLessonsAddAndReplace();
    void everyNamedWidgetExists();
    void missingDataFailsTheStepWithTheFileName();
    void valueOutOfRangeFailsTheStep_data();
    void valueOutOfRangeFailsTheStep();
    void startPageStartsALesson();
    void walkEachLesson_data();
    void walkEachLesson();

private:
    QTemporaryDir m_dir;
};

void tst_Lessons::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_lessons"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    qputenv("TWB_DATA_DIR", QByteArrayLiteral(TWB_SHARED_DATA_DIR));
}

void tst_Lessons::bundledLessonsLoad()
{
    const LessonLibrary library = LessonLibrary::loadFrom(bundledOnly());
    QVERIFY2(library.problems.isEmpty(), qPrintable(library.problems.join(QLatin1Char('\n'))));
    QCOMPARE(int(library.lessons.size()), 5);
    const QStringList ids{QStringLiteral("01-tokens"), QStringLiteral("02-attention"),
                          QStringLiteral("03-protocol"), QStringLiteral("04-spectrogram"),
                          QStringLiteral("05-linear-vs-transformer")};
    for (int i = 0; i < ids.size(); ++i) {
        const Lesson &lesson = library.lessons.at(std::size_t(i));
        QCOMPARE(lesson.id, ids.at(i));
        QVERIFY(lesson.steps.size() >= 5);
        // Each ends with a "try it yourself" question and its answer.
        QVERIFY2(!lesson.steps.back().question.isEmpty(), qPrintable(lesson.id));
        QVERIFY(!lesson.steps.back().answer.isEmpty());
        // The first step does something (opens the data).
        QVERIFY(lesson.steps.front().waits());
    }
}

void tst_Lessons::dataOfEveryLessonIsFound()
{
    if (sharedDataMissing())
        QSKIP("the shared real data (" TWB_SHARED_DATA_DIR ") is missing");
    const LessonLibrary library = LessonLibrary::loadFrom(bundledOnly());
    for (const Lesson &lesson : library.lessons) {
        QVERIFY(!lesson.dataFiles().isEmpty());
        for (const QString &file : lesson.dataFiles())
            QVERIFY2(!findLessonData(file).isEmpty(), qPrintable(lesson.id + ": " + file));
    }
    QCOMPARE(findLessonData(QStringLiteral("no/such/file.csv")), QString());
}

void tst_Lessons::errorsNameTheFileAndTheStep_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QByteArray head = R"({"title": "T", "summary": "S", "steps": [)";
    QTest::newRow("not json") << QByteArray("{\"title\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("no summary") << QByteArray(R"({"title": "T", "steps": []})")
                                << QStringLiteral("one-line \"summary\"");
    QTest::newRow("no steps") << QByteArray(R"({"title": "T", "summary": "S", "steps": []})")
                              << QStringLiteral("non-empty list of \"steps\"");
    QTest::newRow("unknown action")
        << head +
               R"({"title": "a", "text": "b"}, {"title": "c", "text": "d", "do": [{"trian": true}]}]})"
        << QStringLiteral("step 2: unknown action \"trian\"");
    QTest::newRow("unknown key") << head + R"({"title": "a", "text": "b", "hihglight": "x"}]})"
                                 << QStringLiteral("step 1: unknown key \"hihglight\"");
    QTest::newRow("question alone") << head + R"({"title": "a", "text": "b", "question": "q"}]})"
                                    << QStringLiteral("step 1: \"question\" and \"answer\"");
    QTest::newRow("set not object") << head + R"({"title": "a", "text": "b", "do": [{"set": 3}]}]})"
                                    << QStringLiteral("step 1: \"set\" needs an object");
    QTest::newRow("two keys")
        << head + R"({"title": "a", "text": "b", "do": [{"tab": "X", "open": "y"}]}]})"
        << QStringLiteral("step 1: each entry of \"do\"");
}

void tst_Lessons::errorsNameTheFileAndTheStep()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const Expected<Lesson> lesson = parseLesson(json, QStringLiteral("/teacher/bad.json"));
    QVERIFY(!lesson);
    QCOMPARE(lesson.error().file, QStringLiteral("/teacher/bad.json"));
    QVERIFY2(lesson.error().reason.contains(expected), qPrintable(lesson.error().reason));
}

void tst_Lessons::teacherLessonsAddAndReplace()
{
    const QString folder = m_dir.filePath(QStringLiteral("teacher"));
    QVERIFY(QDir().mkpath(folder));
    const QByteArray lesson =
        R"({"title": "Mine", "summary": "A teacher's lesson", "steps": [{"title": "One", "text": "Look.", "do": [{"tab": "Runs"}], "highlight": "runsView"}]})";
    QVERIFY(!writeFile(folder + QStringLiteral("/06-mine.json"), lesson).isEmpty());
    QVERIFY(!writeFile(folder + QStringLiteral("/01-tokens.json"), lesson).isEmpty());
    QVERIFY(!writeFile(folder + QStringLiteral("/07-broken.json"), "{").isEmpty());
    const LessonLibrary library =
        LessonLibrary::loadFrom({QStringLiteral(":/twb/lessons"), folder});
    QCOMPARE(int(library.lessons.size()), 6);
    QCOMPARE(library.find(QStringLiteral("01-tokens"))->title, QStringLiteral("Mine"));
    QCOMPARE(library.find(QStringLiteral("06-mine"))->summary,
             QStringLiteral("A teacher's lesson"));
    QCOMPARE(library.problems.size(), 1);
    QVERIFY(library.problems.first().contains(QStringLiteral("07-broken.json")));

    // The folder named by TWB_LESSON_DIR is searched by load().
    qputenv("TWB_LESSON_DIR", folder.toLocal8Bit());
    QVERIFY(lessonDirectories().contains(folder));
    QVERIFY(LessonLibrary::load().find(QStringLiteral("06-mine")));
    qunsetenv("TWB_LESSON_DIR");
}

void tst_Lessons::everyNamedWidgetExists()
{
    MainWindow window;
    const LessonLibrary library = LessonLibrary::loadFrom(bundledOnly());
    for (const Lesson &lesson : library.lessons) {
        for (std::size_t s = 0; s < lesson.steps.size(); ++s) {
            const LessonStep &step = lesson.steps.at(s);
            const QString where = QStringLiteral("%1 step %2").arg(lesson.id).arg(s + 1);
            if (!step.highlight.isEmpty())
                QVERIFY2(window.lessonRunner()->findTarget(step.highlight),
                         qPrintable(where + ": " + step.highlight));
            for (const LessonAction &action : step.actions)
                if (action.kind == LessonAction::Kind::Widget ||
                    action.kind == LessonAction::Kind::Click)
                    QVERIFY2(window.lessonRunner()->findTarget(action.text),
                             qPrintable(where + ": " + action.text));
        }
    }
}

void tst_Lessons::missingDataFailsTheStepWithTheFileName()
{
    MainWindow window;
    window.show();
    Expected<Lesson> lesson = parseLesson(
        R"({"title": "T", "summary": "S", "steps": [{"title": "a", "text": "b", "do": [{"open": "nowhere/gone.csv"}], "highlight": "seriesChart"}]})",
        QStringLiteral("gone.json"));
    QVERIFY(lesson);
    LessonRunner *runner = window.lessonRunner();
    QSignalSpy failed(runner, &LessonRunner::stepFailed);
    runner->start(*lesson);
    QVERIFY(runner->next());
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("nowhere/gone.csv")));
    QVERIFY(!runner->isBusy());
    // The step's widget is framed all the same, so the learner still sees where to look.
    QVERIFY(WidgetHighlight::current(&window));
    QCOMPARE(WidgetHighlight::current(&window)->target(), window.chartView());
}

void tst_Lessons::valueOutOfRangeFailsTheStep_data()
{
    QTest::addColumn<QString>("widget");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("kept");
    // spectrogramFloor: a QDoubleSpinBox, -300..300 dB, no decimals; spectrogramNfft: a combo.
    QTest::newRow("real in range") << "spectrogramFloor"
                                   << "-60" << true;
    QTest::newRow("real rounded") << "spectrogramFloor"
                                  << "-60.4" << true;
    QTest::newRow("real above range") << "spectrogramFloor"
                                      << "1000" << false;
    QTest::newRow("real not a number") << "spectrogramFloor"
                                       << "loud" << false;
    QTest::newRow("combo unknown") << "spectrogramNfft"
                                   << "500" << false;
}

void tst_Lessons::valueOutOfRangeFailsTheStep()
{
    QFETCH(QString, widget);
    QFETCH(QString, value);
    QFETCH(bool, kept);
    MainWindow window;
    window.show();
    const QByteArray json =
        QStringLiteral(
            R"({"title": "T", "summary": "S", "steps": [{"title": "a", "text": "b", "do": [{"widget": {"name": "%1", "value": "%2"}}]}]})")
            .arg(widget, value)
            .toUtf8();
    Expected<Lesson> lesson = parseLesson(json, QStringLiteral("range.json"));
    QVERIFY2(lesson, qPrintable(lesson ? QString() : lesson.error().reason));
    LessonRunner *runner = window.lessonRunner();
    QSignalSpy failed(runner, &LessonRunner::stepFailed);
    runner->start(*lesson);
    runner->next();
    QTRY_VERIFY(!runner->isBusy());
    QCOMPARE(failed.isEmpty(), kept);
    if (!kept)
        QVERIFY(failed.first().at(1).toString().contains(widget));
}

void tst_Lessons::startPageStartsALesson()
{
    if (sharedDataMissing())
        QSKIP("the shared real data (" TWB_SHARED_DATA_DIR ") is missing");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *entry =
        window.findChild<QAbstractButton *>(QStringLiteral("startPage_lesson_04-spectrogram"));
    QVERIFY(entry);
    QVERIFY(entry->isVisible());
    entry->click();
    QVERIFY(window.lessonDock()->isVisible());
    LessonRunner *runner = window.lessonRunner();
    QVERIFY(runner->isActive());
    QCOMPARE(runner->lesson().id, QStringLiteral("04-spectrogram"));
    QCOMPARE(runner->currentStep(), 0);
    QTRY_VERIFY(!runner->isBusy());
    // Step 1 opened the spoken "seven" in the Spectrogram tab and framed the spectrogram.
    QCOMPARE(WidgetHighlight::current(&window)->target()->objectName(),
             QStringLiteral("spectrogramView"));
    // Closing the dock leaves the lesson and removes the frame.
    window.lessonDock()->close();
    QTRY_VERIFY(!runner->isActive());
    QTRY_VERIFY(!WidgetHighlight::current(&window));
}

void tst_Lessons::walkEachLesson_data()
{
    QTest::addColumn<QString>("id");
    for (const Lesson &lesson : LessonLibrary::loadFrom(bundledOnly()).lessons)
        QTest::newRow(qPrintable(lesson.id)) << lesson.id;
}

void tst_Lessons::walkEachLesson()
{
    if (sharedDataMissing())
        QSKIP("the shared real data (" TWB_SHARED_DATA_DIR ") is missing");
    QFETCH(QString, id);
    const QString cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFileInfo(cli).isExecutable(), qPrintable(cli + " is not built"));
    QSettings settings;
    settings.setValue(QLatin1String(MainWindow::RunsDirectoryKey), m_dir.filePath(id));
    settings.setValue(QLatin1String(MainWindow::CliProgramKey), cli);
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    MainWindow window;
    window.resize(1280, 800);
    window.setModelRegistry(registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    window.showLessons(id);
    QVERIFY(window.lessonDock()->isVisible());
    LessonRunner *runner = window.lessonRunner();
    LessonPanel *panel = window.lessonPanel();
    QVERIFY(runner->isActive());
    QCOMPARE(runner->lesson().id, id);
    QSignalSpy failed(runner, &LessonRunner::stepFailed);
    QElapsedTimer lessonTime;
    lessonTime.start();
    for (int step = 0; step < int(runner->lesson().steps.size()); ++step) {
        if (step > 0) {
            QVERIFY(panel->nextButton()->isEnabled());
            panel->nextButton()->click();
        }
        QCOMPARE(runner->currentStep(), step);
        // Trainings take seconds each here; a slow machine gets three minutes per step.
        QTRY_VERIFY_WITH_TIMEOUT(!runner->isBusy() || !failed.isEmpty(), 180000);
        QVERIFY2(
            failed.isEmpty(),
            qPrintable(QStringLiteral("%1 step %2: %3")
                           .arg(id)
                           .arg(step + 1)
                           .arg(failed.isEmpty() ? QString() : failed.first().at(1).toString())));
        const LessonStep &shown = runner->lesson().steps.at(std::size_t(step));
        if (!shown.highlight.isEmpty()) {
            // The frame surrounds the step's widget, which is visible (its tab current).
            QWidget *target = runner->findTarget(shown.highlight);
            WidgetHighlight *frame = WidgetHighlight::current(&window);
            QVERIFY2(frame, qPrintable(shown.highlight));
            QCOMPARE(frame->target(), target);
            QTRY_VERIFY2(target->isVisible(), qPrintable(shown.highlight));
            // The frame follows the target once the layout has settled.
            const auto targetRect = [&] {
                return WidgetHighlight::visibleRect(target, &window);
            };
            QTRY_VERIFY2(!targetRect().isEmpty(),
                         qPrintable(QStringLiteral("%1 step %2: %3 not visible")
                                        .arg(id)
                                        .arg(step + 1)
                                        .arg(shown.highlight)));
            QTRY_VERIFY2(
                frame->frameRect().contains(targetRect()),
                qPrintable(QStringLiteral("%1 step %2: frame %3 around %4")
                               .arg(id)
                               .arg(step + 1)
                               .arg(rectText(frame->frameRect()), rectText(targetRect()))));
        }
        // A question's answer appears only on request.
        QCOMPARE(panel->answerButton()->isVisible(), !shown.question.isEmpty());
        if (!shown.question.isEmpty()) {
            QVERIFY(!panel->answerLabel()->isVisible());
            panel->answerButton()->click();
            QVERIFY(panel->answerLabel()->isVisible());
            QCOMPARE(panel->answerLabel()->text(), shown.answer);
        }
    }
    qInfo("%s: %d steps in %.1f s", qPrintable(id), int(runner->lesson().steps.size()),
          lessonTime.elapsed() / 1000.0);
    QCOMPARE(panel->nextButton()->text(), QStringLiteral("Finish"));
    panel->nextButton()->click();
    QVERIFY(!runner->isActive());
    QVERIFY(!WidgetHighlight::current(&window));
    // The docks hidden during the lesson are back.
    QVERIFY(window.channelTable()->isVisible());
}

QTEST_MAIN(tst_Lessons)
#include "tst_lessons.moc"
