#include "tst_attentionsets.h"
#include "widgets/explain/AttentionMapView.h"
#include "widgets/explain/AttentionModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace twb;

namespace {

QStringList labelsOf(const explain::AttentionSet &set)
{
    QStringList labels;
    for (const TokenInfo &t : set.tokens)
        labels.append(QString::fromStdString(t.label));
    return labels;
}

/// patchSet() with head 0 of layer 0, row 3 changed so that key 7 gets exactly 0.134.
explain::AttentionSet knownCellSet()
{
    explain::AttentionSet set = test::patchSet(1, 1);
    for (int k = 0; k < 11; ++k)
        set.layers[0].at(0, 3, k) = k == 7 ? 0.134f : 0.0866f;
    return set;
}

} // namespace

class TestAttentionMapView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hoverReadsOutTheCell();
    void cellGeometryRoundTrips();
    void clickOnARowSelectsTheQuery();
    void labelsAreThinnedOut();
    void scaleIsPerMapOrZeroToOne();
    void csvIsTheMap();
    void axisLabelsDropTheCommonWords();
    void longLabelsLeaveRoomForTheMap();
};

void TestAttentionMapView::hoverReadsOutTheCell()
{
    const explain::AttentionSet set = knownCellSet();
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labelsOf(set));
    view.setMap(model.map({AttentionMode::Head, 0, 0}), QStringLiteral("layer 0 · head 0"));
    view.resize(640, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.hoverText(3, 7),
             QStringLiteral("query patch 3: t[24,40) → key patch 7: t[56,72): 0.134"));
    QSignalSpy spy(&view, &AttentionMapView::hoverTextChanged);
    QTest::mouseMove(&view, view.cellRect(3, 7).center().toPoint());
    QTRY_COMPARE(view.currentHoverText(),
                 QStringLiteral("query patch 3: t[24,40) → key patch 7: t[56,72): 0.134"));
    QCOMPARE(spy.size(), 1);
    QVERIFY(view.grab().width() > 0); // paints with the read-out
}

void TestAttentionMapView::cellGeometryRoundTrips()
{
    const explain::AttentionSet set = test::patchSet(1, 1);
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labelsOf(set));
    view.setMap(model.map({AttentionMode::Head, 0, 0}), {});
    view.resize(700, 640);
    const QRect plot = view.plotRect();
    QVERIFY(plot.width() > 300);
    QCOMPARE(plot.width(), plot.height());
    for (int q = 0; q < 11; ++q)
        for (int k = 0; k < 11; ++k) {
            const auto cell = view.cellAt(view.cellRect(q, k).center());
            QVERIFY(cell.has_value());
            QCOMPARE(cell->first, q);
            QCOMPARE(cell->second, k);
        }
    QCOMPARE(view.cellRect(0, 0).topLeft(), QPointF(plot.topLeft()));
    QCOMPARE(view.cellRect(10, 10).bottomRight(),
             QPointF(plot.left() + plot.width(), plot.top() + plot.height()));
    QVERIFY(!view.cellAt(QPointF(plot.left() - 1, plot.top() + 5)).has_value());
}

void TestAttentionMapView::clickOnARowSelectsTheQuery()
{
    const explain::AttentionSet set = test::patchSet(1, 1);
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labelsOf(set));
    view.setMap(model.map({AttentionMode::Head, 0, 0}), {});
    view.resize(640, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &AttentionMapView::querySelected);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(5, 2).center().toPoint());
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 5);
    QCOMPARE(view.selectedQuery(), 5);
}

void TestAttentionMapView::labelsAreThinnedOut()
{
    // 1,212 tokens on a ~500 px plot: far less than a text line per token.
    explain::AttentionSet set;
    QStringList labels;
    for (int i = 0; i < 1212; ++i) {
        set.tokens.push_back(TokenInfo{TokenInfo::Kind::TimeStep,
                                       QStringLiteral("t%1").arg(i).toStdString(), i, i + 1, -1, 0,
                                       0});
        labels.append(QStringLiteral("t%1").arg(i));
    }
    set.layers = {test::stochasticLayer(1, 1212, 0)};
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labels);
    view.setMap(model.map({AttentionMode::Head, 0, 0}), {});
    view.resize(700, 700);
    const int line = QFontMetrics(view.font()).height();
    const double cell = double(view.plotRect().height()) / 1212.0;
    const int step = view.labelStep();
    QVERIFY(step > 1);
    QVERIFY(step * cell >= line);      // labels do not overlap
    QVERIFY((step - 1) * cell < line); // and are not thinned more than needed
    QVERIFY(!view.grab().isNull());

    AttentionModel small;
    small.setAttention(test::patchSet(1, 1));
    view.setMap(small.map({AttentionMode::Head, 0, 0}), {});
    QCOMPARE(view.labelStep(), 1); // 11 tokens: every label
}

