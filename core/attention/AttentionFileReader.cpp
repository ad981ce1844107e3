// Reading the attention HDF5 file (readAttentionFile, readAttentionSaliency): one function per
// part of the layout in AttentionFile.h, each checking what it reads.

#include "AttentionFile.h"
#include "AttentionFileLayout.h"

#include "common/WholeNumber.h"
#include "data/Hdf5File.h"

#include <QFileInfo>
#include <QStringList>

#include <cstdint>
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

/// /attention/layer_0, layer_1, ... into set.layers: each [heads, tokens, tokens], all with the
/// tokens of layer_0.
Status readLayers(const Hdf5Reader &r, AttentionSet &set)
{
    for (int i = 0; r.hasDataset(layerPath(i)); ++i) {
        Expected<Hdf5FloatArray> array = r.readFloatArray(layerPath(i));
        if (!array)
            return array.error();
        const std::vector<std::int64_t> &d = array->dims;
        if (d.size() != 3 || d[0] < 1 || d[1] < 1 || d[1] != d[2])
            return fileError(r.path(),
                             QStringLiteral("%1 is not [heads, tokens, tokens]").arg(layerPath(i)));
        if (i > 0 && d[1] != set.layers.front().queries)
            return fileError(r.path(), QStringLiteral("%1 has %2 tokens, layer_0 has %3")
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

/// /tokens/label and /tokens/kind into set.tokens (after the layers: one token per query).
Status readTokenNames(const Hdf5Reader &r, AttentionSet &set)
{
    Expected<QStringList> labels = r.readStrings(QStringLiteral("/tokens/label"));
    if (!labels)
        return labels.error();
    Expected<QStringList> kinds = r.readStrings(QStringLiteral("/tokens/kind"));
    if (!kinds)
        return kinds.error();
    const qsizetype n = labels->size();
    if (kinds->size() != n)
        return fileError(r.path(), QStringLiteral("/tokens/kind has %1 entries, /tokens/label %2")
                                       .arg(kinds->size())
                                       .arg(n));
    if (n != set.layers.front().queries)
        return fileError(
            r.path(),
            QStringLiteral("%1 tokens for %2 queries").arg(n).arg(set.layers.front().queries));
    set.tokens.resize(std::size_t(n));
    for (qsizetype i = 0; i < n; ++i) {
        TokenInfo &t = set.tokens[std::size_t(i)];
        t.label = labels->at(i).toStdString();
        if (!tokenKindFromName(kinds->at(i), &t.kind))
            return fileError(
                r.path(),
                QStringLiteral("token %1 has the unknown kind \"%2\"").arg(i).arg(kinds->at(i)));
    }
    return {};
}

/// /tokens/begin, end, channel, freq_begin, freq_end into set.tokens: one entry per token.
Status readTokenNumbers(const Hdf5Reader &r, AttentionSet &set)
{
    const qsizetype n = qsizetype(set.tokens.size());
    for (const auto &[name, member] : layout::tokenNumbers) {
        const QString dataset = QStringLiteral("/tokens/") + QLatin1String(name);
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
            set.tokens[std::size_t(i)].*member = *v;
        }
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
    Status s = readLayers(r, set);
    if (s) {
        readSampleAttributes(r, set);
        s = readTokenNames(r, set);
    }
    if (s)
        s = readTokenNumbers(r, set);
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
