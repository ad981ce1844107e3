#include "widgets/data/ChannelTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <limits>

using namespace twb;

namespace {

const double noValue = std::numeric_limits<double>::quiet_NaN();

std::vector<ChannelStats> sampleStats()
{
    return {
        {QStringLiteral("HUFL"), 17420, 0, 7.37514, 7.06754, -22.706, 23.644},
        {QStringLiteral("co2"), 2225, 59, 340.142, 17.0001, 313, 373.9},
        {QStringLiteral("empty"), 0, 12, noValue, noValue, noValue, noValue},
    };
}

MissingReport sampleMissing()
{
    MissingReport m;
    m.perChannel = {0, 59, 12};
    m.firstCells = {{9, 11, 1}, {30, 32, 1}, {0, 0, 2}};
    return m;
}

} // namespace

class tst_ChannelTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void passesModelTester();
    void shape();
    void display_data();
    void display();
    void sortRoleIsNumeric();
    void headers();
    void missingIsHighlightedWithItsLines();
    void checkStates();
    void checkedChannelsAPI();
    void withoutCheckBoxes();
    void sortingThroughProxy();
    void clearEmptiesTable();

private:
    ChannelTableModel *m_model = nullptr;
};

void tst_ChannelTableModel::init()
{
    delete m_model;
    m_model = new ChannelTableModel(this);
    m_model->setSummary(sampleStats(), sampleMissing());
}

void tst_ChannelTableModel::passesModelTester()
{
    QAbstractItemModelTester tester(m_model,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setCheckedChannels({0, 2});
    m_model->setData(m_model->index(1, ChannelTableModel::Name), Qt::Checked, Qt::CheckStateRole);
    m_model->setSummary(sampleStats());
    m_model->clear();
}

void tst_ChannelTableModel::shape()
{
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->columnCount(), 7);
    QCOMPARE(m_model->rowCount(m_model->index(0, 0)), 0); // a table, not a tree
    QCOMPARE(m_model->stats().size(), std::size_t(3));
}

void tst_ChannelTableModel::display_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");

    QTest::newRow("name") << 0 << int(ChannelTableModel::Name) << "HUFL";
    QTest::newRow("count") << 0 << int(ChannelTableModel::Count) << "17420";
    QTest::newRow("missing") << 1 << int(ChannelTableModel::Missing) << "59";
    QTest::newRow("mean 6 digits") << 1 << int(ChannelTableModel::Mean) << "340.142";
    QTest::newRow("std") << 0 << int(ChannelTableModel::Std) << "7.06754";
    QTest::newRow("negative min") << 0 << int(ChannelTableModel::Min) << "-22.706";
    QTest::newRow("max") << 1 << int(ChannelTableModel::Max) << "373.9";
    QTest::newRow("all missing: mean is a dash")
        << 2 << int(ChannelTableModel::Mean) << QStringLiteral("\u2013");
    QTest::newRow("all missing: count 0") << 2 << int(ChannelTableModel::Count) << "0";
}

void tst_ChannelTableModel::display()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    QCOMPARE(m_model->data(m_model->index(row, column)).toString(), text);
}

void tst_ChannelTableModel::sortRoleIsNumeric()
{
    const auto sortValue = [this](int row, int column) {
        return m_model->data(m_model->index(row, column), ChannelTableModel::SortRole);
    };
    QCOMPARE(sortValue(0, ChannelTableModel::Count).toLongLong(), 17420);
    QCOMPARE(sortValue(1, ChannelTableModel::Mean).toDouble(), 340.142);
    QCOMPARE(sortValue(0, ChannelTableModel::Min).toDouble(), -22.706);
    QCOMPARE(sortValue(0, ChannelTableModel::Name).toString(), QStringLiteral("HUFL"));
}

void tst_ChannelTableModel::headers()
{
    const QStringList expected{"Channel", "Count", "Missing", "Mean", "Std", "Min", "Max"};
    for (int c = 0; c < expected.size(); ++c)
        QCOMPARE(m_model->headerData(c, Qt::Horizontal).toString(), expected[c]);
    QCOMPARE(m_model->headerData(0, Qt::Vertical).toInt(), 1);
    QVERIFY(m_model->headerData(ChannelTableModel::Std, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("Population")));
}

