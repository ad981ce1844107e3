#include "client/RunWorkspace.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/common/ViewExporter.h"
#include "widgets/data/AutocorrelationView.h"
#include "widgets/data/ChannelHistogramView.h"
#include "widgets/forecast/ForecastView.h"
#include "widgets/training/RunsView.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSet>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

std::shared_ptr<SeriesDataset> sampleData()
{
    auto data = std::make_shared<SeriesDataset>();
    data->channelNames = {QStringLiteral("load, kW"), QStringLiteral("temp")};
    for (int r = 0; r < 200; ++r)
        data->values.insert(data->values.end(), {float((r * 37) % 101), float(r % 24)});
    data->recountMissing();
    return data;
}

/// Minimal RFC 4180 reader for the round trip (quoted fields with doubled quotes).
QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    const QString text = QString::fromUtf8(bytes);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        if (quoted) {
            if (ch == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (ch == u'"') {
                quoted = false;
            } else {
                field += ch;
            }
        } else if (ch == u'"') {
            quoted = true;
        } else if (ch == u',') {
            row << field;
            field.clear();
        } else if (ch == u'\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else {
            field += ch;
        }
    }
    return rows;
}

} // namespace

class tst_ViewExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pngHasTheViewSize();
    void svgIsValid();
    void csvRoundTrip();
    void csvQuotesFields();
    void dispatchBySuffix();
    void errorsNameThePath();
    void everyViewExports_data();
    void everyViewExports();
};

void tst_ViewExporter::pngHasTheViewSize()
{
    QTemporaryDir dir;
    ChannelHistogramView view;
    view.resize(420, 260);
    view.setDataset(sampleData(), 0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString path = dir.filePath("histogram.png");
    const Status s = ViewExporter::savePng(&view, path);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    const qreal ratio = view.devicePixelRatioF();
    QCOMPARE(image.size(), QSize(qRound(420 * ratio), qRound(260 * ratio)));
    // Not blank: the chart drew bars and axes in more than one colour.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY(colours.size() > 3);
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).size() == 1); // no temporary left
}

void tst_ViewExporter::svgIsValid()
{
    QTemporaryDir dir;
    AutocorrelationView view;
    view.resize(400, 300);
    view.setDataset(sampleData(), 1);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString path = dir.filePath("acf.svg");
    const Status s = ViewExporter::saveSvg(&view, path, QStringLiteral("ACF of temp"));
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QSvgRenderer renderer(path);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBoxF(), QRectF(0, 0, 400, 300));
    // Qt's renderer reads millimetres at 90 dpi; the file says 400 x 300 CSS pixels (96 dpi).
    QVERIFY(std::abs(renderer.defaultSize().width() - 400 * 90 / 96.0) <= 1.0);
    QVERIFY(std::abs(renderer.defaultSize().height() - 300 * 90 / 96.0) <= 1.0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray svg = file.readAll();
    QVERIFY(svg.contains("<title>ACF of temp</title>"));
    QVERIFY(svg.contains("<path") || svg.contains("<polyline"));
}