void TestAttentionMapView::scaleIsPerMapOrZeroToOne()
{
    const explain::AttentionSet set = knownCellSet();
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labelsOf(set));
    view.setMap(model.map({AttentionMode::Head, 0, 0}), {});
    view.resize(640, 600);
    float max = 0.0f;
    for (float v : set.layers[0].weights)
        max = std::max(max, v);
    QCOMPARE(view.scaleMax(), max);
    view.setFixedScale(true);
    QCOMPARE(view.scaleMax(), 1.0f);
}

void TestAttentionMapView::csvIsTheMap()
{
    const explain::AttentionSet set = test::patchSet(2, 3);
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labelsOf(set));
    view.setMap(model.map({AttentionMode::Head, 1, 2}), {});
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header.size(), 12);
    QCOMPARE(table.header.front(), QStringLiteral("query \\ key"));
    QCOMPARE(table.header[8], QStringLiteral("patch 7: t[56,72)"));
    QCOMPARE(table.rows.size(), 11);
    for (int q = 0; q < 11; ++q) {
        QCOMPARE(table.rows[q].front(), QString::fromStdString(set.tokens[std::size_t(q)].label));
        for (int k = 0; k < 11; ++k)
            QCOMPARE(table.rows[q][k + 1].toFloat(), set.layers[1].at(2, q, k));
    }
    AttentionMapView empty;
    QVERIFY(empty.csvTable().header.isEmpty());
}

void TestAttentionMapView::axisLabelsDropTheCommonWords()
{
    QCOMPARE(
        AttentionMapView::axisLabels({"decoder step t-48", "decoder step t", "decoder step t+12"}),
        (QStringList{"t-48", "t", "t+12"}));
    QCOMPARE(AttentionMapView::axisLabels(
                 {"encoder token 0: [t-96, t-94)", "encoder token 12: [t-72, t-70)"}),
             (QStringList{"[t-96, t-94)", "[t-72, t-70)"}));
    // Patch labels keep their words when they differ; one label stays whole.
    QCOMPARE(AttentionMapView::axisLabels({"patch 3: t[24,40)", "class token"}),
             (QStringList{"patch 3: t[24,40)", "class token"}));
    QCOMPARE(AttentionMapView::axisLabels({"encoder step t-1"}), QStringList{"encoder step t-1"});
}

void TestAttentionMapView::longLabelsLeaveRoomForTheMap()
{
    // 96 tokens with long, different descriptions in a short, wide view (the explorer's map
    // pane): the map still gets most of the height.
    const int n = 96;
    explain::AttentionSet set;
    explain::AttentionLayer layer;
    layer.heads = 1;
    layer.queries = n;
    layer.keys = n;
    layer.weights.assign(std::size_t(n) * n, 1.0f / n);
    set.layers.push_back(layer);
    QStringList labels;
    for (int i = 0; i < n; ++i) {
        TokenInfo token;
        token.label = QStringLiteral("step %1 of a very long description of the window %2")
                          .arg(i)
                          .arg(i)
                          .toStdString();
        token.begin = i;
        token.end = i + 1;
        set.tokens.push_back(token);
        labels << QString::fromStdString(token.label);
    }
    AttentionModel model;
    model.setAttention(set);
    AttentionMapView view;
    view.setTokens(labels);
    view.setMap(model.map({AttentionMode::Head, 0, 0}), QStringLiteral("layer 0 · head 0"));
    view.resize(900, 240);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY2(view.cellRect(n - 1, n - 1).bottom() - view.cellRect(0, 0).top() > 240 / 2,
             qPrintable(QString::number(view.cellRect(n - 1, n - 1).bottom())));
}

QTEST_MAIN(TestAttentionMapView)
#include "tst_attentionmapview.moc"
