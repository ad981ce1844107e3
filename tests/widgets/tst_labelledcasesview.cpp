// The Cases view: the first cases of each class, a colour per class, one channel at a time.
#include "data/TsLoader.h"
#include "widgets/common/LineChart.h"
#include "widgets/data/LabelledCasesPreview.h"
#include "widgets/data/LabelledCasesView.h"

#include <QChart>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSpinBox>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <limits>

using namespace twb;

namespace {

/// Two channels, classes a and b; case i has length 4 + i, channel 0 = i, channel 1 = -i.
LabelledDataset tinySet(int cases)
{
    LabelledDataset d;
    d.sourcePath = QStringLiteral("/data/Tiny_TRAIN.ts");
    d.classNames = {QStringLiteral("a"), QStringLiteral("b")};
    d.channelNames = {QStringLiteral("dim_0"), QStringLiteral("dim_1")};
    for (int i = 0; i < cases; ++i) {
        LabelledCase c;
        c.label = i % 3 == 2 ? 1 : 0; // a a b a a b ...
        c.length = 4 + i;
        for (std::int64_t t = 0; t < c.length; ++t) {
            c.values.push_back(float(i));
            c.values.push_back(float(-i));
        }
        c.source = QStringLiteral("Tiny_TRAIN.ts:%1").arg(i + 1);
        d.cases.push_back(std::move(c));
    }
    return d;
}

int visibleMarkers(QChart *chart)
{
    int n = 0;
    for (QLegendMarker *m : chart->legend()->markers())
        n += m->isVisible() ? 1 : 0;
    return n;
}

} // namespace