void tst_ViewExporter::csvRoundTrip()
{
    QTemporaryDir dir;
    ChannelHistogramView view;
    view.setDataset(sampleData(), 1);
    const QString path = dir.filePath("bins.csv");
    QVERIFY(ViewExporter::saveCsv(view, path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> rows = parseCsv(file.readAll());
    const Histogram &h = view.histogram();
    QCOMPARE(rows.size(), h.bins() + 1);
    QCOMPARE(rows[0], (QStringList{"bin", "left", "right", "count"}));
    std::int64_t total = 0;
    for (int i = 0; i < h.bins(); ++i) {
        const QStringList &row = rows[i + 1];
        QCOMPARE(row[0].toInt(), i);
        QCOMPARE(row[1].toDouble(), h.edges[std::size_t(i)]); // full precision
        QCOMPARE(row[2].toDouble(), h.edges[std::size_t(i) + 1]);
        QCOMPARE(row[3].toLongLong(), h.counts[std::size_t(i)]);
        total += row[3].toLongLong();
    }
    QCOMPARE(total, 200);
}

void tst_ViewExporter::csvQuotesFields()
{
    CsvTable table;
    table.header = {QStringLiteral("name"), QStringLiteral("note")};
    table.rows << QStringList{QStringLiteral("load, kW"), QStringLiteral("say \"hi\"")};
    QCOMPARE(csvText(table), QByteArray("name,note\n\"load, kW\",\"say \"\"hi\"\"\"\n"));
    QCOMPARE(parseCsv(csvText(table)).value(1), table.rows[0]);
}

void tst_ViewExporter::dispatchBySuffix()
{
    QTemporaryDir dir;
    ChannelHistogramView view;
    view.resize(300, 200);
    view.setDataset(sampleData(), 0);
    QVERIFY(ViewExporter::save(&view, dir.filePath("a.PNG")));
    QVERIFY(ViewExporter::save(&view, dir.filePath("a.svg")));
    QVERIFY(ViewExporter::save(&view, dir.filePath("a.csv")));
    QVERIFY(QImage(dir.filePath("a.PNG")).width() > 0);
    QVERIFY(QSvgRenderer(dir.filePath("a.svg")).isValid());

    const Status unknown = ViewExporter::save(&view, dir.filePath("a.bmp"));
    QVERIFY(!unknown);
    QVERIFY(unknown.error().reason.contains(QStringLiteral("unknown export format")));
    QWidget plain;
    plain.resize(10, 10);
    const Status noData = ViewExporter::save(&plain, dir.filePath("plain.csv"));
    QVERIFY(!noData);
    QVERIFY(!QFile::exists(dir.filePath("plain.csv")));
}

void tst_ViewExporter::errorsNameThePath()
{
    QTemporaryDir dir;
    ChannelHistogramView view;
    view.resize(300, 200);
    const QString missing = dir.filePath("no/such/folder/x.png");
    const Status s = ViewExporter::savePng(&view, missing);
    QVERIFY(!s);
    QCOMPARE(s.error().file, missing);
    QVERIFY(!ViewExporter::saveSvg(&view, dir.filePath("no/such/x.svg")));
    QVERIFY(!ViewExporter::saveCsv(view, dir.filePath("no/such/x.csv")));
    QVERIFY(!ViewExporter::savePng(nullptr, dir.filePath("x.png")));
}

void tst_ViewExporter::everyViewExports_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<bool>("hasCsv");
    QTest::newRow("histogram") << "histogram" << true;
    QTest::newRow("autocorrelation") << "acf" << true;
    QTest::newRow("forecast") << "forecast" << true;
    QTest::newRow("runs") << "runs" << true;
    QTest::newRow("series") << "series" << true;
}

void tst_ViewExporter::everyViewExports()
{
    QFETCH(QString, view);
    QFETCH(bool, hasCsv);
    QTemporaryDir dir;
    const auto data = sampleData();
    std::unique_ptr<QWidget> widget;
    if (view == QLatin1String("histogram")) {
        auto *w = new ChannelHistogramView;
        w->setDataset(data, 0);
        widget.reset(w);
    } else if (view == QLatin1String("acf")) {
        auto *w = new AutocorrelationView;
        w->setDataset(data, 1);
        widget.reset(w);
    } else if (view == QLatin1String("forecast")) {
        auto *w = new ForecastView;
        PredictionsRecord record;
        record.channelNames = data->channelNames;
        record.values.windows = 1;
        record.values.horizon = 3;
        record.values.channels = 2;
        record.values.truth = record.values.prediction = record.values.truthOriginal =
            record.values.predictionOriginal = {1, 2, 3, 4, 5, 6};
        record.windowStartRows = {10};
        w->setPredictions(record, 4, data);
        widget.reset(w);
    } else if (view == QLatin1String("runs")) {
        auto *w = new RunsView;
        w->setRuns(readWorkspaceRuns(dir.path()));
        widget.reset(w);
    } else {
        auto *w = new SeriesChartView;
        w->setDataset(data, {0, 1});
        w->setSplitBorders({140, 170});
        widget.reset(w);
    }
    widget->resize(640, 420);
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget.get()));

    QVERIFY(ViewExporter::save(widget.get(), dir.filePath("v.png")));
    QImage image(dir.filePath("v.png"));
    // Layouts may enforce a minimum size: the image has the widget's actual size.
    QCOMPARE(image.size(), widget->size() * widget->devicePixelRatioF());
    QVERIFY(widget->width() >= 640 && widget->height() >= 420);
    QVERIFY(ViewExporter::save(widget.get(), dir.filePath("v.svg")));
    QVERIFY(QSvgRenderer(dir.filePath("v.svg")).isValid());
    const Status csv = ViewExporter::save(widget.get(), dir.filePath("v.csv"));
    QCOMPARE(bool(csv), hasCsv);
    if (hasCsv) {
        QFile file(dir.filePath("v.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QStringList> rows = parseCsv(file.readAll());
        QVERIFY(!rows.isEmpty()); // at least the header
        for (const QStringList &row : rows)
            QCOMPARE(row.size(), rows.first().size());
    }
}

QTEST_MAIN(tst_ViewExporter)
#include "tst_viewexporter.moc"
