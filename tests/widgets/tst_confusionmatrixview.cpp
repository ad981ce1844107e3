#include "ClassificationFixture.h"
#include "runs/ClassificationMetrics.h"
#include "widgets/classify/ConfusionMatrixView.h"
#include "widgets/common/ViewExporter.h"

#include <QApplication>
#include <QFile>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

class TestConfusionMatrixView : public QObject
{
    Q_OBJECT

    static ClassificationMetrics metrics()
    {
        return computeClassificationMetrics(twb::test::probabilities(), twb::test::kTruth, 3);
    }

    static void moveTo(QWidget &w, const QPoint &pos)
    {
        QMouseEvent move(QEvent::MouseMove, QPointF(pos), w.mapToGlobal(QPointF(pos)), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &move);
    }

private Q_SLOTS:
    void cellsEqualMetricsConfusion()
    {
        const ClassificationMetrics m = metrics();
        const std::vector<std::vector<std::int64_t>> expected{{2, 1, 1}, {1, 2, 0}, {0, 0, 3}};
        QCOMPARE(m.confusion, expected);
        ConfusionMatrixView view;
        QVERIFY(view.setMatrix(m.confusion, twb::test::kClassNames));
        QCOMPARE(view.classes(), 3);
        for (int t = 0; t < 3; ++t)
            for (int p = 0; p < 3; ++p)
                QCOMPARE(view.count(t, p), expected[t][p]);
        QCOMPARE(view.rowTotal(0), 4);
        QCOMPARE(view.rowFraction(0, 1), 0.25);
        QCOMPARE(view.rowFraction(2, 2), 1.0);
        QCOMPARE(view.cellLabel(1, 1), QStringLiteral("2"));
        view.setCellText(ConfusionMatrixView::CellText::RowPercent);
        QCOMPARE(view.cellLabel(1, 1), QStringLiteral("66.7 %"));
        QCOMPARE(view.cellLabel(0, 0), QStringLiteral("50 %"));
    }

    void rejectsNonSquare()
    {
        ConfusionMatrixView view;
        QVERIFY(!view.setMatrix({{1, 2}, {3}}, {"a", "b"}));
        QVERIFY(!view.setMatrix({{1, 2}, {3, 4}}, {"a"}));
        QCOMPARE(view.classes(), 0);
        QVERIFY(view.csvTable().header.isEmpty());
    }

    void hoverText()
    {
        ConfusionMatrixView view;
        view.resize(400, 400);
        view.setMatrix(metrics().confusion, twb::test::kClassNames);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.cellDescription(0, 2),
                 QStringLiteral("truth zero, predicted two: 1 case (25 % of zero)"));
        QSignalSpy hovered(&view, &ConfusionMatrixView::cellHovered);
        moveTo(view, view.cellRect(1, 1).center());
        QCOMPARE(view.hoverText(),
                 QStringLiteral("truth one, predicted one: 2 cases (66.7 % of one)"));
        QCOMPARE(hovered.count(), 1);
        QCOMPARE(hovered.last().at(0).toInt(), 1);
        moveTo(view, view.cellRect(1, 2).center());
        QCOMPARE(view.hoverText(),
                 QStringLiteral("truth one, predicted two: 0 cases (0 % of one)"));
        moveTo(view, QPoint(1, 1)); // the margin: no cell
        QVERIFY(view.hoverText().isEmpty());
        QCOMPARE(hovered.last().at(0).toInt(), -1);
    }

    void clickEmitsCell()
    {
        ConfusionMatrixView view;
        view.resize(360, 300);
        view.setMatrix(metrics().confusion, twb::test::kClassNames);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &ConfusionMatrixView::cellActivated);
        for (const auto &[t, p] : {std::pair{0, 2}, std::pair{2, 0}, std::pair{1, 1}}) {
            const QRect r = view.cellRect(t, p);
            QVERIFY(!r.isEmpty());
            QVERIFY(view.rect().contains(r));
            QCOMPARE(view.cellAt(r.center()), (std::pair<int, int>{t, p}));
            QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, r.center());
            QCOMPARE(activated.count(), 1);
            QCOMPARE(activated.first().at(0).toInt(), t);
            QCOMPARE(activated.first().at(1).toInt(), p);
            activated.clear();
        }
        QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(2, 2));
        QCOMPARE(activated.count(), 0);
        // Cells are square, adjacent and do not overlap.
        QCOMPARE(view.cellRect(0, 0).width(), view.cellRect(0, 0).height());
        QCOMPARE(view.cellRect(0, 1).left(), view.cellRect(0, 0).right() + 1);
        QCOMPARE(view.cellRect(1, 0).top(), view.cellRect(0, 0).bottom() + 1);
    }

    void scalesToFiftyClasses()
    {
        const int n = 50;
        std::vector<std::vector<std::int64_t>> confusion(n, std::vector<std::int64_t>(n, 0));
        QStringList names;
        for (int c = 0; c < n; ++c) {
            confusion[c][c] = 20 + c;
            confusion[c][(c + 1) % n] = 3;
            names << QStringLiteral("a rather long class name %1").arg(c);
        }
        ConfusionMatrixView view;
        view.resize(700, 700);
        QVERIFY(view.setMatrix(confusion, names));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QRect first = view.cellRect(0, 0), last = view.cellRect(n - 1, n - 1);
        QVERIFY(first.width() >= 6);
        QVERIFY(view.rect().contains(first));
        QVERIFY(view.rect().contains(last));
        QCOMPARE(view.cellAt(view.cellRect(17, 18).center()), (std::pair<int, int>{17, 18}));
        const QImage image = view.grab().toImage();
        QVERIFY(!image.isNull());
        // The diagonal cell is coloured (not the base colour).
        const QColor base = view.palette().color(QPalette::Base);
        QVERIFY(image.pixelColor(view.cellRect(10, 10).center()) != base);
        QCOMPARE(view.cellDescription(3, 4),
                 QStringLiteral("truth a rather long class name 3, predicted a rather long class "
                                "name 4: 3 cases (11.5 % of a rather long class name 3)"));
    }

    void exportCsvParsesBack()
    {
        ConfusionMatrixView view;
        view.setMatrix(metrics().confusion, twb::test::kClassNames);
        QTemporaryDir dir;
        const QString path = dir.filePath("confusion.csv");
        QVERIFY(ViewExporter::saveCsv(view, path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QStringLiteral("truth \\ predicted,zero,one,two"));
        QCOMPARE(lines[1].split(','), (QStringList{"zero", "2", "1", "1"}));
        QCOMPARE(lines[2].split(','), (QStringList{"one", "1", "2", "0"}));
        QCOMPARE(lines[3].split(','), (QStringList{"two", "0", "0", "3"}));
    }
};

QTEST_MAIN(TestConfusionMatrixView)
#include "tst_confusionmatrixview.moc"
