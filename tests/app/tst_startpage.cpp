// The start page (issue 20, the newcomer's path): samples, recent files and lessons, what clicking
// them sends, the page as the window's first tab, and the window's default size.

#include "MainWindow.h"
#include "RecentFiles.h"
#include "SampleData.h"
#include "StartPage.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/forecast/ForecastView.h"

#include <QCommandLinkButton>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

const char tinyCsv[] = "date,temp,load\n"
                       "2020-01-01 00:00,1.5,10\n"
                       "2020-01-01 01:00,2.0,11\n"
                       "2020-01-01 02:00,2.5,12\n";

bool writeFile(const QString &path, const char *content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write(content) == qint64(qstrlen(content));
}

QCommandLinkButton *entry(const QWidget &page, const QString &name)
{
    return page.findChild<QCommandLinkButton *>(name);
}

/// The entry of the sample at `path` (the build tree's samples are listed too).
QCommandLinkButton *sampleEntry(const StartPage &page, const QString &path)
{
    const std::vector<SampleInfo> &samples = page.samples();
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (samples[i].path == path)
            return entry(page, QStringLiteral("startPage_sample_%1").arg(i));
    return nullptr;
}

} // namespace

class tst_StartPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listsTheSamples();
    void clickingASampleRequestsIt();
    void listsRecentFiles();
    void openButtonRequestsAFile();
    void lessonsAreListedAndRequested();
    void lessonsStandBesideWhenWide();
    void fitsANarrowPage();
    void windowStartsOnTheStartPage();
    void windowDefaultSizeFitsTheScreen();

private:
    QTemporaryDir m_dir;
    QString m_co2;  ///< a sample the manifest describes
    QString m_tiny; ///< a sample it does not
};

void tst_StartPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_startpage"));
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("samples")));
    m_co2 = m_dir.filePath(QStringLiteral("samples/co2.csv"));
    m_tiny = m_dir.filePath(QStringLiteral("samples/tiny.csv"));
    QVERIFY(writeFile(m_co2, tinyCsv));
    QVERIFY(writeFile(m_tiny, tinyCsv));
    // Only the temporary samples: the build tree's are not searched first.
    qputenv("TWB_SAMPLE_DIR", m_dir.filePath(QStringLiteral("samples")).toUtf8());
}

void tst_StartPage::init()
{
    QSettings().clear(); // no recent files, no saved geometry
}

void tst_StartPage::listsTheSamples()
{
    StartPage page;
    // TWB_SAMPLE_DIR comes first (then the build tree's samples, when fetched): the manifest's
    // samples first, with title and description, then the others by name, tiny.csv last.
    QVERIFY(page.samples().size() >= 2);
    QCOMPARE(page.samples().front().path, m_co2);
    QCOMPARE(page.samples().back().path, m_tiny);
    QCommandLinkButton *co2 = entry(page, QStringLiteral("startPage_sample_0"));
    QCommandLinkButton *tiny = sampleEntry(page, m_tiny);
    QVERIFY(co2 && tiny);
    QCOMPARE(tiny->objectName(),
             QStringLiteral("startPage_sample_%1").arg(page.samples().size() - 1));
    QVERIFY2(co2->text().contains(QStringLiteral("Mauna Loa")), qPrintable(co2->text()));
    QVERIFY(!co2->description().isEmpty());
    QCOMPARE(tiny->text(), QStringLiteral("tiny.csv"));
    QVERIFY(co2->isEnabled() && tiny->isEnabled());

    // No samples: no entries, a hint instead.
    page.setSamples({});
    QVERIFY(!entry(page, QStringLiteral("startPage_sample_0")));
}

void tst_StartPage::clickingASampleRequestsIt()
{
    StartPage page;
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy requested(&page, &StartPage::fileRequested);
    QCommandLinkButton *tiny = sampleEntry(page, m_tiny);
    QVERIFY(tiny);
    QTest::mouseClick(tiny, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).toString(), m_tiny);
}

