#include "AttentionFile.h"

#include "data/Hdf5File.h"

#include <QFileInfo>
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

QString layerPath(int i)
{
    return QStringLiteral("/attention/layer_%1").arg(i);
}

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

    const std::int64_t n = set.tokenCount();
    QStringList labels, kinds;
    std::vector<std::int64_t> begin, end, channel, freqBegin, freqEnd;
    for (const TokenInfo &t : set.tokens) {
        labels << qs(t.label);
        kinds << tokenKindName(t.kind);
        begin.push_back(t.begin);
        end.push_back(t.end);
        channel.push_back(t.channel);
        freqBegin.push_back(t.freqBegin);
        freqEnd.push_back(t.freqEnd);
    }
    if (s)
        s = w.writeStrings(QStringLiteral("/tokens/label"), labels);
    if (s)
        s = w.writeStrings(QStringLiteral("/tokens/kind"), kinds);
    const std::array<std::pair<const char *, const std::vector<std::int64_t> *>, 5> numbers{{
        {"begin", &begin},
        {"end", &end},
        {"channel", &channel},
        {"freq_begin", &freqBegin},
        {"freq_end", &freqEnd},
    }};
    for (const auto &[name, values] : numbers)
        if (s)
            s = w.writeInt64s(QStringLiteral("/tokens/") + QLatin1String(name), values->data(),
                              {n});
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

Expected<AttentionSet> readAttentionFile(const QString &path)
{
    const auto fail = [&](const QString &reason) {
        return Error{reason, path, 0};
    };
    if (!QFileInfo(path).isFile())
        return fail(QStringLiteral("no such file"));
    if (!isHdf5File(path))
        return fail(QStringLiteral("not an HDF5 file, so not an attention file"));
    Expected<Hdf5Reader> opened = Hdf5Reader::open(path);
    if (!opened)
        return opened.error();
    const Hdf5Reader &r = *opened;
    if (!r.hasDataset(layerPath(0)))
        return fail(QStringLiteral("not an attention file (no /attention/layer_0)"));

    AttentionSet set;
    for (int i = 0; r.hasDataset(layerPath(i)); ++i) {
        Expected<Hdf5FloatArray> array = r.readFloatArray(layerPath(i));
        if (!array)
            return array.error();
        const std::vector<std::int64_t> &d = array->dims;
        if (d.size() != 3 || d[0] < 1 || d[1] < 1 || d[1] != d[2])
            return fail(QStringLiteral("%1 is not [heads, tokens, tokens]").arg(layerPath(i)));
        if (i > 0 && d[1] != set.layers.front().queries)
            return fail(QStringLiteral("%1 has %2 tokens, layer_0 has %3")
                            .arg(layerPath(i))
                            .arg(d[1])
                            .arg(set.layers.front().queries));
        AttentionLayer layer;
        layer.heads = int(d[0]);
        layer.queries = int(d[1]);
        layer.keys = int(d[2]);
        layer.weights = std::move(array->values);
        set.layers.push_back(std::move(layer));
    }

    const QString attention = QStringLiteral("/attention");
    const auto text = [&](const char *name) -> std::string {
        Expected<QString> value = r.stringAttribute(attention, QLatin1String(name));
        return value ? value->toStdString() : std::string();
    };
    const auto number = [&](const char *name, std::int64_t fallback) -> std::int64_t {
        Expected<double> value = r.numberAttribute(attention, QLatin1String(name));
        return value ? std::int64_t(*value) : fallback;
    };
    set.modelId = text("model");
    set.runDir = text("run");
    set.sampleLabel = text("sample_label");
    set.sampleIndex = number("sample_index", 0);
    set.channel = number("channel", -1);

    Expected<QStringList> labels = r.readStrings(QStringLiteral("/tokens/label"));
    if (!labels)
        return labels.error();
    Expected<QStringList> kinds = r.readStrings(QStringLiteral("/tokens/kind"));
    if (!kinds)
        return kinds.error();
    const qsizetype n = labels->size();
    if (kinds->size() != n)
        return fail(QStringLiteral("/tokens/kind has %1 entries, /tokens/label %2")
                        .arg(kinds->size())
                        .arg(n));
    if (n != set.layers.front().queries)
        return fail(
            QStringLiteral("%1 tokens for %2 queries").arg(n).arg(set.layers.front().queries));
    set.tokens.resize(std::size_t(n));
    for (qsizetype i = 0; i < n; ++i) {
        TokenInfo &t = set.tokens[std::size_t(i)];
        t.label = labels->at(i).toStdString();
        if (!tokenKindFromName(kinds->at(i), &t.kind))
            return fail(
                QStringLiteral("token %1 has the unknown kind \"%2\"").arg(i).arg(kinds->at(i)));
    }
    const std::array<std::pair<const char *, std::int64_t TokenInfo::*>, 5> numbers{{
        {"begin", &TokenInfo::begin},
        {"end", &TokenInfo::end},
        {"channel", &TokenInfo::channel},
        {"freq_begin", &TokenInfo::freqBegin},
        {"freq_end", &TokenInfo::freqEnd},
    }};
    for (const auto &[name, member] : numbers) {
        const QString dataset = QStringLiteral("/tokens/") + QLatin1String(name);
        Expected<Hdf5Array> values = r.readArray(dataset);
        if (!values)
            return values.error();
        if (values->dims.size() != 1 || values->dims[0] != n)
            return fail(
                QStringLiteral("%1 does not have one entry per token (%2)").arg(dataset).arg(n));
        for (qsizetype i = 0; i < n; ++i)
            set.tokens[std::size_t(i)].*member = std::int64_t(values->values[std::size_t(i)]);
    }

    if (r.hasDataset(QStringLiteral("/channel_names"))) {
        Expected<QStringList> names = r.readStrings(QStringLiteral("/channel_names"));
        if (!names)
            return names.error();
        for (const QString &name : *names)
            set.channelNames.push_back(name.toStdString());
    }
    if (r.hasDataset(QStringLiteral("/input"))) {
        Expected<Hdf5FloatArray> input = r.readFloatArray(QStringLiteral("/input"));
        if (!input)
            return input.error();
        if (input->dims.size() != 2)
            return fail(QStringLiteral("/input is not [time, channels]"));
        set.inputRows = int(input->dims[0]);
        set.inputCols = int(input->dims[1]);
        set.input = std::move(input->values);
    }
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
