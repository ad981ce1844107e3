#include "FuzzTargets.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace twb;

namespace {

const QString fuzzDir = QStringLiteral(TWB_FUZZ_DIR);

// Every file of fuzz/<kind>/<harness>/ (README files excepted), sorted.
QStringList inputsOf(const QString &kind, const QString &harness)
{
    QStringList files;
    QDirIterator it(fuzzDir + QLatin1Char('/') + kind + QLatin1Char('/') + harness, QDir::Files);
    while (it.hasNext()) {
        const QString file = it.next();
        if (!file.endsWith(QLatin1String(".md")))
            files.append(file);
    }
    files.sort();
    return files;
}

} // namespace

/// The fuzzers' seed corpora and every input a fuzzer ever crashed on (kept in
/// fuzz/regressions/<harness>/ once its bug was fixed) go through the harness functions of
/// fuzz/targets: the loaders must return (a value or an Error) within a few seconds each.
/// A crash here is a regression of a fixed bug; run the input under the fuzz build
/// (build-fuzz/fuzz_<harness> FILE) to see the sanitizer report.
class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyHarnessHasSeeds()
    {
        for (const fuzz::Target &target : fuzz::targets) {
            const QString name = QLatin1String(target.name);
            QVERIFY2(!inputsOf(QStringLiteral("corpus"), name).isEmpty(),
                     qPrintable(QStringLiteral("fuzz/corpus/%1 has no seed").arg(name)));
        }
    }

    void replay_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("file");
        for (int t = 0; t < int(std::size(fuzz::targets)); ++t) {
            const QString name = QLatin1String(fuzz::targets[t].name);
            for (const QString &kind : {QStringLiteral("corpus"), QStringLiteral("regressions")})
                for (const QString &file : inputsOf(kind, name))
                    QTest::newRow(qPrintable(kind + QLatin1Char('/') + name + QLatin1Char('/') +
                                             QFileInfo(file).fileName()))
                        << t << file;
        }
    }

    void replay()
    {
        QFETCH(int, target);
        QFETCH(QString, file);
        QFile input(file);
        QVERIFY2(input.open(QIODevice::ReadOnly), qPrintable(file));
        const QByteArray bytes = input.readAll();
        QElapsedTimer timer;
        timer.start();
        const int result = fuzz::targets[target].run(
            reinterpret_cast<const std::uint8_t *>(bytes.constData()), std::size_t(bytes.size()));
        QCOMPARE(result, 0);
        // libFuzzer's -timeout is 10 s under sanitizers; an optimised build must be far faster.
        QVERIFY2(timer.elapsed() < 5000,
                 qPrintable(QStringLiteral("%1 took %2 ms").arg(file).arg(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