void tst_StartPage::listsRecentFiles()
{
    RecentFiles recent;
    const QString gone = m_dir.filePath(QStringLiteral("gone.csv"));
    recent.add(m_tiny);
    recent.add(gone); // newest first
    StartPage page(&recent);
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCommandLinkButton *first = entry(page, QStringLiteral("startPage_recent_0"));
    QCommandLinkButton *second = entry(page, QStringLiteral("startPage_recent_1"));
    QVERIFY(first && second);
    QVERIFY(!entry(page, QStringLiteral("startPage_recent_2")));
    QCOMPARE(first->text(), QStringLiteral("gone.csv"));
    QVERIFY(!first->isEnabled()); // the file is gone
    QCOMPARE(second->text(), QStringLiteral("tiny.csv"));
    QVERIFY(second->isEnabled());
    QCOMPARE(second->description(), QDir::toNativeSeparators(m_dir.filePath("samples")));

    QSignalSpy requested(&page, &StartPage::fileRequested);
    QTest::mouseClick(second, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).toString(), m_tiny);

    // The list follows RecentFiles: a file opened moves to the top.
    recent.add(m_co2);
    QCommandLinkButton *top = entry(page, QStringLiteral("startPage_recent_0"));
    QVERIFY(top);
    QCOMPARE(top->text(), QStringLiteral("co2.csv"));
    QVERIFY(top->isEnabled());
    QVERIFY(entry(page, QStringLiteral("startPage_recent_2")));
    QVERIFY(!entry(page, QStringLiteral("startPage_recent_3")));

    // Cleared: no entries, and the section is hidden.
    recent.clear();
    QVERIFY(!entry(page, QStringLiteral("startPage_recent_0")));
}

void tst_StartPage::openButtonRequestsAFile()
{
    StartPage page;
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy open(&page, &StartPage::openFileRequested);
    QSignalSpy file(&page, &StartPage::fileRequested);
    QCommandLinkButton *button = entry(page, QStringLiteral("startPage_open"));
    QVERIFY(button);
    QVERIFY(button->text().startsWith(QStringLiteral("Open your own file")));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(open.size(), 1);
    QCOMPARE(file.size(), 0);
}

void tst_StartPage::lessonsAreListedAndRequested()
{
    StartPage page;
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.lessons().isEmpty());
    QVERIFY(page.findChildren<QCommandLinkButton *>(QRegularExpression("^startPage_lesson_"))
                .isEmpty());

    page.setLessons({{QStringLiteral("first-forecast"), QStringLiteral("Your first forecast"),
                      QStringLiteral("Train DLinear on ETTh1 and read its forecasts")},
                     {QStringLiteral("spoken-digits"), QStringLiteral("Spoken digits"),
                      QStringLiteral("Classify FSDD recordings with t2")}});
    QCOMPARE(page.lessons().size(), 2);
    QCommandLinkButton *forecast = entry(page, QStringLiteral("startPage_lesson_first-forecast"));
    QCommandLinkButton *digits = entry(page, QStringLiteral("startPage_lesson_spoken-digits"));
    QVERIFY(forecast && digits);
    QCOMPARE(forecast->text(), QStringLiteral("Your first forecast"));
    QCOMPARE(forecast->description(),
             QStringLiteral("Train DLinear on ETTh1 and read its forecasts"));
    QTRY_VERIFY(digits->isVisible());

    QSignalSpy lesson(&page, &StartPage::lessonRequested);
    QSignalSpy file(&page, &StartPage::fileRequested);
    QTest::mouseClick(digits, Qt::LeftButton);
    QCOMPARE(lesson.size(), 1);
    QCOMPARE(lesson.first().at(0).toString(), QStringLiteral("spoken-digits"));
    QCOMPARE(file.size(), 0);

    // Replaced: only the new lessons are there.
    page.setLessons({{QStringLiteral("attention"), QStringLiteral("Attention"), QString()}});
    QVERIFY(!entry(page, QStringLiteral("startPage_lesson_first-forecast")));
    QVERIFY(entry(page, QStringLiteral("startPage_lesson_attention")));
}