void tst_ChannelTableModel::missingIsHighlightedWithItsLines()
{
    const QModelIndex co2 = m_model->index(1, ChannelTableModel::Missing);
    QVERIFY(m_model->data(co2, Qt::ForegroundRole).isValid());
    const QString tip = m_model->data(co2, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("59 missing")), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("line 11, line 32")), qPrintable(tip));

    // Cells without a line number (HDF5, in-memory) are named by row.
    const QString rowTip =
        m_model->data(m_model->index(2, ChannelTableModel::Missing), Qt::ToolTipRole).toString();
    QVERIFY2(rowTip.contains(QLatin1String("row 1")), qPrintable(rowTip));

    const QModelIndex complete = m_model->index(0, ChannelTableModel::Missing);
    QVERIFY(!m_model->data(complete, Qt::ForegroundRole).isValid());
    QVERIFY(!m_model->data(complete, Qt::ToolTipRole).isValid());
}

void tst_ChannelTableModel::withoutCheckBoxes()
{
    // Labelled cases: the statistics without the series view's check boxes.
    QAbstractItemModelTester tester(m_model,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSummary(sampleStats(), {}, false);
    QVERIFY(!m_model->checkable());
    const QModelIndex name = m_model->index(0, ChannelTableModel::Name);
    QVERIFY(!(m_model->flags(name) & Qt::ItemIsUserCheckable));
    QVERIFY(!m_model->data(name, Qt::CheckStateRole).isValid());
    QCOMPARE(m_model->data(name).toString(), QStringLiteral("HUFL"));
    QSignalSpy spy(m_model, &ChannelTableModel::checkedChannelsChanged);
    QVERIFY(!m_model->setData(name, Qt::Checked, Qt::CheckStateRole));
    m_model->setCheckedChannels({0, 1});
    QVERIFY(m_model->checkedChannels().isEmpty());
    QCOMPARE(spy.count(), 0);
    m_model->setSummary(sampleStats());
    QVERIFY(m_model->checkable());
    QVERIFY(m_model->flags(name) & Qt::ItemIsUserCheckable);
}

void tst_ChannelTableModel::checkStates()
{
    QSignalSpy spy(m_model, &ChannelTableModel::checkedChannelsChanged);
    const QModelIndex name = m_model->index(1, ChannelTableModel::Name);
    QVERIFY(m_model->flags(name) & Qt::ItemIsUserCheckable);
    QVERIFY(
        !(m_model->flags(m_model->index(1, ChannelTableModel::Mean)) & Qt::ItemIsUserCheckable));
    QCOMPARE(m_model->data(name, Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

    QVERIFY(m_model->setData(name, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(m_model->data(name, Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.takeFirst().at(0).value<QList<int>>(), QList<int>{1});

    // Only the name column is checkable.
    QVERIFY(!m_model->setData(m_model->index(1, ChannelTableModel::Mean), Qt::Checked,
                              Qt::CheckStateRole));
    QVERIFY(!m_model->setData(name, QStringLiteral("x"), Qt::EditRole));
    QCOMPARE(spy.size(), 0);
}

void tst_ChannelTableModel::checkedChannelsAPI()
{
    QSignalSpy spy(m_model, &ChannelTableModel::checkedChannelsChanged);
    m_model->setCheckedChannels({2, 0, 7, -1});
    QCOMPARE(m_model->checkedChannels(), (QList<int>{0, 2}));
    QCOMPARE(spy.size(), 1);
    m_model->setCheckedChannels({0, 2}); // unchanged: no signal
    QCOMPARE(spy.size(), 1);

    // A new summary starts with nothing checked.
    m_model->setSummary(sampleStats());
    QVERIFY(m_model->checkedChannels().isEmpty());
    QCOMPARE(spy.size(), 2);
}

void tst_ChannelTableModel::sortingThroughProxy()
{
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(m_model);
    proxy.setSortRole(ChannelTableModel::SortRole);
    proxy.sort(ChannelTableModel::Mean, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, ChannelTableModel::Name).data().toString(), QStringLiteral("co2"));
    QCOMPARE(proxy.index(1, ChannelTableModel::Name).data().toString(), QStringLiteral("HUFL"));
    // 17420 > 2225 numerically although "2225" > "17420" as text.
    proxy.sort(ChannelTableModel::Count, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, ChannelTableModel::Name).data().toString(), QStringLiteral("HUFL"));

    // Checking through the proxy reaches the source.
    QVERIFY(
        proxy.setData(proxy.index(0, ChannelTableModel::Name), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(m_model->checkedChannels(), QList<int>{0});
}

void tst_ChannelTableModel::clearEmptiesTable()
{
    m_model->setCheckedChannels({1});
    m_model->clear();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_model->checkedChannels().isEmpty());
    QVERIFY(!m_model->data(m_model->index(0, 0)).isValid());
}

QTEST_MAIN(tst_ChannelTableModel)
#include "tst_channeltablemodel.moc"
