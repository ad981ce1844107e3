// Writing the attention HDF5 file and the names of token kinds (reading: AttentionFileReader.cpp).

#include "AttentionFile.h"
#include "AttentionFileLayout.h"

#include "data/Hdf5File.h"

#include <QStringList>

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
        if (layer.queries != tokens || layer.keys != tokens)
            return fail(QStringLiteral("layer %1 is [%2, %3, %4] but there are %5 tokens")
                            .arg(i)
                            .arg(layer.heads)
                            .arg(layer.queries)
                            .arg(layer.keys)
                            .arg(tokens));
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

    QStringList labels, kinds;
    for (const TokenInfo &t : set.tokens) {
        labels << qs(t.label);
        kinds << tokenKindName(t.kind);
    }
    if (s)
        s = w.writeStrings(QStringLiteral("/tokens/label"), labels);
    if (s)
        s = w.writeStrings(QStringLiteral("/tokens/kind"), kinds);
    for (const auto &[name, member] : layout::tokenNumbers) {
        std::vector<std::int64_t> values;
        values.reserve(set.tokens.size());
        for (const TokenInfo &t : set.tokens)
            values.push_back(t.*member);
        if (s)
            s = w.writeInt64s(QStringLiteral("/tokens/") + QLatin1String(name), values.data(),
                              {std::int64_t(set.tokenCount())});
    }
    if (s && !set.channelNames.empty()) {
        QStringList names;
        for (const std::string &name : set.channelNames)
            names << qs(name);
        s = w.writeStrings(QStringLiteral("/channel_names"), names);
    }
    if (s && !set.input.empty())
        s = w.writeFloats(QStringLiteral("/input"), set.input.data(),
                          {set.inputRows, set.inputCols});
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
