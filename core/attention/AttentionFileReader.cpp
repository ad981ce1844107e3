// Reading the attention HDF5 file (readAttentionFile, readAttentionSaliency): one function per
// part of the layout in AttentionFile.h, each checking what it reads.

#include "AttentionFile.h"
#include "AttentionFileLayout.h"

#include "common/WholeNumber.h"
#include "data/Hdf5File.h"

#include <QFileInfo>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace twb::explain {

namespace {

using layout::layerPath;

Error fileError(const QString &path, const QString &reason)
{
    return Error{reason, path, 0};
}

/// The HDF5 file at `path`, open, if it is an attention file (it has /attention/layer_0).
Expected<Hdf5Reader> openAttentionFile(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return fileError(path, QStringLiteral("no such file"));
    if (!isHdf5File(path))
        return fileError(path, QStringLiteral("not an HDF5 file, so not an attention file"));
    Expected<Hdf5Reader> opened = Hdf5Reader::open(path);
    if (!opened)
        return opened.error();
    if (!opened->hasDataset(layerPath(0)))
        return fileError(path, QStringLiteral("not an attention file (no /attention/layer_0)"));
    return opened;
}

/// Which token lists a layer refers to (-1: /tokens), as its attributes say.
struct LayerTokenRefs
{
    int queries = -1;
    int keys = -1;
};

/// The optional attributes of layer `i` (@name, @kind, @query_tokens, @key_tokens) into
/// `layer` and `refs`. A list index must be a whole number below 2 * (i + 1): the writer numbers
/// the lists in the order the layers first use them, two at most per layer.
Status readLayerAttributes(const Hdf5Reader &r, int i, AttentionLayer &layer, LayerTokenRefs &refs)
{
    const QString path = layerPath(i);
    if (r.hasAttribute(path, QLatin1String(layout::layerName))) {
        Expected<QString> name = r.stringAttribute(path, QLatin1String(layout::layerName));
        if (!name)
            return fileError(r.path(), QStringLiteral("%1 @%2 is not a string")
                                           .arg(path, QLatin1String(layout::layerName)));
        if (name->size() > layout::maxLayerNameLength)
            return fileError(r.path(), QStringLiteral("%1 @%2 is longer than %3 characters")
                                           .arg(path, QLatin1String(layout::layerName))
                                           .arg(layout::maxLayerNameLength));
        layer.name = name->toStdString();
    }
    if (r.hasAttribute(path, QLatin1String(layout::layerKind))) {
        Expected<QString> kind = r.stringAttribute(path, QLatin1String(layout::layerKind));
        if (kind && *kind == QLatin1String(layout::selfAttention))
            layer.kind = AttentionLayer::Kind::SelfAttention;
        else if (kind && *kind == QLatin1String(layout::crossAttention))
            layer.kind = AttentionLayer::Kind::CrossAttention;
        else
            return fileError(r.path(), QStringLiteral("%1 @%2 is not %3 or %4")
                                           .arg(path, QLatin1String(layout::layerKind),
                                                QLatin1String(layout::selfAttention),
                                                QLatin1String(layout::crossAttention)));
    }
    const auto listIndex = [&](const char *name, int *index) -> Status {
        if (!r.hasAttribute(path, QLatin1String(name)))
            return {};
        Expected<double> value = r.numberAttribute(path, QLatin1String(name));
        const std::optional<std::int64_t> j =
            value ? wholeNumber(*value) : std::optional<std::int64_t>();
        const std::int64_t bound = 2 * (std::int64_t(i) + 1);
        if (!j || *j < 0 || *j >= bound)
            return fileError(r.path(),
                             QStringLiteral("%1 @%2 is not a token list number in [0, %3)")
                                 .arg(path, QLatin1String(name))
                                 .arg(bound));
        *index = int(*j);
        return {};
    };
    if (Status s = listIndex(layout::layerQueryTokens, &refs.queries); !s)
        return s;
    return listIndex(layout::layerKeyTokens, &refs.keys);
}

/// /attention/layer_0, layer_1, ... into set.layers with their attributes. A layer over
/// /tokens (no token lists of its own) must be [heads, n, n] with the n of the first such layer;
/// the others [heads, queries, keys] (checked against their lists in readLayerTokens).
Status readLayers(const Hdf5Reader &r, AttentionSet &set, std::vector<LayerTokenRefs> &refs)
{
    int firstOverTokens = -1;
    for (int i = 0; r.hasDataset(layerPath(i)); ++i) {
        Expected<Hdf5FloatArray> array = r.readFloatArray(layerPath(i));
        if (!array)
            return array.error();
        AttentionLayer layer;
        LayerTokenRefs ref;
        if (Status s = readLayerAttributes(r, i, layer, ref); !s)
            return s;
        const bool overTokens = ref.queries < 0 && ref.keys < 0;
        const std::vector<std::int64_t> &d = array->dims;
        if (d.size() != 3 || d[0] < 1 || d[1] < 1 || d[2] < 1 || (overTokens && d[1] != d[2]))
            return fileError(r.path(), overTokens ? QStringLiteral("%1 is not [heads, tokens, "
                                                                   "tokens]")
                                                        .arg(layerPath(i))
                                                  : QStringLiteral("%1 is not [heads, queries, "
                                                                   "keys]")
                                                        .arg(layerPath(i)));
        if (overTokens && firstOverTokens >= 0 &&
            d[1] != set.layers[std::size_t(firstOverTokens)].queries)
            return fileError(r.path(), QStringLiteral("%1 has %2 tokens, layer_%3 has %4")
                                           .arg(layerPath(i))
                                           .arg(d[1])
                                           .arg(firstOverTokens)
                                           .arg(set.layers[std::size_t(firstOverTokens)].queries));
        if (overTokens && firstOverTokens < 0)
            firstOverTokens = i;
        layer.heads = int(d[0]);
        layer.queries = int(d[1]);
        layer.keys = int(d[2]);
        layer.weights = std::move(array->values);
        set.layers.push_back(std::move(layer));
        refs.push_back(ref);
    }
    return {};
}

/// The attributes of /attention; a missing one leaves a string empty, the sample index 0 and
/// the channel -1.
void readSampleAttributes(const Hdf5Reader &r, AttentionSet &set)
{
    const QString attention = QStringLiteral("/attention");
    const auto text = [&](const char *name) -> std::string {
        Expected<QString> value = r.stringAttribute(attention, QLatin1String(name));
        return value ? value->toStdString() : std::string();
    };
    const auto number = [&](const char *name, std::int64_t fallback) -> std::int64_t {
        Expected<double> value = r.numberAttribute(attention, QLatin1String(name));
        return value ? wholeNumberOr(*value, fallback) : fallback;
    };
    set.modelId = text("model");
    set.runDir = text("run");
    set.sampleLabel = text("sample_label");
    set.sampleIndex = number("sample_index", 0);
    set.channel = number("channel", -1);
}

/// `group`/label and `group`/kind into `tokens` (one token per label). `what` names the
/// tokens in errors ("token 3", "/layer_tokens/list_0 token 3").
Status readTokenNames(const Hdf5Reader &r, const QString &group, const QString &what,
                      std::vector<TokenInfo> &tokens)
{
    Expected<QStringList> labels = r.readStrings(group + QStringLiteral("/label"));
    if (!labels)
        return labels.error();
    Expected<QStringList> kinds = r.readStrings(group + QStringLiteral("/kind"));
    if (!kinds)
        return kinds.error();
    const qsizetype n = labels->size();
    if (kinds->size() != n)
        return fileError(r.path(), QStringLiteral("%1/kind has %2 entries, %1/label %3")
                                       .arg(group)
                                       .arg(kinds->size())
                                       .arg(n));
    tokens.resize(std::size_t(n));
    for (qsizetype i = 0; i < n; ++i) {
        TokenInfo &t = tokens[std::size_t(i)];
        t.label = labels->at(i).toStdString();
        if (!tokenKindFromName(kinds->at(i), &t.kind))
            return fileError(r.path(), QStringLiteral("%1 %2 has the unknown kind \"%3\"")
                                           .arg(what)
                                           .arg(i)
                                           .arg(kinds->at(i)));
    }
    return {};
}

/// `group`/begin, end, channel, freq_begin, freq_end into `tokens`: one entry per token.
Status readTokenNumbers(const Hdf5Reader &r, const QString &group, std::vector<TokenInfo> &tokens)
{
    const qsizetype n = qsizetype(tokens.size());
    for (const auto &[name, member] : layout::tokenNumbers) {
        const QString dataset = group + QLatin1Char('/') + QLatin1String(name);
        Expected<Hdf5Array> values = r.readArray(dataset);
        if (!values)
            return values.error();
        if (values->dims.size() != 1 || values->dims[0] != n)
            return fileError(
                r.path(),
                QStringLiteral("%1 does not have one entry per token (%2)").arg(dataset).arg(n));
        for (qsizetype i = 0; i < n; ++i) {
            const std::optional<std::int64_t> v = wholeNumber(values->values[std::size_t(i)]);
            if (!v)
                return fileError(r.path(), QStringLiteral("%1 holds %2, not a whole number")
                                               .arg(dataset)
                                               .arg(values->values[std::size_t(i)]));
            tokens[std::size_t(i)].*member = *v;
        }
    }
    return {};
}

/// /tokens into set.tokens (after the layers: one token per query of the layers over them).
Status readTokens(const Hdf5Reader &r, AttentionSet &set, const std::vector<LayerTokenRefs> &refs)
{
    const QString group = QStringLiteral("/tokens");
    if (Status s = readTokenNames(r, group, QStringLiteral("token"), set.tokens); !s)
        return s;
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const AttentionLayer &layer = set.layers[i];
        const qsizetype n = qsizetype(set.tokens.size());
        if (refs[i].queries < 0 && layer.queries != n)
            return fileError(
                r.path(),
                QStringLiteral("%1 tokens for %2 queries%3")
                    .arg(n)
                    .arg(layer.queries)
                    .arg(i == 0 ? QString() : QStringLiteral(" of %1").arg(layerPath(int(i)))));
        if (refs[i].keys < 0 && layer.keys != n)
            return fileError(r.path(), QStringLiteral("%1 tokens for %2 keys of %3")
                                           .arg(n)
                                           .arg(layer.keys)
                                           .arg(layerPath(int(i))));
    }
    return readTokenNumbers(r, group, set.tokens);
}