void tst_StartPage::lessonsStandBesideWhenWide()
{
    StartPage page;
    page.setLessons({{QStringLiteral("a"), QStringLiteral("Lesson A"), QStringLiteral("About A")}});
    page.resize(StartPage::TwoColumnWidth + 200, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCommandLinkButton *sample = entry(page, QStringLiteral("startPage_sample_0"));
    QCommandLinkButton *lesson = entry(page, QStringLiteral("startPage_lesson_a"));
    QVERIFY(sample && lesson);
    const auto at = [&page](QWidget *w) {
        return w->mapTo(&page, QPoint(0, 0));
    };
    QTRY_VERIFY(at(lesson).x() > at(sample).x() + sample->width() / 2); // beside
    page.resize(StartPage::TwoColumnWidth - 100, 600);
    QTRY_VERIFY(at(lesson).y() > at(sample).y() + sample->height()); // below
}

void tst_StartPage::fitsANarrowPage()
{
    // About the room the Start tab has in a 1024×640 window beside the docks: nothing is cut
    // off at the right; the page scrolls down instead.
    RecentFiles recent;
    recent.add(m_tiny);
    StartPage page(&recent);
    page.setLessons({{QStringLiteral("a"), QStringLiteral("Lesson A"), QStringLiteral("About A")}});
    page.resize(640, 320);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *scroll = page.findChild<QScrollArea *>();
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0); // laid out: it scrolls down
    QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    QCommandLinkButton *lesson = entry(page, QStringLiteral("startPage_lesson_a"));
    QVERIFY(lesson);
    QVERIFY(lesson->width() <= scroll->viewport()->width());
}

void tst_StartPage::windowStartsOnTheStartPage()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTabWidget *tabs = window.centralTabs();
    QVERIFY(window.startPage());
    QCOMPARE(tabs->widget(0), window.startPage());
    QCOMPARE(tabs->tabText(0), QStringLiteral("Start"));
    QCOMPARE(tabs->currentWidget(), window.startPage());

    // A sample clicked opens it, and the window shows the series.
    QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
    QCommandLinkButton *tiny = sampleEntry(*window.startPage(), m_tiny);
    QVERIFY(tiny);
    QTest::mouseClick(tiny, Qt::LeftButton);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.first().at(0).toString(), m_tiny);
    QCOMPARE(window.currentFile(), m_tiny);
    QCOMPARE(tabs->currentWidget(), window.chartView());
    // The opened file is now among the start page's recent files.
    QCommandLinkButton *recent = entry(*window.startPage(), QStringLiteral("startPage_recent_0"));
    QVERIFY(recent);
    QCOMPARE(recent->text(), QStringLiteral("tiny.csv"));

    // Opening another file from another tab leaves that tab current.
    tabs->setCurrentWidget(window.forecastView());
    loaded.clear();
    window.openFile(m_co2);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(tabs->currentWidget(), window.forecastView());
}

void tst_StartPage::windowDefaultSizeFitsTheScreen()
{
    // No saved geometry (init cleared the settings): 1280×800 at most, within the screen's
    // available area with room for the frame.
    MainWindow window;
    const QRect available = window.screen()->availableGeometry();
    const QSize size = window.size();
    QVERIFY2(size.width() <= 1280 && size.height() <= 800,
             qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
    QVERIFY(size.width() <= available.width() - 32);
    QVERIFY(size.height() <= available.height() - 48);
    if (available.width() >= 1400 && available.height() >= 900)
        QCOMPARE(size, QSize(1280, 800));

    // Docks, model panel and every tab fit a 1366×768 screen with a taskbar.
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (int i = 0; i < window.centralTabs()->count(); ++i) {
        window.centralTabs()->setCurrentIndex(i);
        QCoreApplication::processEvents();
        const QSize minimum = window.minimumSizeHint();
        QVERIFY2(minimum.width() <= 1300 && minimum.height() <= 700,
                 qPrintable(QStringLiteral("%1: %2x%3")
                                .arg(window.centralTabs()->tabText(i))
                                .arg(minimum.width())
                                .arg(minimum.height())));
    }
}

QTEST_MAIN(tst_StartPage)
#include "tst_startpage.moc"
