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

bool sameTokens(const std::vector<TokenInfo> &a, const std::vector<TokenInfo> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!sameToken(a[i], b[i]))
            return false;
    return true;
}

/// `count` TimeRange tokens of `width` steps each, labelled "<prefix> i".
std::vector<TokenInfo> rangeTokens(int count, int width, const std::string &prefix)
{
    std::vector<TokenInfo> tokens;
    for (int i = 0; i < count; ++i)
        tokens.push_back({TokenInfo::Kind::TimeRange, prefix + " " + std::to_string(i), i * width,
                          (i + 1) * width, -1, 0, 0});
    return tokens;
}

/// A layer of `heads` x `queries` x `keys` with distinct values from `seed`.
AttentionLayer numberedLayer(int heads, int queries, int keys, int seed)
{
    AttentionLayer layer{heads, queries, keys, {}};
    for (int i = 0; i < heads * queries * keys; ++i)
        layer.weights.push_back(float(seed * 100 + i) / 1024.0f);
    return layer;
}

/// An Informer-like set: 4 input steps; encoder layer 0 over them, encoder layer 1 over the 2
/// distilled tokens, and one cross-attention map [3 decoder tokens, 2 keys of layer 1].
AttentionSet distilledCrossSet()
{
    AttentionSet set;
    set.modelId = "informer";
    set.sampleLabel = "test window 3";
    set.tokens = rangeTokens(4, 1, "t");
    for (TokenInfo &t : set.tokens)
        t.kind = TokenInfo::Kind::TimeStep;
    AttentionLayer first = numberedLayer(2, 4, 4, 0);
    first.name = "encoder layer 0";
    AttentionLayer distilled = numberedLayer(2, 2, 2, 1);
    distilled.name = "encoder layer 1";
    distilled.queryTokens = rangeTokens(2, 2, "steps");
    distilled.keyTokens = distilled.queryTokens;
    AttentionLayer cross = numberedLayer(2, 3, 2, 2);
    cross.name = "decoder layer 0 cross-attention";
    cross.kind = AttentionLayer::Kind::CrossAttention;
    cross.queryTokens = rangeTokens(3, 1, "decoder step t+");
    for (TokenInfo &t : cross.queryTokens) {
        t.kind = TokenInfo::Kind::TimeStep;
        t.begin += 2; // label_len 2: the decoder starts 2 steps before the horizon
        t.end += 2;
    }
    cross.keyTokens = distilled.keyTokens;
    set.layers = {first, distilled, cross};
    set.input = {1, 2, 3, 4};
    set.inputRows = 4;
    set.inputCols = 1;
    return set;
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
    void distilledAndCrossLayersRoundTrip();
    void oldLayoutStillReads();
    void layerTokenCountDisagreesWithMap();
    void badTokenListReferences();
    void soundInputKeepsItsSampleRate();
    void writeRefusesLayerTokensOfAnotherSize();

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

void tst_AttentionFile::distilledAndCrossLayersRoundTrip()
{
    const QString path = m_tmp.filePath(QStringLiteral("informer.h5"));
    const AttentionSet set = distilledCrossSet();
    const Status written = writeAttentionFile(path, set);
    QVERIFY2(written, written ? "" : qPrintable(written.error().toString()));
    Expected<AttentionSet> back = readAttentionFile(path);
    QVERIFY2(back, back ? "" : qPrintable(back.error().toString()));
    QCOMPARE(back->layerCount(), 3);
    QCOMPARE(back->tokenCount(), 4);
    QVERIFY(sameTokens(back->tokens, set.tokens));
    for (int l = 0; l < 3; ++l) {
        const AttentionLayer &a = back->layers[std::size_t(l)];
        const AttentionLayer &b = set.layers[std::size_t(l)];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.kind, b.kind);
        QCOMPARE(a.heads, b.heads);
        QCOMPARE(a.queries, b.queries);
        QCOMPARE(a.keys, b.keys);
        QCOMPARE(a.weights, b.weights);
        QVERIFY(sameTokens(a.queryTokens, b.queryTokens));
        QVERIFY(sameTokens(a.keyTokens, b.keyTokens));
    }
    // Layer 0 is over the input tokens, the others over their own.
    QVERIFY(back->layers[0].usesSetTokens());
    QCOMPARE(back->inputTokenChain(), 1);
    QCOMPARE(back->queryTokens(2).size(), std::size_t(3));
    QCOMPARE(back->queryTokens(2)[1].label, std::string("decoder step t+ 1"));
    QCOMPARE(back->queryTokens(2)[1].begin, std::int64_t(3));
    QCOMPARE(back->keyTokens(2)[0].label, std::string("steps 0"));
    QCOMPARE(back->layerName(2), std::string("decoder layer 0 cross-attention"));

    // Each distinct list once: the distilled tokens (layer 1's queries and keys, the cross
    // map's keys) and the decoder's.
    Expected<Hdf5Reader> r = Hdf5Reader::open(path);
    QVERIFY(r);
    const QStringList datasets = r->datasetPaths();
    QVERIFY(datasets.contains(QStringLiteral("/layer_tokens/list_0/label")));
    QVERIFY(datasets.contains(QStringLiteral("/layer_tokens/list_1/freq_end")));
    QVERIFY(!datasets.contains(QStringLiteral("/layer_tokens/list_2/label")));
    const QString cross = QStringLiteral("/attention/layer_2");
    QCOMPARE(*r->numberAttribute(cross, QStringLiteral("query_tokens")), 1.0);
    QCOMPARE(*r->numberAttribute(cross, QStringLiteral("key_tokens")), 0.0);
    QCOMPARE(*r->stringAttribute(cross, QStringLiteral("kind")), QStringLiteral("cross_attention"));
    QVERIFY(!r->hasAttribute(QStringLiteral("/attention/layer_0"), QStringLiteral("key_tokens")));
    QCOMPARE(*r->datasetDims(cross), (std::vector<std::int64_t>{2, 3, 2}));
}

