// The reconstruction view of a pretraining run (issue 19): the hidden stretches are shaded
// where the mask says, the chosen window and channel are drawn, the summary names the masking
// and the window's error, a bad file's message is shown and clears the view, and the picture
// draws the reconstruction's colour inside the shade and not outside it.

#include "widgets/explain/ReconstructionPlot.h"
#include "widgets/explain/ReconstructionView.h"

#include <QComboBox>
#include <QImage>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

/// Two channels of 48 steps: a sine and a ramp; steps 12..23 and 36..47 hidden in channel 0,
/// 0..11 in channel 1; the reconstruction is the series plus `offset`.
ReconstructionSamples samples(float offset)
{
    ReconstructionSamples s;
    s.runDir = QStringLiteral("/runs/pretrain");
    s.lookback = 48;
    s.channels = {QStringLiteral("HUFL"), QStringLiteral("OT")};
    s.masking = QStringLiteral("patches of 12 steps, 40 % hidden");
    s.testWindows = 2785;
    for (int k = 0; k < 2; ++k) {
        ReconstructionWindow w;
        w.index = k * 2784;
        w.startRow = 11472 + w.index;
        w.maskedMse = 0.25 + k;
        for (int c = 0; c < 2; ++c) {
            std::vector<float> v, r;
            std::vector<bool> h;
            for (int t = 0; t < 48; ++t) {
                const float value = c == 0 ? float(10.0 * std::sin(t / 5.0)) : float(t) * (k + 1);
                v.push_back(value);
                r.push_back(value + offset);
                h.push_back(c == 0 ? (t / 12) % 2 == 1 : t < 12);
            }
            w.values.push_back(v);
            w.reconstruction.push_back(r);
            w.hidden.push_back(h);
        }
        s.windows.push_back(std::move(w));
    }
    return s;
}

/// Pixels of `image` in the column at `x` inside `rect` that are the reconstruction's orange.
int orangePixels(const QImage &image, int x, const QRect &rect)
{
    int n = 0;
    for (int y = rect.top() + 1; y < rect.bottom(); ++y) {
        const QColor c = image.pixelColor(x, y);
        if (c.red() > 180 && c.green() > 60 && c.green() < 140 && c.blue() < 80)
            ++n;
    }
    return n;
}

} // namespace

class tst_ReconstructionView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsEmptyWithAHint();
    void showsTheLastChannelOfTheFirstWindow();
    void hiddenStretchesFollowTheMask();
    void switchingChannelRedraws();
    void reconstructionIsDrawnInsideTheShade();
    void csvIsTheShownWindowAndChannel();
    void failureClearsTheView();
    void badSizesClearThePlot();
};

void tst_ReconstructionView::startsEmptyWithAHint()
{
    ReconstructionView view;
    QVERIFY(!view.plot()->hasSeries());
    QVERIFY(!view.windowBox()->isEnabled());
    QVERIFY(view.summaryText().contains(QStringLiteral("pretraining run")));
}

void tst_ReconstructionView::showsTheLastChannelOfTheFirstWindow()
{
    ReconstructionView view;
    view.setSamples(samples(0.5f));
    QCOMPARE(view.windowBox()->count(), 2);
    QCOMPARE(view.windowBox()->currentIndex(), 0);
    QCOMPARE(view.windowBox()->itemText(1), QStringLiteral("2784 (from row 14256)"));
    QCOMPARE(view.channelBox()->currentText(), QStringLiteral("OT"));
    QVERIFY(view.plot()->hasSeries());
    const QString summary = view.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("of the 2785 test windows")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("patches of 12 steps, 40 % hidden")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("12 of this channel's steps hidden")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("0.2500")), qPrintable(summary));
    // OT's ramp 0..47 and its reconstruction 0.5..47.5, padded by 6 %.
    const auto [low, high] = view.plot()->valueRange();
    QVERIFY(low < 0.0 && low > -3.5);
    QVERIFY(high > 47.5 && high < 51.0);

    view.windowBox()->setCurrentIndex(1);
    QVERIFY(view.summaryText().contains(QStringLiteral("1.2500")));
    QVERIFY(view.plot()->valueRange().second > 94.0); // the second window's steeper ramp
}

