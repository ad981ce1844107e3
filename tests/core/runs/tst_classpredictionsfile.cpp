#include "data/Hdf5File.h"
#include "runs/ClassPredictionsFile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

/// What the test writes; each field can be spoiled before writing.
struct Layout
{
    std::vector<float> probabilities{0.7f, 0.2f, 0.1f, //
                                     0.1f, 0.3f, 0.6f, //
                                     0.2f, 0.5f, 0.3f, //
                                     0.1f, 0.1f, 0.8f};
    std::vector<std::int64_t> probDims{4, 3};
    std::vector<std::int64_t> labels{0, 1, 1, 2};
    std::vector<std::int64_t> predicted{0, 2, 1, 2};
    QStringList sources{"0_george_0.wav", "1_jackson_3.wav", "1_lucas_4.wav", "2_yweweler_1.wav"};
    QStringList classNames{"0", "1", "2"};
    bool writeLabels = true;
    bool writeSources = true;
};

/// Writes `l` with the layout of ClassifyPipeline::evaluate through Hdf5Writer.
QString writeFile(const QTemporaryDir &dir, const Layout &l)
{
    const QString path = dir.filePath("predictions.h5");
    Expected<Hdf5Writer> w = Hdf5Writer::create(path);
    if (!w)
        return {};
    bool ok = bool(w->writeFloats("/probabilities", l.probabilities.data(), l.probDims));
    if (l.writeLabels)
        ok = ok && w->writeInt64s("/labels", l.labels.data(), {std::int64_t(l.labels.size())});
    ok = ok && w->writeInt64s("/predicted", l.predicted.data(), {std::int64_t(l.predicted.size())});
    if (l.writeSources)
        ok = ok && w->writeStrings("/sources", l.sources);
    ok = ok && w->writeStrings("/class_names", l.classNames);
    ok = ok && w->setAttribute("/probabilities", "split", QStringLiteral("test"));
    ok = ok && w->setAttribute("/probabilities", "task", QStringLiteral("classify"));
    ok = ok && w->commit();
    return ok ? path : QString();
}

} // namespace

class TestClassPredictionsFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsGoodFile()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, Layout{});
        QVERIFY(!path.isEmpty());
        Expected<ClassPredictions> p = readClassPredictionsFile(path);
        QVERIFY2(p, qPrintable(p ? QString() : p.error().toString()));
        QCOMPARE(p->cases, 4);
        QCOMPARE(p->classes, 3);
        QCOMPARE(p->probabilities.size(), 12u);
        QCOMPARE(p->probability(1, 2), 0.6f);
        QCOMPARE(p->probability(3, 0), 0.1f);
        QCOMPARE(p->labels, (std::vector<int>{0, 1, 1, 2}));
        QCOMPARE(p->predicted, (std::vector<int>{0, 2, 1, 2}));
        QCOMPARE(p->sources.at(1), QStringLiteral("1_jackson_3.wav"));
        QCOMPARE(p->classNames, (QStringList{"0", "1", "2"}));
        QCOMPARE(p->split, QStringLiteral("test"));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("nope.h5");
        Expected<ClassPredictions> p = readClassPredictionsFile(path);
        QVERIFY(!p);
        QVERIFY2(p.error().toString().contains(path), qPrintable(p.error().toString()));
    }

    void missingDataset()
    {
        QTemporaryDir dir;
        Layout l;
        l.writeLabels = false;
        const QString path = writeFile(dir, l);
        Expected<ClassPredictions> p = readClassPredictionsFile(path);
        QVERIFY(!p);
        QCOMPARE(p.error().file, path);
        QCOMPARE(p.error().reason, QStringLiteral("missing dataset /labels"));

        Layout noSources;
        noSources.writeSources = false;
        QTemporaryDir dir2;
        Expected<ClassPredictions> q = readClassPredictionsFile(writeFile(dir2, noSources));
        QVERIFY(!q);
        QCOMPARE(q.error().reason, QStringLiteral("missing dataset /sources"));
    }

    void forecastFileIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("forecast.h5");
        Expected<Hdf5Writer> w = Hdf5Writer::create(path);
        QVERIFY(w);
        const float v[2] = {1, 2};
        QVERIFY(w->writeFloats("/predictions/original", v, {2}));
        QVERIFY(w->commit());
        Expected<ClassPredictions> p = readClassPredictionsFile(path);
        QVERIFY(!p);
        QVERIFY(p.error().reason.startsWith("missing dataset /probabilities"));
        QCOMPARE(p.error().file, path);
    }

    void labelOutOfRange()
    {
        QTemporaryDir dir;
        Layout l;
        l.labels[2] = 3;
        Expected<ClassPredictions> p = readClassPredictionsFile(writeFile(dir, l));
        QVERIFY(!p);
        QCOMPARE(p.error().reason, QStringLiteral("/labels[2] = 3 is not a class index in [0, 3)"));

        QTemporaryDir dir2;
        Layout n;
        n.predicted[0] = -1;
        Expected<ClassPredictions> q = readClassPredictionsFile(writeFile(dir2, n));
        QVERIFY(!q);
        QCOMPARE(q.error().reason,
                 QStringLiteral("/predicted[0] = -1 is not a class index in [0, 3)"));
    }

    void shapeMismatch()
    {
        {
            QTemporaryDir dir;
            Layout l;
            l.labels.pop_back();
            Expected<ClassPredictions> p = readClassPredictionsFile(writeFile(dir, l));
            QVERIFY(!p);
            QCOMPARE(p.error().reason,
                     QStringLiteral("/labels has 3 values, /probabilities has 4 cases"));
        }
        {
            QTemporaryDir dir;
            Layout l;
            l.classNames.removeLast();
            Expected<ClassPredictions> p = readClassPredictionsFile(writeFile(dir, l));
            QVERIFY(!p);
            QCOMPARE(p.error().reason,
                     QStringLiteral("/class_names has 2 entries, expected 3 (one per column of "
                                    "/probabilities)"));
        }
        {
            QTemporaryDir dir;
            Layout l;
            l.sources << "extra.wav";
            Expected<ClassPredictions> p = readClassPredictionsFile(writeFile(dir, l));
            QVERIFY(!p);
            QCOMPARE(p.error().reason,
                     QStringLiteral("/sources has 5 entries, expected 4 (one per case)"));
        }
        {
            QTemporaryDir dir;
            Layout l;
            l.probDims = {12};
            Expected<ClassPredictions> p = readClassPredictionsFile(writeFile(dir, l));
            QVERIFY(!p);
            QCOMPARE(p.error().reason, QStringLiteral("/probabilities is not [cases, classes]"));
        }
    }
};

QTEST_GUILESS_MAIN(TestClassPredictionsFile)
#include "tst_classpredictionsfile.moc"
