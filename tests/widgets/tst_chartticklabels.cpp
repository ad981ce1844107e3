// Tick labels readable at small sizes (issue 20): the chart views of the window, with real data
// (ETTh1), in a window laid out like the workbench's (docks at the right and at the bottom) at
// 1024×640 and at the default 1280×800: no axis tick label is truncated to "..." and both axes
// are labelled.

#include "ChartLabels.h"
#include "data/DatasetLoader.h"
#include "runs/PredictionsFile.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/training/TrainingCurves.h"
#include "widgets/training/TrainingDashboard.h"

#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>

#include <cmath>
#include <memory>

using namespace twb;
using namespace twb::test;

namespace {

/// A window laid out like MainWindow at `size`: a menu bar and a status line, `view` as the only
/// page of the central tabs, a dock at the right as wide as the model panel's (400 px asked, 250
/// at least) and one at the bottom as high as the channel and inspector docks' (300 px asked,
/// 180 at least). The window owns `view`.
std::unique_ptr<QMainWindow> windowLike(QWidget *view, QSize size)
{
    auto window = std::make_unique<QMainWindow>();
    window->menuBar()->addMenu(QStringLiteral("&File"));
    window->statusBar()->showMessage(QStringLiteral("Opened ETTh1.csv"));
    auto *tabs = new QTabWidget;
    tabs->setDocumentMode(true);
    tabs->addTab(view, QStringLiteral("View"));
    window->setCentralWidget(tabs);
    auto *model = new QDockWidget(QStringLiteral("Model"), window.get());
    auto *panel = new QWidget;
    panel->setMinimumSize(250, 200);
    model->setWidget(panel);
    window->addDockWidget(Qt::RightDockWidgetArea, model);
    auto *bottom = new QDockWidget(QStringLiteral("Inspector"), window.get());
    auto *inspector = new QWidget;
    inspector->setMinimumSize(480, 180);
    bottom->setWidget(inspector);
    window->addDockWidget(Qt::BottomDockWidgetArea, bottom);
    window->resizeDocks({model}, {400}, Qt::Horizontal);
    window->resizeDocks({bottom}, {300}, Qt::Vertical);
    window->resize(size);
    return window;
}

/// Shows `window` and lets the charts lay out (the series view re-decimates on a timer).
bool showAndSettle(QMainWindow &window)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    QTest::qWait(200);
    return true;
}

/// Both axes of `chart` have at least two visible labels, none truncated or blank.
void checkLabels(const QChart *chart, const char *what)
{
    const QStringList x = visibleTickLabels(chart, Qt::Horizontal);
    const QStringList y = visibleTickLabels(chart, Qt::Vertical);
    const QString seen =
        QStringLiteral("%1: x [%2] y [%3] in a plot of %4x%5")
            .arg(QLatin1String(what), x.join(QLatin1Char('|')), y.join(QLatin1Char('|')))
            .arg(chart->plotArea().width())
            .arg(chart->plotArea().height());
    QVERIFY2(x.size() >= 2 && y.size() >= 2, qPrintable(seen));
    QVERIFY2(elidedOrBlank(x + y).isEmpty(), qPrintable(seen));
}

/// Test windows of a forecast of `data` (lookback 96, horizon 24, every channel): the truth is
/// the data, the prediction the truth 10 % lower, so the chart spans the real values.
PredictionsRecord forecastOf(const SeriesDataset &data)
{
    const std::int64_t lookback = 96, horizon = 24, windows = 8;
    PredictionsRecord record;
    ForecastPredictions &p = record.values;
    p.windows = windows;
    p.horizon = horizon;
    p.channels = data.channels();
    for (std::int64_t w = 0; w < windows; ++w) {
        const std::int64_t start = data.rows() - lookback - horizon - 200 + 24 * w;
        record.windowStartRows.push_back(start);
        for (std::int64_t h = 0; h < horizon; ++h)
            for (std::int64_t c = 0; c < data.channels(); ++c) {
                const float truth = data.at(start + lookback + h, int(c));
                p.truthOriginal.push_back(truth);
                p.predictionOriginal.push_back(0.9f * truth);
                p.truth.push_back(truth / 10);
                p.prediction.push_back(0.09f * truth);
            }
    }
    record.channelNames = data.channelNames;
    return record;
}

} // namespace

class tst_ChartTickLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void seriesChart_data() { windowSizes(); }
    void seriesChart();
    void lossChart_data() { windowSizes(); }
    void lossChart();
    void forecastChart_data() { windowSizes(); }
    void forecastChart();

private:
    static void windowSizes();

    std::shared_ptr<const SeriesDataset> m_data;
};

void tst_ChartTickLabels::windowSizes()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x640") << QSize(1024, 640);
    QTest::newRow("1280x800 (default)") << QSize(1280, 800);
}

void tst_ChartTickLabels::initTestCase()
{
    const QString csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFileInfo::exists(csv))
        QSKIP(qPrintable(QStringLiteral("missing %1 (the shared real data)").arg(csv)));
    Expected<SeriesDataset> loaded = loadSeries(csv);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->channels(), 7);
    m_data = std::make_shared<const SeriesDataset>(std::move(*loaded));
}

void tst_ChartTickLabels::seriesChart()
{
    QFETCH(QSize, size);
    auto *view = new SeriesChartView;
    view->setDataset(m_data, {0, 1, 2, 3, 4, 5, 6});
    const auto window = windowLike(view, size);
    QVERIFY(showAndSettle(*window));
    checkLabels(view->chart(), "series");
}

void tst_ChartTickLabels::lossChart()
{
    // The Training tab: the dashboard, its loss curves beside the queue and the log. 20 epochs
    // of 100 batches each, the loss falling from 1.2 to about 0.3 as a real run's does.
    QFETCH(QSize, size);
    auto *dashboard = new TrainingDashboard;
    TrainingCurves *curves = dashboard->curves();
    curves->clear(20);
    for (int epoch = 1; epoch <= 20; ++epoch) {
        for (int batch = 1; batch <= 100; ++batch) {
            const double x = epoch - 1 + batch / 100.0;
            curves->addBatch(x, 0.3 + 0.9 * std::exp(-x / 4) + 0.05 * std::sin(7 * x),
                             1e-3 * std::min(1.0, x));
        }
        curves->addEpoch(epoch, 0.3 + 0.9 * std::exp(-epoch / 4.0),
                         0.35 + 0.9 * std::exp(-epoch / 4.0));
    }
    const auto window = windowLike(dashboard, size);
    QVERIFY(showAndSettle(*window));
    checkLabels(curves->lossChart(), "loss");
    checkLabels(curves->learningRateChart(), "learning rate");
}

void tst_ChartTickLabels::forecastChart()
{
    QFETCH(QSize, size);
    auto *view = new ForecastView;
    view->setPredictions(forecastOf(*m_data), 96, m_data);
    QCOMPARE(view->windowCount(), 8);
    const auto window = windowLike(view, size);
    QVERIFY(showAndSettle(*window));
    checkLabels(view->chartView()->chart(), "forecast");
}

QTEST_MAIN(tst_ChartTickLabels)
#include "tst_chartticklabels.moc"
