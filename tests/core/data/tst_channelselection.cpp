#include "data/ChannelSelection.h"

#include <QDir>
#include <QTest>

#include <cmath>

using namespace twb;

class tst_ChannelSelection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsTheNamedColumnsInOrder();
    void emptyListKeepsEverything();
    void unknownOrRepeatedChannelIsNamed();
    void parsesCommaSeparatedNames();
    void etth1Univariate();
};

namespace {

/// 3 rows x channels a, b, c: value = 10 * row + column; b is missing in row 1.
SeriesDataset sample()
{
    SeriesDataset d;
    d.sourcePath = QStringLiteral("/data/abc.csv");
    d.channelNames = {"a", "b", "c"};
    d.timeColumn = QStringLiteral("date");
    d.timestamps = {1000, 2000, 3000};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            d.values.push_back(r == 1 && c == 1 ? std::nanf("") : float(10 * r + c));
    d.recountMissing();
    return d;
}

} // namespace

void tst_ChannelSelection::keepsTheNamedColumnsInOrder()
{
    Expected<SeriesDataset> s = selectChannels(sample(), {"c", "b"});
    QVERIFY(s);
    QCOMPARE(s->channelNames, (QStringList{"c", "b"}));
    QCOMPARE(s->rows(), std::int64_t(3));
    QCOMPARE(s->at(0, 0), 2.0f);
    QCOMPARE(s->at(2, 0), 22.0f);
    QCOMPARE(s->at(2, 1), 21.0f);
    QVERIFY(std::isnan(s->at(1, 1)));
    QCOMPARE(s->timestamps, (std::vector<std::int64_t>{1000, 2000, 3000}));
    QCOMPARE(s->timeColumn, QStringLiteral("date"));
    QCOMPARE(s->missing.total(), std::int64_t(1));
    // Without the channel that has the gap, nothing is missing.
    QCOMPARE(selectChannels(sample(), {"a"})->missing.total(), std::int64_t(0));
}

void tst_ChannelSelection::emptyListKeepsEverything()
{
    Expected<SeriesDataset> s = selectChannels(sample(), {});
    QVERIFY(s);
    QCOMPARE(s->fingerprint(), sample().fingerprint());
}

void tst_ChannelSelection::unknownOrRepeatedChannelIsNamed()
{
    Expected<SeriesDataset> unknown = selectChannels(sample(), {"a", "OT"});
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().file, QStringLiteral("/data/abc.csv"));
    QCOMPARE(unknown.error().reason,
             QStringLiteral("no channel \"OT\" (the channels are a, b, c)"));
    Expected<SeriesDataset> twice = selectChannels(sample(), {"a", "a"});
    QVERIFY(!twice);
    QVERIFY(twice.error().reason.contains(QStringLiteral("\"a\" is asked twice")));
}

void tst_ChannelSelection::parsesCommaSeparatedNames()
{
    QCOMPARE(parseChannelList(QStringLiteral(" HUFL, OT ,,")), (QStringList{"HUFL", "OT"}));
    QVERIFY(parseChannelList(QStringLiteral("  ")).isEmpty());
}

void tst_ChannelSelection::etth1Univariate()
{
    const QString path = QDir(QStringLiteral(TWB_SHARED_DATA_DIR)).filePath("ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(path + QStringLiteral(" not found")));
    Expected<SeriesDataset> all = loadSeriesChannels(path, {});
    Expected<SeriesDataset> ot = loadSeriesChannels(path, {"OT"});
    QVERIFY(all && ot);
    QCOMPARE(ot->channelNames, QStringList{"OT"});
    QCOMPARE(ot->rows(), all->rows());
    for (std::int64_t r : {std::int64_t(0), std::int64_t(5000), all->rows() - 1})
        QCOMPARE(ot->at(r, 0), all->at(r, 6));
    QVERIFY(!loadSeriesChannels(path, {"oil"}));
}

QTEST_GUILESS_MAIN(tst_ChannelSelection)
#include "tst_channelselection.moc"