void tst_AttentionFile::oldLayoutStillReads()
{
    // What writeAttentionFile wrote before layers had names and tokens of their own: no layer
    // attributes, no /layer_tokens.
    const QString path = m_tmp.filePath(QStringLiteral("old.h5"));
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(path);
        QVERIFY(w);
        const float layer0[] = {0.75f, 0.25f, 0.5f, 0.5f};
        const float layer1[] = {1, 0, 0, 1};
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer0, {1, 2, 2}));
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_1"), layer1, {1, 2, 2}));
        QVERIFY(w->setAttribute(QStringLiteral("/attention"), QStringLiteral("model"),
                                QStringLiteral("patchtst")));
        QVERIFY(w->writeStrings(QStringLiteral("/tokens/label"), {"patch 0", "patch 1"}));
        QVERIFY(w->writeStrings(QStringLiteral("/tokens/kind"), {"time_range", "time_range"}));
        const std::int64_t begin[] = {0, 8}, end[] = {16, 24}, channel[] = {-1, -1},
                           zero[] = {0, 0};
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/begin"), begin, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/end"), end, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/channel"), channel, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/freq_begin"), zero, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/freq_end"), zero, {2}));
        QVERIFY(w->commit());
    }
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(r->modelId, std::string("patchtst"));
    QCOMPARE(r->layerCount(), 2);
    QCOMPARE(r->tokenCount(), 2);
    QCOMPARE(r->tokens[1].end, std::int64_t(24));
    for (int l = 0; l < 2; ++l) {
        const AttentionLayer &layer = r->layers[std::size_t(l)];
        QVERIFY(layer.name.empty());
        QCOMPARE(layer.kind, AttentionLayer::Kind::SelfAttention);
        QVERIFY(layer.usesSetTokens());
        QCOMPARE(r->layerName(l), "layer " + std::to_string(l));
        QCOMPARE(r->queryTokens(l).size(), std::size_t(2));
    }
    QCOMPARE(r->layers[0].at(0, 0, 1), 0.25f);
    QCOMPARE(r->inputTokenChain(), 2);
}

