// The torch-free forward-pass trace: stage previews and statistics, the HDF5 file round trip
// and broken files.

#include "attention/ForwardTrace.h"
#include "data/Hdf5File.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace twb;
using namespace twb::explain;

class tst_ForwardTrace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stageOfMatrix();
    void stageTakesFirstSliceAndStrides();
    void stageOfVectorAndScalar();
    void roundTrip();
    void writeRejectsBadTraces();
    void brokenFiles();
    void shapeTextFormats();

private:
    static ForwardTrace sampleTrace();
};

void tst_ForwardTrace::stageOfMatrix()
{
    const std::vector<float> v{1, 2, 3, 4, 5, 6};
    const ForwardStage s = makeForwardStage("revin", {2, 3}, v.data());
    QCOMPARE(s.name, std::string("revin"));
    QCOMPARE(s.rows, 2);
    QCOMPARE(s.cols, 3);
    QCOMPARE(s.preview, v);
    QCOMPARE(s.min, 1.0);
    QCOMPARE(s.max, 6.0);
    QCOMPARE(s.mean, 3.5);
    // Population std of 1..6: sqrt(35 / 12).
    QVERIFY(std::abs(s.std - std::sqrt(35.0 / 12.0)) < 1e-12);
    QCOMPARE(s.elementCount(), std::int64_t(6));
}

void tst_ForwardTrace::stageTakesFirstSliceAndStrides()
{
    // [2, 3, 600, 5]: the preview is [0, 0, :, :] thinned to 200 rows (stride 3) with maxSide
    // 256, statistics over all 18000 values.
    std::vector<float> v(2 * 3 * 600 * 5);
    std::iota(v.begin(), v.end(), 0.0f);
    const ForwardStage s = makeForwardStage("patches", {2, 3, 600, 5}, v.data());
    QCOMPARE(s.shape, (std::vector<std::int64_t>{2, 3, 600, 5}));
    QCOMPARE(s.rowStride, 3);
    QCOMPARE(s.colStride, 1);
    QCOMPARE(s.rows, 200);
    QCOMPARE(s.cols, 5);
    QCOMPARE(s.preview[0], 0.0f);
    QCOMPARE(s.preview[4], 4.0f);
    QCOMPARE(s.preview[5], 15.0f); // row 1 of the preview = slice row 3
    QCOMPARE(s.preview[199 * 5 + 2], float(597 * 5 + 2));
    QCOMPARE(s.min, 0.0);
    QCOMPARE(s.max, double(v.size() - 1));
    QCOMPARE(s.mean, double(v.size() - 1) / 2.0);

    // Columns are thinned too: 10 columns with a cap of 4 -> stride 3 -> columns 0, 3, 6, 9.
    std::vector<float> wide(10);
    std::iota(wide.begin(), wide.end(), 0.0f);
    const ForwardStage w = makeForwardStage("w", {1, 10}, wide.data(), 4);
    QCOMPARE(w.colStride, 3);
    QCOMPARE(w.preview, (std::vector<float>{0, 3, 6, 9}));
}

void tst_ForwardTrace::stageOfVectorAndScalar()
{
    const std::vector<float> v{3, -1, NAN, 5};
    const ForwardStage s = makeForwardStage("logits", {4}, v.data());
    QCOMPARE(s.rows, 1);
    QCOMPARE(s.cols, 4);
    QCOMPARE(s.min, -1.0); // NaN skipped by the statistics
    QCOMPARE(s.max, 5.0);
    QCOMPARE(s.mean, 7.0 / 3.0);
    QVERIFY(std::isnan(s.preview[2]));

    const float one = 2.5f;
    const ForwardStage scalar = makeForwardStage("loss", {}, &one);
    QCOMPARE(scalar.shape, (std::vector<std::int64_t>{1}));
    QCOMPARE(scalar.preview, (std::vector<float>{2.5f}));
    QCOMPARE(scalar.std, 0.0);
}