/// The token lists the layers refer to (/layer_tokens/list_{j}) into their queryTokens and
/// keyTokens; each list is read once and must have as many tokens as the layer's queries or
/// keys.
Status readLayerTokens(const Hdf5Reader &r, AttentionSet &set,
                       const std::vector<LayerTokenRefs> &refs)
{
    std::map<int, std::vector<TokenInfo>> lists;
    const auto listOf = [&](int j) -> Expected<const std::vector<TokenInfo> *> {
        if (const auto found = lists.find(j); found != lists.end())
            return &found->second;
        const QString group = layout::tokenListPath(j);
        if (!r.hasDataset(group + QStringLiteral("/label")))
            return fileError(r.path(), QStringLiteral("%1 is missing").arg(group));
        std::vector<TokenInfo> tokens;
        if (Status s = readTokenNames(r, group, group + QStringLiteral(" token"), tokens); !s)
            return s.error();
        if (Status s = readTokenNumbers(r, group, tokens); !s)
            return s.error();
        return &lists.emplace(j, std::move(tokens)).first->second;
    };
    for (std::size_t i = 0; i < refs.size(); ++i) {
        AttentionLayer &layer = set.layers[i];
        const auto take = [&](int j, int count, const char *side, const char *sideToken,
                              std::vector<TokenInfo> &into) -> Status {
            if (j < 0)
                return {};
            Expected<const std::vector<TokenInfo> *> list = listOf(j);
            if (!list)
                return list.error();
            if (qsizetype((*list)->size()) != count)
                return fileError(r.path(), QStringLiteral("%1 has %2 %3 but its %4 tokens (%5) "
                                                          "are %6")
                                               .arg(layerPath(int(i)))
                                               .arg(count)
                                               .arg(QLatin1String(side), QLatin1String(sideToken),
                                                    layout::tokenListPath(j))
                                               .arg((*list)->size()));
            into = **list;
            return {};
        };
        if (Status s = take(refs[i].queries, layer.queries, "queries", "query", layer.queryTokens);
            !s)
            return s;
        if (Status s = take(refs[i].keys, layer.keys, "keys", "key", layer.keyTokens); !s)
            return s;
    }
    return {};
}