class tst_LabelledCasesView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void previewKeepsTheFirstCasesOfEachClass()
    {
        const LabelledCasesPreview p = previewOf(tinySet(9), 2);
        QCOMPARE(p.classNames, QStringList({"a", "b"}));
        QCOMPARE(p.counts, (std::vector<std::int64_t>{6, 3}));
        QCOMPARE(p.cases.size(), std::size_t(4));
        // Class by class, in data-set order: a = cases 0 and 1, b = cases 2 and 5.
        QCOMPARE(p.cases[0].source, QStringLiteral("Tiny_TRAIN.ts:1"));
        QCOMPARE(p.cases[1].source, QStringLiteral("Tiny_TRAIN.ts:2"));
        QCOMPARE(p.cases[2].source, QStringLiteral("Tiny_TRAIN.ts:3"));
        QCOMPARE(p.cases[3].source, QStringLiteral("Tiny_TRAIN.ts:6"));
        QCOMPARE(p.cases[3].values, tinySet(9).cases[5].values);
    }

    void drawsCasesPerClassInTheirColours()
    {
        LabelledCasesView view;
        view.resize(800, 500);
        view.show(); // legend markers are visible only in a shown chart
        QCOMPARE(view.chart()->title(), LabelledCasesView::emptyTitle());
        QVERIFY(view.lines().isEmpty());

        view.setPreview(previewOf(tinySet(9), kPreviewCasesPerClass));
        QCOMPARE(view.casesPerClass(), LabelledCasesView::kDefaultPerClass);
        // 3 of a and all 3 of b, one legend entry per class.
        QCOMPARE(view.lines().size(), 6);
        QTRY_COMPARE(visibleMarkers(view.chart()), 2);
        QCOMPARE(view.lines()[0]->name(), QStringLiteral("a"));
        QCOMPARE(view.lines()[3]->name(), QStringLiteral("b"));
        QCOMPARE(view.lines()[0]->pen().color(), QColor(categoricalColor(0)));
        QCOMPARE(view.lines()[5]->pen().color(), QColor(categoricalColor(1)));
        // Case 0 of length 4 on channel 0: steps 0..3, value 0.
        QCOMPARE(view.lines()[0]->count(), 4);
        QCOMPARE(view.lines()[0]->at(3), QPointF(3, 0));
        QCOMPARE(view.chart()->title(), QStringLiteral("Tiny_TRAIN.ts"));
        const auto x = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(x);
        QCOMPARE(x->titleText(), QStringLiteral("step"));
        QCOMPARE(x->max(), 11.0); // the longest drawn case (index 8) has 12 steps
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("casesInfo"))
                    ->text()
                    .startsWith(QStringLiteral("6 of 9 cases")));

        view.setCasesPerClass(1);
        QCOMPARE(view.lines().size(), 2);
        QTRY_COMPARE(visibleMarkers(view.chart()), 2);

        // The other channel: the negated values, its name on the y axis.
        view.setChannel(1);
        QCOMPARE(view.lines()[1]->at(0).y(), -2.0); // b's first case is case 2
        const auto y = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Vertical).value(0));
        QCOMPARE(y->titleText(), QStringLiteral("dim_1"));

        // CSV: the drawn cases (one per class now) at full resolution, one row per step.
        const CsvTable table = view.csvTable();
        QCOMPARE(table.header, QStringList({"class", "case", "step", "dim_1"}));
        QCOMPARE(table.rows.size(), 4 + 6);
        QCOMPARE(table.rows[0], QStringList({"a", "Tiny_TRAIN.ts:1", "0", "0"}));
        QCOMPARE(table.rows[9], QStringList({"b", "Tiny_TRAIN.ts:3", "5", "-2"}));

        // One class only.
        view.setCasesPerClass(3);
        view.setShownClass(1);
        QCOMPARE(view.lines().size(), 3);
        for (QLineSeries *line : view.lines())
            QCOMPARE(line->name(), QStringLiteral("b"));
        view.setShownClass(-1);
        QCOMPARE(view.lines().size(), 6);

        view.setPreview({});
        QVERIFY(view.lines().isEmpty());
        QVERIFY(view.csvTable().header.isEmpty());
        QCOMPARE(view.chart()->title(), LabelledCasesView::emptyTitle());
    }

    void soundClipsAreDrawnInSecondsAndDecimated()
    {
        LabelledDataset d;
        d.sourcePath = QStringLiteral("/data/clips");
        d.classNames = {QStringLiteral("0"), QStringLiteral("1")};
        d.channelNames = {QStringLiteral("audio")};
        d.sampleRate = 8000.0;
        for (int label : {0, 1}) {
            LabelledCase c;
            c.label = label;
            c.length = 16000; // 2 s
            for (int i = 0; i < c.length; ++i)
                c.values.push_back(float(std::sin(0.01 * i * (label + 1))));
            c.values[100] = std::numeric_limits<float>::quiet_NaN();
            d.cases.push_back(std::move(c));
        }
        LabelledCasesView view;
        view.setPreview(previewOf(d, kPreviewCasesPerClass));
        // Sound clips start with the first class alone.
        QCOMPARE(view.shownClass(), 0);
        QCOMPARE(view.lines().size(), 1);
        view.setShownClass(-1);
        QCOMPARE(view.lines().size(), 2);
        QVERIFY(view.lines()[0]->count() <= 2 * 1200 + 2);
        QVERIFY(view.lines()[0]->count() > 1000);
        for (const QPointF &p : view.lines()[0]->points())
            QVERIFY(std::isfinite(p.y()));
        const auto x = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Horizontal).value(0));
        QCOMPARE(x->titleText(), QStringLiteral("seconds"));
        QCOMPARE(x->max(), 15999.0 / 8000.0);
        QVERIFY(!view.findChild<QComboBox *>(QStringLiteral("casesChannel"))->isEnabled());
    }

    void highlightsOneCaseOnTop()
    {
        // Case 7 (class a) is not among the first two of its class: the preview adds it.
        const LabelledCasesPreview p = previewOf(tinySet(9), 2, QStringLiteral("Tiny_TRAIN.ts:8"));
        QCOMPARE(p.cases.size(), std::size_t(5));
        QCOMPARE(p.cases[2].source, QStringLiteral("Tiny_TRAIN.ts:8"));
        QCOMPARE(previewOf(tinySet(9), 2, QStringLiteral("Tiny_TRAIN.ts:2")).cases.size(),
                 std::size_t(4));

        LabelledCasesView view;
        view.setPreview(p);
        view.setShownClass(1);
        view.setHighlightedCase(QStringLiteral("Tiny_TRAIN.ts:8"));
        QVERIFY(view.highlightedCaseDrawn());
        QCOMPARE(view.shownClass(), -1); // all classes, to compare with
        // a: cases 1 and 2, b: cases 3 and 6, then the highlighted case on top.
        QCOMPARE(view.lines().size(), 5);
        QLineSeries *top = view.lines().last();
        QCOMPARE(top->name(), QStringLiteral("Tiny_TRAIN.ts:8 (class a)"));
        QCOMPARE(top->pen().widthF(), 3.0);
        QCOMPARE(top->count(), 4 + 7);
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("casesInfo"))
                    ->text()
                    .endsWith(QStringLiteral("Tiny_TRAIN.ts:8 on top")));
        // The CSV lists it last.
        QCOMPARE(view.csvTable().rows.last().at(1), QStringLiteral("Tiny_TRAIN.ts:8"));

        view.setPreview(p); // a new preview drops the highlight: case 8 is one of a's lines
        QVERIFY(view.highlightedCase().isEmpty());
        QVERIFY(!view.highlightedCaseDrawn());
        QCOMPARE(view.lines().size(), 5);
        QCOMPARE(view.lines()[2]->name(), QStringLiteral("a"));
        QCOMPARE(view.lines()[2]->pen().widthF(), 1.4);
    }

    void gunPointFromTheSharedData()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ucr/GunPoint/GunPoint_TRAIN.ts");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("shared data missing: ") + path));
        const Expected<LabelledDataset> data = loadTs(path);
        QVERIFY2(data, data ? "" : qPrintable(data.error().toString()));
        LabelledCasesView view;
        view.setPreview(previewOf(*data, kPreviewCasesPerClass));
        QCOMPARE(view.lines().size(), 2 * LabelledCasesView::kDefaultPerClass);
        for (QLineSeries *line : view.lines())
            QCOMPARE(line->count(), 150);
        view.setCasesPerClass(LabelledCasesView::kMaxPerClass);
        QCOMPARE(view.lines().size(), 20);
    }
};

QTEST_MAIN(tst_LabelledCasesView)
#include "tst_labelledcasesview.moc"