ForwardTrace tst_ForwardTrace::sampleTrace()
{
    ForwardTrace t;
    t.modelId = "patchtst";
    t.runDir = "/runs/a";
    t.sampleLabel = "test window 3 (2017-10-20 03:00)";
    t.sampleIndex = 3;
    std::vector<float> a(1 * 8 * 3);
    std::iota(a.begin(), a.end(), -4.0f);
    t.stages.push_back(makeForwardStage("input", {1, 8, 3}, a.data()));
    std::vector<float> b(2 * 4 * 4, 0.25f);
    t.stages.push_back(makeForwardStage("attention_layer_0", {2, 4, 4}, b.data()));
    t.prediction = makeForwardStage("prediction", {1, 2, 3}, a.data());
    t.parameters = {{"encoder.layers.0.q.weight", {4, 4}, 16},
                    {"encoder.layers.0.q.bias", {4}, 4},
                    {"head.weight", {2, 3, 5}, 30}};
    t.totalParameters = 50;
    t.buffers = {{"encoder.position.pe", {5000, 4}, 20000}, {"fit.cases", {3, 8}, 24}};
    t.totalBuffers = 20024;
    return t;
}

void tst_ForwardTrace::roundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("trace.h5"));
    const ForwardTrace t = sampleTrace();
    const Status s = writeForwardFile(path, t);
    QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));

    Expected<ForwardTrace> back = readForwardFile(path);
    QVERIFY2(back, back ? "" : qPrintable(back.error().toString()));
    QCOMPARE(back->modelId, t.modelId);
    QCOMPARE(back->runDir, t.runDir);
    QCOMPARE(back->sampleLabel, t.sampleLabel);
    QCOMPARE(back->sampleIndex, std::int64_t(3));
    QCOMPARE(back->stages.size(), std::size_t(2));
    for (std::size_t i = 0; i < 2; ++i) {
        const ForwardStage &x = t.stages[i];
        const ForwardStage &y = back->stages[i];
        QCOMPARE(y.name, x.name);
        QCOMPARE(y.shape, x.shape);
        QCOMPARE(y.rows, x.rows);
        QCOMPARE(y.cols, x.cols);
        QCOMPARE(y.preview, x.preview);
        QCOMPARE(y.min, x.min);
        QCOMPARE(y.max, x.max);
        QCOMPARE(y.mean, x.mean);
        QCOMPARE(y.std, x.std);
        QCOMPARE(y.rowStride, x.rowStride);
    }
    QCOMPARE(back->prediction.name, std::string("prediction"));
    QCOMPARE(back->prediction.shape, (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(back->parameters.size(), std::size_t(3));
    QCOMPARE(back->parameters[1].name, std::string("encoder.layers.0.q.bias"));
    QCOMPARE(back->parameters[1].shape, (std::vector<std::int64_t>{4}));
    QCOMPARE(back->parameters[2].shape, (std::vector<std::int64_t>{2, 3, 5}));
    QCOMPARE(back->parameters[2].count, std::int64_t(30));
    QCOMPARE(back->totalParameters, std::int64_t(50));
    QCOMPARE(back->buffers.size(), std::size_t(2));
    QCOMPARE(back->buffers[0].name, std::string("encoder.position.pe"));
    QCOMPARE(back->buffers[0].shape, (std::vector<std::int64_t>{5000, 4}));
    QCOMPARE(back->buffers[1].shape, (std::vector<std::int64_t>{3, 8}));
    QCOMPARE(back->buffers[1].count, std::int64_t(24));
    QCOMPARE(back->totalBuffers, std::int64_t(20024));

    // The layout promised to h5py users.
    Expected<Hdf5Reader> r = Hdf5Reader::open(path);
    QVERIFY(r);
    QVERIFY(r->hasDataset(QStringLiteral("/stages/000_input/preview")));
    QVERIFY(r->hasDataset(QStringLiteral("/stages/001_attention_layer_0/preview")));
    QCOMPARE(*r->datasetDims(QStringLiteral("/stages/000_input/preview")),
             (std::vector<std::int64_t>{8, 3}));
    QCOMPARE(*r->numberAttribute(QStringLiteral("/stages/000_input"), QStringLiteral("max")), 19.0);
    QCOMPARE(*r->datasetDims(QStringLiteral("/parameters/shapes")),
             (std::vector<std::int64_t>{3, 3}));
    // Nothing but the file is left in the folder (atomic write).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("trace.h5")});
}

void tst_ForwardTrace::writeRejectsBadTraces()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.h5"));
    ForwardTrace empty;
    Status s = writeForwardFile(path, empty);
    QVERIFY(!s);
    QCOMPARE(s.error().toString(), path + QStringLiteral(": a forward-pass file needs at least "
                                                         "one stage"));
    ForwardTrace slash = sampleTrace();
    slash.stages[0].name = "a/b";
    s = writeForwardFile(path, slash);
    QVERIFY(!s);
    QCOMPARE(s.error().reason, QStringLiteral("the stage name \"a/b\" is empty or has a '/'"));
    ForwardTrace shortPreview = sampleTrace();
    shortPreview.stages[1].preview.pop_back();
    s = writeForwardFile(path, shortPreview);
    QVERIFY(!s);
    QCOMPARE(s.error().reason,
             QStringLiteral("stage attention_layer_0 has a preview of 15 values for 4 x 4"));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList());
}

