// The attention HDF5 file: written, read back equal, readable as plain HDF5, and clear errors
// for files that are not attention files.

#include "attention/AttentionFile.h"
#include "data/Hdf5File.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;
using namespace twb::explain;

namespace {

/// Two layers of [2 heads, 3 tokens, 3 tokens] with distinct values, three kinds of tokens.
AttentionSet sampleSet()
{
    AttentionSet set;
    set.modelId = "patchtst";
    set.runDir = "/runs/etth1";
    set.sampleLabel = "test window 12 (2017-10-20 08:00)";
    set.sampleIndex = 12;
    set.channel = 6;
    set.channelNames = {"HUFL", "OT"};
    for (int l = 0; l < 2; ++l) {
        AttentionLayer layer{2, 3, 3, {}};
        for (int i = 0; i < 18; ++i)
            layer.weights.push_back(float(l * 18 + i) / 64.0f);
        set.layers.push_back(layer);
    }
    TokenInfo range{TokenInfo::Kind::TimeRange, "patch 0: t[0,16)", 0, 16, -1, 0, 0};
    TokenInfo variate{TokenInfo::Kind::Variate, "OT", 0, 336, 1, 0, 0};
    TokenInfo tile{TokenInfo::Kind::Tile, "frames [10,26) x mel [0,16)", 10, 26, -1, 0, 16};
    set.tokens = {range, variate, tile};
    set.input = {0.25f, -1.5f, 3.0f, 0.0f, 1e-3f, -7.0f, 2.5f, 4.0f};
    set.inputRows = 4;
    set.inputCols = 2;
    return set;
}

bool sameToken(const TokenInfo &a, const TokenInfo &b)
{
    return a.kind == b.kind && a.label == b.label && a.begin == b.begin && a.end == b.end &&
           a.channel == b.channel && a.freqBegin == b.freqBegin && a.freqEnd == b.freqEnd;
}

} // namespace

class tst_AttentionFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void layoutIsPlainHdf5();
    void saliencyRoundTrip();
    void writeRefusesMismatchedShapes();
    void notHdf5();
    void hdf5ButNotAttention();
    void tokensCountDiffers();
    void layerShapeMismatch();
    void unknownTokenKind();
    void failedWriteKeepsOldFile();

private:
    QTemporaryDir m_tmp;
};

void tst_AttentionFile::roundTrip()
{
    const QString path = m_tmp.filePath(QStringLiteral("attn.h5"));
    const AttentionSet set = sampleSet();
    const Status written = writeAttentionFile(path, set);
    QVERIFY2(written, written ? "" : qPrintable(written.error().toString()));
    Expected<AttentionSet> back = readAttentionFile(path);
    QVERIFY2(back, back ? "" : qPrintable(back.error().toString()));
    QCOMPARE(back->modelId, set.modelId);
    QCOMPARE(back->runDir, set.runDir);
    QCOMPARE(back->sampleLabel, set.sampleLabel);
    QCOMPARE(back->sampleIndex, set.sampleIndex);
    QCOMPARE(back->channel, set.channel);
    QCOMPARE(back->channelNames, set.channelNames);
    QCOMPARE(back->layerCount(), 2);
    for (int l = 0; l < 2; ++l) {
        const AttentionLayer &a = back->layers[std::size_t(l)];
        QCOMPARE(a.heads, 2);
        QCOMPARE(a.queries, 3);
        QCOMPARE(a.keys, 3);
        QCOMPARE(a.weights, set.layers[std::size_t(l)].weights); // float32 stored exactly
    }
    QCOMPARE(back->input, set.input);
    QCOMPARE(back->inputRows, 4);
    QCOMPARE(back->inputCols, 2);
    QCOMPARE(back->tokenCount(), 3);
    for (int i = 0; i < 3; ++i)
        QVERIFY(sameToken(back->tokens[std::size_t(i)], set.tokens[std::size_t(i)]));
    // No saliency written: an empty one.
    Expected<AttentionSaliency> saliency = readAttentionSaliency(path);
    QVERIFY(saliency);
    QVERIFY(saliency->isEmpty());
}