/// /channel_names into set.channelNames, when the file has it.
Status readChannelNames(const Hdf5Reader &r, AttentionSet &set)
{
    if (!r.hasDataset(QStringLiteral("/channel_names")))
        return {};
    Expected<QStringList> names = r.readStrings(QStringLiteral("/channel_names"));
    if (!names)
        return names.error();
    for (const QString &name : *names)
        set.channelNames.push_back(name.toStdString());
    return {};
}

/// /input [time, channels] into set.input, when the file has it.
Status readInput(const Hdf5Reader &r, AttentionSet &set)
{
    if (!r.hasDataset(QStringLiteral("/input")))
        return {};
    Expected<Hdf5FloatArray> input = r.readFloatArray(QStringLiteral("/input"));
    if (!input)
        return input.error();
    if (input->dims.size() != 2)
        return fileError(r.path(), QStringLiteral("/input is not [time, channels]"));
    set.inputRows = int(input->dims[0]);
    set.inputCols = int(input->dims[1]);
    set.input = std::move(input->values);
    if (r.hasAttribute(QStringLiteral("/input"), QStringLiteral("sample_rate"))) {
        Expected<double> rate =
            r.numberAttribute(QStringLiteral("/input"), QStringLiteral("sample_rate"));
        if (!rate)
            return rate.error();
        if (!(*rate > 0.0) || !std::isfinite(*rate))
            return fileError(r.path(), QStringLiteral("/input's sample_rate %1 is not a positive "
                                                      "number of samples per second")
                                           .arg(*rate));
        set.inputSampleRate = *rate;
    }
    return {};
}

} // namespace