void tst_ForwardTrace::brokenFiles()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.h5"));
    Expected<ForwardTrace> r = readForwardFile(missing);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(), missing + QStringLiteral(": no such file"));

    const QString text = dir.filePath(QStringLiteral("text.h5"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not hdf5 at all\n");
    f.close();
    r = readForwardFile(text);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             text + QStringLiteral(": not an HDF5 file, so not a forward-pass file"));

    // An HDF5 file of another kind.
    const QString other = dir.filePath(QStringLiteral("other.h5"));
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(other);
        QVERIFY(w);
        const float x = 1.0f;
        QVERIFY(w->writeFloats(QStringLiteral("/x"), &x, {1}));
        QVERIFY(w->commit());
    }
    r = readForwardFile(other);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             other + QStringLiteral(": not a forward-pass file (no @format \"twb-forward\")"));

    // A forward file whose stage list names a stage that is not there.
    const QString cut = dir.filePath(QStringLiteral("cut.h5"));
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(cut);
        QVERIFY(w);
        const float x = 1.0f;
        const std::int64_t shape = 1;
        QVERIFY(w->writeFloats(QStringLiteral("/stages/000_input/preview"), &x, {1, 1}));
        QVERIFY(w->writeInt64s(QStringLiteral("/stages/000_input/shape"), &shape, {1}));
        const QString group = QStringLiteral("/stages/000_input");
        QVERIFY(w->setAttribute(group, QStringLiteral("name"), QStringLiteral("input")));
        for (const char *key : {"min", "max", "mean", "std"})
            QVERIFY(w->setAttribute(group, QLatin1String(key), 1.0));
        QVERIFY(w->setAttribute(QStringLiteral("/stages"), QStringLiteral("names"),
                                QStringList{QStringLiteral("input"), QStringLiteral("revin")}));
        QVERIFY(w->setAttribute(QStringLiteral("/"), QStringLiteral("format"),
                                QStringLiteral("twb-forward")));
        QVERIFY(w->commit());
    }
    r = readForwardFile(cut);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(), cut + QStringLiteral(": stage 1 (revin) is missing"));
}

void tst_ForwardTrace::shapeTextFormats()
{
    QCOMPARE(shapeText({1, 7, 42, 16}), QStringLiteral("[1, 7, 42, 16]"));
    QCOMPARE(shapeText({5}), QStringLiteral("[5]"));
}

QTEST_GUILESS_MAIN(tst_ForwardTrace)
#include "tst_forwardtrace.moc"
