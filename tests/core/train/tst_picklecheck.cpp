// checkPickleStream: the pickled part of a checkpoint is walked before LibTorch unpickles it, so
// a damaged length or memo index is refused by name instead of becoming a huge allocation.

#include "train/PickleCheck.h"

#include <QTest>

using namespace twb;

class tst_PickleCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void check_data();
    void check();
};

void tst_PickleCheck::check_data()
{
    QTest::addColumn<QByteArray>("pickle");
    QTest::addColumn<QString>("refusal"); // empty: accepted

    const QByteArray proto = QByteArray::fromHex("8002");
    QTest::newRow("None") << proto + "N." << QString();
    QTest::newRow("a list memoised, fetched back")
        << proto + QByteArray::fromHex("5d71006800") + "." << QString();
    QTest::newRow("a short unicode string")
        << proto + QByteArray::fromHex("8c05") + "model" + "." << QString();
    QTest::newRow("GLOBAL with its two lines")
        << proto + "ctorch._utils\n_rebuild_tensor_v2\n." << QString();
    QTest::newRow("a frame that fits")
        << QByteArray::fromHex("8004950200000000000000") + "N." << QString();
    QTest::newRow("BINUNICODE claiming 2 GB")
        << proto + "X" + QByteArray::fromHex("ffffff7f") + "abc."
        << QStringLiteral("a length of 2147483647 bytes where 4 remain");
    QTest::newRow("BINBYTES8 claiming 2^60 bytes")
        << proto + QByteArray::fromHex("8e") + QByteArray::fromHex("0000000000000010") + "."
        << QStringLiteral("a length of 1152921504606846976 bytes");
    QTest::newRow("a frame longer than the stream")
        << QByteArray::fromHex("800495ff00000000000000") + "N."
        << QStringLiteral("a frame of 255 bytes where 2 remain");
    QTest::newRow("LONG_BINPUT far beyond the objects stored")
        << proto + "]r" + QByteArray::fromHex("00000010") + "."
        << QStringLiteral("memo index 268435456 after 0 stored objects");
    QTest::newRow("BINGET of nothing stored")
        << proto + "h\x03." << QStringLiteral("a reference to memo index 3 of 0");
    QTest::newRow("protocol 0: a list PUT and GET as text")
        << QByteArray("(lp0\ng0\n.") << QString();
    QTest::newRow("protocol 0: PUT far beyond the objects stored")
        << QByteArray("(lp999999999\n.")
        << QStringLiteral("memo index 999999999 after 0 stored objects");
    QTest::newRow("protocol 0: GET of nothing stored")
        << QByteArray("g7\n.") << QStringLiteral("a reference to memo index 7 of 0");
    QTest::newRow("protocol 0: a PUT index that is not a number")
        << QByteArray("(lp-1\n.") << QStringLiteral("a memo index that is not a number");
    QTest::newRow("protocol 0: a PUT index of 20 digits")
        << QByteArray("(lp18446744073709551615\n.")
        << QStringLiteral("a memo index that is not a number");
    QTest::newRow("protocol 0: a PUT cut off")
        << QByteArray("(lp12") << QStringLiteral("a text argument cut off by the end");
    QTest::newRow("an unknown opcode") << proto + "\xff." << QStringLiteral("unknown opcode 0xff");
    QTest::newRow("an argument cut off")
        << proto + "J\x01\x02" << QStringLiteral("an argument cut off by the end");
    QTest::newRow("a line without its newline")
        << proto + "I12" << QStringLiteral("a text argument cut off by the end");
    QTest::newRow("no STOP") << proto + "N" << QStringLiteral("no end (STOP)");
}

void tst_PickleCheck::check()
{
    QFETCH(QByteArray, pickle);
    QFETCH(QString, refusal);
    const Status status = checkPickleStream(pickle, QStringLiteral("run/best.pt"));
    if (refusal.isEmpty()) {
        QVERIFY2(status, qPrintable(status ? QString() : status.error().toString()));
        return;
    }
    QVERIFY(!status);
    QCOMPARE(status.error().file, QStringLiteral("run/best.pt"));
    QVERIFY2(status.error().reason.startsWith(QLatin1String("damaged checkpoint: ")),
             qPrintable(status.error().reason));
    QVERIFY2(status.error().reason.contains(refusal), qPrintable(status.error().reason));
}

QTEST_GUILESS_MAIN(tst_PickleCheck)
#include "tst_picklecheck.moc"