void tst_AttentionFile::layerTokenCountDisagreesWithMap()
{
    // Layer 1 is [1, 2, 3] and says its keys are list 0, which has 2 tokens.
    const QString path = m_tmp.filePath(QStringLiteral("listsize.h5"));
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(path);
        QVERIFY(w);
        const float layer0[] = {1, 0, 0, 1};
        const float layer1[] = {0.5f, 0.25f, 0.25f, 0.5f, 0.25f, 0.25f};
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer0, {1, 2, 2}));
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_1"), layer1, {1, 2, 3}));
        QVERIFY(w->setAttribute(QStringLiteral("/attention/layer_1"), QStringLiteral("key_tokens"),
                                std::int64_t(0)));
        for (const QString &group :
             {QStringLiteral("/tokens"), QStringLiteral("/layer_tokens/list_0")}) {
            QVERIFY(w->writeStrings(group + QStringLiteral("/label"), {"a", "b"}));
            QVERIFY(w->writeStrings(group + QStringLiteral("/kind"), {"time_step", "time_step"}));
            const std::int64_t numbers[] = {0, 1};
            for (const char *name : {"begin", "end", "channel", "freq_begin", "freq_end"})
                QVERIFY(
                    w->writeInt64s(group + QLatin1Char('/') + QLatin1String(name), numbers, {2}));
        }
        QVERIFY(w->commit());
    }
    Expected<AttentionSet> r = readAttentionFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             path + QStringLiteral(": /attention/layer_1 has 3 keys but its key tokens "
                                   "(/layer_tokens/list_0) are 2"));

    // The same layer without its own key tokens: [1, 2, 3] over /tokens is no square map.
    const QString plain = m_tmp.filePath(QStringLiteral("nonsquare.h5"));
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(plain);
        QVERIFY(w);
        const float layer1[] = {0.5f, 0.25f, 0.25f, 0.5f, 0.25f, 0.25f};
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer1, {1, 2, 3}));
        QVERIFY(w->commit());
    }
    r = readAttentionFile(plain);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             plain + QStringLiteral(": /attention/layer_0 is not [heads, tokens, tokens]"));
}

void tst_AttentionFile::badTokenListReferences()
{
    const QString written = m_tmp.filePath(QStringLiteral("lists.h5"));
    QVERIFY(writeAttentionFile(written, distilledCrossSet()));
    // Rewrites the file with one attribute of layer 2 changed (the others as written).
    const auto withAttribute = [&](const QString &name, const QString &attribute,
                                   std::int64_t value) -> QString {
        const QString path = m_tmp.filePath(name);
        Expected<AttentionSet> set = readAttentionFile(written);
        if (!set || !writeAttentionFile(path, *set))
            return {};
        Expected<Hdf5Writer> w = Hdf5Writer::create(path + QStringLiteral(".tmp"));
        Expected<Hdf5Reader> r = Hdf5Reader::open(path);
        if (!w || !r)
            return {};
        // Copy every dataset and the attributes that matter, then set the bad one.
        for (const QString &dataset : r->datasetPaths()) {
            if (Expected<QStringList> strings = r->readStrings(dataset)) {
                (void)w->writeStrings(dataset, *strings);
            } else if (dataset.startsWith(QStringLiteral("/attention")) ||
                       dataset == QStringLiteral("/input")) {
                Expected<Hdf5FloatArray> a = r->readFloatArray(dataset);
                (void)w->writeFloats(dataset, a->values.data(), a->dims);
            } else {
                Expected<Hdf5Array> a = r->readArray(dataset);
                std::vector<std::int64_t> ints(a->values.begin(), a->values.end());
                (void)w->writeInt64s(dataset, ints.data(), a->dims);
            }
        }
        for (int l = 0; l < 3; ++l)
            for (const char *key : {"query_tokens", "key_tokens"}) {
                const QString layer = QStringLiteral("/attention/layer_%1").arg(l);
                if (Expected<double> v = r->numberAttribute(layer, QLatin1String(key)))
                    (void)w->setAttribute(layer, QLatin1String(key), std::int64_t(*v));
            }
        (void)w->setAttribute(QStringLiteral("/attention/layer_2"), attribute, value);
        if (!w->commit())
            return {};
        return path + QStringLiteral(".tmp");
    };

    const QString outOfRange =
        withAttribute(QStringLiteral("range.h5"), QStringLiteral("query_tokens"), 6);
    QVERIFY(!outOfRange.isEmpty());
    Expected<AttentionSet> r = readAttentionFile(outOfRange);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             outOfRange + QStringLiteral(": /attention/layer_2 @query_tokens is not a token "
                                         "list number in [0, 6)"));

    const QString missing =
        withAttribute(QStringLiteral("missing.h5"), QStringLiteral("key_tokens"), 4);
    QVERIFY(!missing.isEmpty());
    r = readAttentionFile(missing);
    QVERIFY(!r);
    QCOMPARE(r.error().toString(), missing + QStringLiteral(": /layer_tokens/list_4 is missing"));

    const QString negative =
        withAttribute(QStringLiteral("negative.h5"), QStringLiteral("key_tokens"), -1);
    QVERIFY(!negative.isEmpty());
    r = readAttentionFile(negative);
    QVERIFY(!r);
    QVERIFY2(r.error().reason.contains(QStringLiteral("@key_tokens is not a token list number")),
             qPrintable(r.error().reason));

    // The untouched copy reads: the copying above is not what fails.
    const QString same = withAttribute(QStringLiteral("same.h5"), QStringLiteral("key_tokens"), 0);
    QVERIFY(!same.isEmpty());
    r = readAttentionFile(same);
    QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(r->layers[2].keys, 2);
}

