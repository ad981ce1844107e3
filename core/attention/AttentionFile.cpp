// Writing the attention HDF5 file and the names of token kinds (reading: AttentionFileReader.cpp).

#include "AttentionFile.h"
#include "AttentionFileLayout.h"

#include "data/Hdf5File.h"

#include <QStringList>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace twb::explain {

namespace {

constexpr std::array<std::pair<TokenInfo::Kind, const char *>, 5> kindNames{{
    {TokenInfo::Kind::TimeStep, "time_step"},
    {TokenInfo::Kind::TimeRange, "time_range"},
    {TokenInfo::Kind::Variate, "variate"},
    {TokenInfo::Kind::Tile, "tile"},
    {TokenInfo::Kind::Special, "special"},
}};

using layout::layerPath;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

Status checkSet(const QString &path, const AttentionSet &set, const std::vector<float> *saliency,
                int salRows, int salCols)
{
    const auto fail = [&](const QString &reason) {
        return Status(Error{reason, path, 0});
    };
    if (set.layers.empty())
        return fail(QStringLiteral("an attention file needs at least one layer"));
    const int tokens = set.tokenCount();
    for (int i = 0; i < set.layerCount(); ++i) {
        const AttentionLayer &layer = set.layers[std::size_t(i)];
        if (!layer.isValid())
            return fail(QStringLiteral("layer %1 has %2 weights for [%3, %4, %5]")
                            .arg(i)
                            .arg(layer.weights.size())
                            .arg(layer.heads)
                            .arg(layer.queries)
                            .arg(layer.keys));
        if (layer.usesSetTokens() && (layer.queries != tokens || layer.keys != tokens))
            return fail(QStringLiteral("layer %1 is [%2, %3, %4] but there are %5 tokens")
                            .arg(i)
                            .arg(layer.heads)
                            .arg(layer.queries)
                            .arg(layer.keys)
                            .arg(tokens));
        const int queryTokens = int(set.queryTokens(i).size());
        const int keyTokens = int(set.keyTokens(i).size());
        if (layer.queries != queryTokens || layer.keys != keyTokens)
            return fail(QStringLiteral("layer %1 (%2) is [%3, %4, %5] but has %6 query and %7 "
                                       "key tokens")
                            .arg(i)
                            .arg(qs(set.layerName(i)))
                            .arg(layer.heads)
                            .arg(layer.queries)
                            .arg(layer.keys)
                            .arg(queryTokens)
                            .arg(keyTokens));
        if (layer.name.size() > std::size_t(layout::maxLayerNameLength))
            return fail(QStringLiteral("layer %1's name is longer than %2 characters")
                            .arg(i)
                            .arg(layout::maxLayerNameLength));
    }
    if (!set.input.empty() &&
        (set.inputRows <= 0 || set.inputCols <= 0 ||
         set.input.size() != std::size_t(set.inputRows) * std::size_t(set.inputCols)))
        return fail(QStringLiteral("the input has %1 values, not %2 x %3")
                        .arg(set.input.size())
                        .arg(set.inputRows)
                        .arg(set.inputCols));
    if (saliency && (salRows <= 0 || salCols <= 0 ||
                     saliency->size() != std::size_t(salRows) * std::size_t(salCols)))
        return fail(QStringLiteral("the saliency has %1 values, not %2 x %3")
                        .arg(saliency->size())
                        .arg(salRows)
                        .arg(salCols));
    return Status::ok();
}

bool sameTokens(const std::vector<TokenInfo> &a, const std::vector<TokenInfo> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const TokenInfo &x, const TokenInfo &y) {
            return x.kind == y.kind && x.label == y.label && x.begin == y.begin && x.end == y.end &&
                   x.channel == y.channel && x.freqBegin == y.freqBegin && x.freqEnd == y.freqEnd;
        });
}

/// The token datasets under `group` ("/tokens" or a token list): label, kind and the numbers.
Status writeTokens(Hdf5Writer &w, const QString &group, const std::vector<TokenInfo> &tokens)
{
    QStringList labels, kinds;
    for (const TokenInfo &t : tokens) {
        labels << qs(t.label);
        kinds << tokenKindName(t.kind);
    }
    Status s = w.writeStrings(group + QStringLiteral("/label"), labels);
    if (s)
        s = w.writeStrings(group + QStringLiteral("/kind"), kinds);
    for (const auto &[name, member] : layout::tokenNumbers) {
        std::vector<std::int64_t> values;
        values.reserve(tokens.size());
        for (const TokenInfo &t : tokens)
            values.push_back(t.*member);
        if (s)
            s = w.writeInt64s(group + QLatin1Char('/') + QLatin1String(name), values.data(),
                              {std::int64_t(tokens.size())});
    }
    return s;
}