void tst_AttentionFile::layoutIsPlainHdf5()
{
    const QString path = m_tmp.filePath(QStringLiteral("layout.h5"));
    QVERIFY(writeAttentionFile(path, sampleSet()));
    Expected<Hdf5Reader> r = Hdf5Reader::open(path);
    QVERIFY(r);
    QCOMPARE(r->datasetPaths(),
             QStringList({"/attention/layer_0", "/attention/layer_1", "/channel_names", "/input",
                          "/tokens/begin", "/tokens/channel", "/tokens/end", "/tokens/freq_begin",
                          "/tokens/freq_end", "/tokens/kind", "/tokens/label"}));
    QCOMPARE(*r->datasetDims(QStringLiteral("/attention/layer_1")),
             (std::vector<std::int64_t>{2, 3, 3}));
    QCOMPARE(*r->datasetDims(QStringLiteral("/input")), (std::vector<std::int64_t>{4, 2}));
    QCOMPARE(*r->readStrings(QStringLiteral("/tokens/kind")),
             QStringList({"time_range", "variate", "tile"}));
    QCOMPARE(*r->stringAttribute(QStringLiteral("/attention"), QStringLiteral("model")),
             QStringLiteral("patchtst"));
    QCOMPARE(*r->numberAttribute(QStringLiteral("/attention"), QStringLiteral("channel")), 6.0);
    QCOMPARE(r->readArray(QStringLiteral("/tokens/freq_end"))->values,
             (std::vector<double>{0, 0, 16}));
    // Entry [1, 2, 0] of layer 1 = value 18 + (1*3 + 2)*3 + 0 = 33 -> 33/64.
    const Expected<Hdf5FloatArray> layer = r->readFloatArray(QStringLiteral("/attention/layer_1"));
    QCOMPARE(layer->values[std::size_t((1 * 3 + 2) * 3)], 33.0f / 64.0f);
}

void tst_AttentionFile::saliencyRoundTrip()
{
    const QString path = m_tmp.filePath(QStringLiteral("saliency.h5"));
    const std::vector<float> values{0.5f, -1.0f, 2.0f, 0.0f, 3.25f, -0.125f};
    QVERIFY(writeAttentionFile(path, sampleSet(), &values, 3, 2,
                               QStringLiteral("sum of the forecast of OT")));
    Expected<AttentionSaliency> s = readAttentionSaliency(path);
    QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
    QCOMPARE(s->rows, 3);
    QCOMPARE(s->cols, 2);
    QCOMPARE(s->values, values);
    QCOMPARE(s->target, std::string("sum of the forecast of OT"));
    QVERIFY(readAttentionFile(path)); // the attention part is unaffected
}

void tst_AttentionFile::writeRefusesMismatchedShapes()
{
    const QString path = m_tmp.filePath(QStringLiteral("refused.h5"));
    AttentionSet set = sampleSet();
    set.tokens.pop_back(); // 2 tokens for 3 queries
    Status s = writeAttentionFile(path, set);
    QVERIFY(!s);
    QCOMPARE(s.error().file, path);
    QVERIFY2(s.error().reason.contains(QStringLiteral("layer 0 is [2, 3, 3] but there are 2 "
                                                      "tokens")),
             qPrintable(s.error().reason));
    QVERIFY(!QFile::exists(path));

    const std::vector<float> tooShort(5, 0.0f);
    s = writeAttentionFile(path, sampleSet(), &tooShort, 3, 2);
    QVERIFY(!s);
    QVERIFY(s.error().reason.contains(QStringLiteral("5 values, not 3 x 2")));

    AttentionSet badInput = sampleSet();
    badInput.inputRows = 3;
    s = writeAttentionFile(path, badInput);
    QVERIFY(!s);
    QVERIFY(s.error().reason.contains(QStringLiteral("the input has 8 values, not 3 x 2")));

    AttentionSet empty = sampleSet();
    empty.layers.clear();
    s = writeAttentionFile(path, empty);
    QVERIFY(!s);
    QVERIFY(s.error().reason.contains(QStringLiteral("at least one layer")));
    QVERIFY(!QFile::exists(path));
}