void tst_AttentionFile::writeRefusesLayerTokensOfAnotherSize()
{
    const QString path = m_tmp.filePath(QStringLiteral("refusedlists.h5"));
    AttentionSet set = distilledCrossSet();
    set.layers[2].queryTokens.pop_back(); // 2 decoder tokens for 3 queries
    const Status s = writeAttentionFile(path, set);
    QVERIFY(!s);
    QCOMPARE(s.error().file, path);
    QCOMPARE(s.error().reason,
             QStringLiteral("layer 2 (decoder layer 0 cross-attention) is [2, 3, 2] but has 2 "
                            "query and 2 key tokens"));
    QVERIFY(!QFile::exists(path));
}

void tst_AttentionFile::soundInputKeepsItsSampleRate()
{
    // A separation run's mixture [samples, 1] carries its rate; other inputs read back 0.
    const QString path = m_tmp.filePath(QStringLiteral("mixture.h5"));
    AttentionSet set = distilledCrossSet();
    set.inputSampleRate = 8000.0;
    Status written = writeAttentionFile(path, set);
    QVERIFY2(written, written ? "" : qPrintable(written.error().toString()));
    Expected<AttentionSet> back = readAttentionFile(path);
    QVERIFY2(back, back ? "" : qPrintable(back.error().toString()));
    QCOMPARE(back->inputSampleRate, 8000.0);

    const QString plain = m_tmp.filePath(QStringLiteral("series.h5"));
    written = writeAttentionFile(plain, sampleSet());
    QVERIFY(written);
    back = readAttentionFile(plain);
    QVERIFY(back);
    QCOMPARE(back->inputSampleRate, 0.0);

    // A rate that is not a positive number is named, with the file.
    {
        Expected<Hdf5Writer> w = Hdf5Writer::create(path);
        QVERIFY(w);
        const float layer[] = {1, 0, 0, 1};
        QVERIFY(w->writeFloats(QStringLiteral("/attention/layer_0"), layer, {1, 2, 2}));
        QVERIFY(w->writeStrings(QStringLiteral("/tokens/label"), {"a", "b"}));
        QVERIFY(w->writeStrings(QStringLiteral("/tokens/kind"), {"time_range", "time_range"}));
        const std::int64_t zero[] = {0, 0}, two[] = {2, 4}, none[] = {-1, -1};
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/begin"), zero, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/end"), two, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/channel"), none, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/freq_begin"), zero, {2}));
        QVERIFY(w->writeInt64s(QStringLiteral("/tokens/freq_end"), zero, {2}));
        const float input[] = {0.5f, -0.5f, 0.25f, 0.0f};
        QVERIFY(w->writeFloats(QStringLiteral("/input"), input, {4, 1}));
        QVERIFY(w->setAttribute(QStringLiteral("/input"), QStringLiteral("sample_rate"), -1.0));
        QVERIFY(w->commit());
    }
    back = readAttentionFile(path);
    QVERIFY(!back);
    QVERIFY2(back.error().reason.contains(QStringLiteral("sample_rate")),
             qPrintable(back.error().toString()));
    QCOMPARE(back.error().file, path);
}

QTEST_GUILESS_MAIN(tst_AttentionFile)
#include "tst_attentionfile.moc"