void tst_ReconstructionView::hiddenStretchesFollowTheMask()
{
    ReconstructionView view;
    view.setSamples(samples(0.0f));
    view.channelBox()->setCurrentIndex(0);
    const std::vector<std::pair<int, int>> stretches = view.plot()->hiddenStretches();
    QCOMPARE(int(stretches.size()), 2);
    QCOMPARE(stretches[0], std::make_pair(12, 23));
    QCOMPARE(stretches[1], std::make_pair(36, 47));
}

void tst_ReconstructionView::switchingChannelRedraws()
{
    ReconstructionView view;
    view.setSamples(samples(0.0f));
    view.channelBox()->setCurrentIndex(1);
    QCOMPARE(view.plot()->hiddenStretches(), (std::vector<std::pair<int, int>>{{0, 11}}));
    view.channelBox()->setCurrentIndex(0);
    QCOMPARE(int(view.plot()->hiddenStretches().size()), 2);
    QVERIFY(view.summaryText().contains(QStringLiteral("24 of this channel's steps hidden")));
}

void tst_ReconstructionView::reconstructionIsDrawnInsideTheShade()
{
    ReconstructionPlot plot;
    plot.resize(720, 260);
    // A flat series at 0 with the reconstruction at 5 over steps 12..23 (hidden).
    std::vector<float> values(48, 0.0f), reconstruction(48, 5.0f);
    std::vector<bool> hidden(48, false);
    for (int t = 12; t < 24; ++t)
        hidden[std::size_t(t)] = true;
    plot.setSeries(values, reconstruction, hidden, QStringLiteral("OT"));
    const QImage image = plot.grab().toImage();
    const QRect r = plot.plotRect();
    const auto columnOf = [&](int step) {
        return r.left() + r.width() * step / 47;
    };
    QVERIFY2(orangePixels(image, columnOf(18), r) > 0, "no reconstruction over the hidden patch");
    QCOMPARE(orangePixels(image, columnOf(35), r), 0); // faint where the model saw the input
    // The shade: a hidden column is not the base colour at the top of the plot.
    QVERIFY(image.pixelColor(columnOf(18), r.top() + 3) != plot.palette().base().color());
    QCOMPARE(image.pixelColor(columnOf(35), r.top() + 3), plot.palette().base().color());
}

void tst_ReconstructionView::csvIsTheShownWindowAndChannel()
{
    ReconstructionView view;
    QVERIFY(view.csvTable().header.isEmpty());
    view.setSamples(samples(0.5f));
    view.windowBox()->setCurrentIndex(1);
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header, (QStringList{"step", "row", "OT", "OT reconstruction", "hidden"}));
    QCOMPARE(table.rows.size(), 48);
    // The second window's ramp 2t, its reconstruction 2t + 0.5, steps 0..11 hidden.
    QCOMPARE(table.rows[3], (QStringList{"3", "14259", "6", "6.5", "1"}));
    QCOMPARE(table.rows[47], (QStringList{"47", "14303", "94", "94.5", "0"}));
}

void tst_ReconstructionView::failureClearsTheView()
{
    ReconstructionView view;
    view.setSamples(samples(0.0f));
    view.showFailure(QStringLiteral("/runs/x/reconstruction.json: not a reconstruction file"));
    QVERIFY(!view.plot()->hasSeries());
    QCOMPARE(view.windowBox()->count(), 0);
    QVERIFY(view.summaryText().contains(QStringLiteral("/runs/x/reconstruction.json")));
}

void tst_ReconstructionView::badSizesClearThePlot()
{
    ReconstructionPlot plot;
    plot.setSeries({1, 2, 3}, {1, 2}, {false, true, false}, QStringLiteral("OT"));
    QVERIFY(!plot.hasSeries());
}

QTEST_MAIN(tst_ReconstructionView)
#include "tst_reconstructionview.moc"