void tst_AttentionFile::notHdf5()
{
    const QString path = m_tmp.filePath(QStringLiteral("text.h5"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("date,a\n2020-01-01,1\n");
    f.close();
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().file, path);
    QVERIFY2(r.error().reason.contains(QStringLiteral("HDF5")), qPrintable(r.error().reason));

    Expected<AttentionSet> missing = readAttentionFile(m_tmp.filePath(QStringLiteral("no.h5")));
    QVERIFY(!missing);
    QVERIFY(missing.error().toString().contains(QStringLiteral("no.h5")));
}

void tst_AttentionFile::hdf5ButNotAttention()
{
    const QString path = m_tmp.filePath(QStringLiteral("series.h5"));
    Expected<Hdf5Writer> w = Hdf5Writer::create(path);
    QVERIFY(w);
    const float values[] = {1, 2, 3};
    QVERIFY(w->writeFloats(QStringLiteral("/values"), values, {3}));
    QVERIFY(w->commit());
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             path + QStringLiteral(": not an attention file (no /attention/layer_0)"));
}

void tst_AttentionFile::tokensCountDiffers()
{
    // A file made by hand: a [1, 2, 2] layer but three token labels.
    const QString path = m_tmp.filePath(QStringLiteral("tokens.h5"));
    Expected<Hdf5Writer> w = Hdf5Writer::create(path);
    QVERIFY(w);
    const float layer[] = {1, 0, 0, 1};
    QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer, {1, 2, 2}));
    QVERIFY(w->writeStrings(QStringLiteral("/tokens/label"), {"a", "b", "c"}));
    QVERIFY(w->writeStrings(QStringLiteral("/tokens/kind"), {"special", "special", "special"}));
    QVERIFY(w->commit());
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(), path + QStringLiteral(": 3 tokens for 2 queries"));
}

void tst_AttentionFile::layerShapeMismatch()
{
    const QString path = m_tmp.filePath(QStringLiteral("shape.h5"));
    Expected<Hdf5Writer> w = Hdf5Writer::create(path);
    QVERIFY(w);
    const float layer0[] = {1, 0, 0, 1};
    const float layer1[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer0, {1, 2, 2}));
    QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_1"), layer1, {1, 3, 3}));
    QVERIFY(w->commit());
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             path + QStringLiteral(": /attention/layer_1 has 3 tokens, layer_0 has 2"));

    const QString flat = m_tmp.filePath(QStringLiteral("flat.h5"));
    Expected<Hdf5Writer> w2 = Hdf5Writer::create(flat);
    QVERIFY(w2);
    QVERIFY(w2->writeFloats(QStringLiteral("/attention/layer_0"), layer0, {2, 2}));
    QVERIFY(w2->commit());
    r = readAttentionFile(flat);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             flat + QStringLiteral(": /attention/layer_0 is not [heads, tokens, tokens]"));
}

void tst_AttentionFile::unknownTokenKind()
{
    const QString path = m_tmp.filePath(QStringLiteral("kind.h5"));
    Expected<Hdf5Writer> w = Hdf5Writer::create(path);
    QVERIFY(w);
    const float layer[] = {1, 0, 0, 1};
    QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer, {1, 2, 2}));
    QVERIFY(w->writeStrings(QStringLiteral("/tokens/label"), {"a", "b"}));
    QVERIFY(w->writeStrings(QStringLiteral("/tokens/kind"), {"tile", "pixel"}));
    QVERIFY(w->commit());
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             path + QStringLiteral(": token 1 has the unknown kind \"pixel\""));
}

void tst_AttentionFile::failedWriteKeepsOldFile()
{
    const QString path = m_tmp.filePath(QStringLiteral("keep.h5"));
    QVERIFY(writeAttentionFile(path, sampleSet()));
    AttentionSet bad = sampleSet();
    bad.layers[1].weights.pop_back();
    QVERIFY(!writeAttentionFile(path, bad));
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(r);
    QCOMPARE(r->layerCount(), 2);
    QCOMPARE(QDir(m_tmp.path()).entryList({"keep.h5*"}, QDir::Files), QStringList{"keep.h5"});
}

QTEST_GUILESS_MAIN(tst_AttentionFile)
#include "tst_attentionfile.moc"