Expected<AttentionSet> readAttentionFile(const QString &path)
{
    Expected<Hdf5Reader> opened = openAttentionFile(path);
    if (!opened)
        return opened.error();
    const Hdf5Reader &r = *opened;
    AttentionSet set;
    std::vector<LayerTokenRefs> refs;
    Status s = readLayers(r, set, refs);
    if (s) {
        readSampleAttributes(r, set);
        s = readTokens(r, set, refs);
    }
    if (s)
        s = readLayerTokens(r, set, refs);
    if (s)
        s = readChannelNames(r, set);
    if (s)
        s = readInput(r, set);
    if (!s)
        return s.error();
    return set;
}

Expected<AttentionSaliency> readAttentionSaliency(const QString &path)
{
    Expected<Hdf5Reader> opened = Hdf5Reader::open(path);
    if (!opened)
        return opened.error();
    const QString dataset = QStringLiteral("/saliency");
    AttentionSaliency saliency;
    if (!opened->hasDataset(dataset))
        return saliency;
    Expected<Hdf5FloatArray> array = opened->readFloatArray(dataset);
    if (!array)
        return array.error();
    if (array->dims.size() != 2)
        return Error{QStringLiteral("/saliency is not [time, channels]"), path, 0};
    saliency.rows = int(array->dims[0]);
    saliency.cols = int(array->dims[1]);
    saliency.values = std::move(array->values);
    Expected<QString> target = opened->stringAttribute(dataset, QStringLiteral("target"));
    if (target)
        saliency.target = target->toStdString();
    return saliency;
}

} // namespace twb::explain