/// The layers' own token lists, each distinct list once: for every layer the index of its
/// query and key list (-1: /tokens).
struct TokenLists
{
    std::vector<const std::vector<TokenInfo> *> lists;
    std::vector<std::pair<int, int>> layerLists; ///< [layer] = (query list, key list)
};

TokenLists tokenListsOf(const AttentionSet &set)
{
    TokenLists result;
    const auto indexOf = [&](const std::vector<TokenInfo> &tokens) -> int {
        if (tokens.empty() || sameTokens(tokens, set.tokens))
            return -1;
        for (std::size_t j = 0; j < result.lists.size(); ++j)
            if (sameTokens(*result.lists[j], tokens))
                return int(j);
        result.lists.push_back(&tokens);
        return int(result.lists.size()) - 1;
    };
    for (const AttentionLayer &layer : set.layers) {
        const int queries = indexOf(layer.queryTokens);
        const int keys = indexOf(layer.keyTokens);
        result.layerLists.emplace_back(queries, keys);
    }
    return result;
}

Status writeLayerAttributes(Hdf5Writer &w, const AttentionSet &set, const TokenLists &lists)
{
    Status s;
    for (int i = 0; s && i < set.layerCount(); ++i) {
        const AttentionLayer &layer = set.layers[std::size_t(i)];
        const QString path = layerPath(i);
        if (!layer.name.empty())
            s = w.setAttribute(path, QLatin1String(layout::layerName), qs(layer.name));
        if (s && layer.kind == AttentionLayer::Kind::CrossAttention)
            s = w.setAttribute(path, QLatin1String(layout::layerKind),
                               QLatin1String(layout::crossAttention));
        const auto [queries, keys] = lists.layerLists[std::size_t(i)];
        if (s && queries >= 0)
            s = w.setAttribute(path, QLatin1String(layout::layerQueryTokens),
                               std::int64_t(queries));
        if (s && keys >= 0)
            s = w.setAttribute(path, QLatin1String(layout::layerKeyTokens), std::int64_t(keys));
    }
    for (std::size_t j = 0; s && j < lists.lists.size(); ++j)
        s = writeTokens(w, layout::tokenListPath(int(j)), *lists.lists[j]);
    return s;
}

} // namespace

QString tokenKindName(TokenInfo::Kind kind)
{
    for (const auto &[k, name] : kindNames)
        if (k == kind)
            return QString::fromLatin1(name);
    return {};
}

bool tokenKindFromName(const QString &name, TokenInfo::Kind *kind)
{
    for (const auto &[k, text] : kindNames)
        if (name == QLatin1String(text)) {
            *kind = k;
            return true;
        }
    return false;
}

Status writeAttentionFile(const QString &path, const AttentionSet &set,
                          const std::vector<float> *saliency, int salRows, int salCols,
                          const QString &saliencyTarget)
{
    if (Status s = checkSet(path, set, saliency, salRows, salCols); !s)
        return s;
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    Hdf5Writer &w = *writer;
    Status s;
    for (int i = 0; s && i < set.layerCount(); ++i) {
        const AttentionLayer &layer = set.layers[std::size_t(i)];
        s = w.writeFloats(layerPath(i), layer.weights.data(),
                          {layer.heads, layer.queries, layer.keys});
    }
    const QString attention = QStringLiteral("/attention");
    if (s)
        s = w.setAttribute(attention, QStringLiteral("model"), qs(set.modelId));
    if (s)
        s = w.setAttribute(attention, QStringLiteral("run"), qs(set.runDir));
    if (s)
        s = w.setAttribute(attention, QStringLiteral("sample_label"), qs(set.sampleLabel));
    if (s)
        s = w.setAttribute(attention, QStringLiteral("sample_index"), set.sampleIndex);
    if (s)
        s = w.setAttribute(attention, QStringLiteral("channel"), set.channel);

    if (s)
        s = writeTokens(w, QStringLiteral("/tokens"), set.tokens);
    if (s)
        s = writeLayerAttributes(w, set, tokenListsOf(set));
    if (s && !set.channelNames.empty()) {
        QStringList names;
        for (const std::string &name : set.channelNames)
            names << qs(name);
        s = w.writeStrings(QStringLiteral("/channel_names"), names);
    }
    if (s && !set.input.empty())
        s = w.writeFloats(QStringLiteral("/input"), set.input.data(),
                          {set.inputRows, set.inputCols});
    if (s && !set.input.empty() && set.inputSampleRate > 0.0)
        s = w.setAttribute(QStringLiteral("/input"), QStringLiteral("sample_rate"),
                           set.inputSampleRate);
    if (s && saliency) {
        s = w.writeFloats(QStringLiteral("/saliency"), saliency->data(), {salRows, salCols});
        if (s)
            s = w.setAttribute(QStringLiteral("/saliency"), QStringLiteral("target"),
                               saliencyTarget);
    }
    if (s)
        s = w.commit();
    return s;
}

} // namespace twb::explain
