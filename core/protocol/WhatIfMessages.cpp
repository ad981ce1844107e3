#include "WhatIfMessages.h"
#include "common/WholeNumber.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace twb {

namespace {

Error messageError(const QString &message)
{
    return Error{message, {}, 0};
}

/// The largest whole number a JSON number (a double) holds exactly: 2^53. Anything beyond it,
/// and NaN or infinity, is not an index; converting such a double to an integer is undefined.
constexpr double maxExactInteger = 9007199254740992.0;

/// `number` as an integer if it is a whole number within [minimum, maxExactInteger].
std::optional<std::int64_t> jsonInteger(double number, double minimum)
{
    if (number < minimum || number > maxExactInteger)
        return std::nullopt;
    return wholeNumber(number); // NaN, infinities and fractions: nothing
}

/// A JSON array of integers (whole numbers only); `what` names the key in errors.
Expected<std::vector<std::int64_t>> integers(const QJsonValue &value, const QString &what,
                                             std::size_t expectedSize = 0)
{
    if (!value.isArray())
        return messageError(QStringLiteral("%1 must be an array of integers").arg(what));
    std::vector<std::int64_t> out;
    for (const QJsonValue &item : value.toArray()) {
        const std::optional<std::int64_t> number =
            item.isDouble() ? jsonInteger(item.toDouble(), -maxExactInteger) : std::nullopt;
        if (!number)
            return messageError(
                QStringLiteral("%1 must hold integers only (of at most 2^53)").arg(what));
        out.push_back(*number);
    }
    if (expectedSize != 0 && out.size() != expectedSize)
        return messageError(QStringLiteral("%1 must hold %2 integers, not %3")
                                .arg(what)
                                .arg(expectedSize)
                                .arg(out.size()));
    return out;
}

/// Each element of the array at `key` as a fixed-size integer tuple.
Expected<std::vector<std::vector<std::int64_t>>> tuples(const QJsonObject &object,
                                                        const QString &key, std::size_t size)
{
    std::vector<std::vector<std::int64_t>> out;
    if (!object.contains(key))
        return out;
    if (!object.value(key).isArray())
        return messageError(QStringLiteral("\"%1\" must be an array").arg(key));
    const QJsonArray items = object.value(key).toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        Expected<std::vector<std::int64_t>> item =
            integers(items.at(i), QStringLiteral("\"%1\"[%2]").arg(key).arg(i), size);
        if (!item)
            return item.error();
        out.push_back(std::move(*item));
    }
    return out;
}

Expected<std::vector<int>> tokensOf(const QJsonObject &object)
{
    std::vector<int> out;
    if (!object.contains(QLatin1String("mask_tokens")))
        return out;
    Expected<std::vector<std::int64_t>> tokens =
        integers(object.value(QLatin1String("mask_tokens")), QStringLiteral("\"mask_tokens\""));
    if (!tokens)
        return tokens.error();
    for (std::int64_t t : *tokens) {
        if (t < 0)
            return messageError(
                QStringLiteral("\"mask_tokens\" holds %1: token indices start at 0").arg(t));
        if (t > std::numeric_limits<int>::max())
            return messageError(
                QStringLiteral("\"mask_tokens\" holds %1: no model has that many tokens").arg(t));
        out.push_back(int(t));
    }
    return out;
}

Expected<std::vector<InputRegion>> regionsOf(const QJsonObject &object)
{
    Expected<std::vector<std::vector<std::int64_t>>> regions =
        tuples(object, QStringLiteral("regions"), 4);
    if (!regions)
        return regions.error();
    std::vector<InputRegion> out;
    const auto bad = [](std::int64_t begin, std::int64_t end) {
        return begin < 0 || end < -1 || (end != -1 && end <= begin);
    };
    for (const auto &r : *regions) {
        const InputRegion region{r[0], r[1], r[2], r[3]};
        if (bad(region.rowBegin, region.rowEnd) || bad(region.colBegin, region.colEnd))
            return messageError(QStringLiteral("the region [%1, %2, %3, %4] is empty or "
                                               "negative (rows [begin, end), columns [begin, "
                                               "end); -1 = to the end)")
                                    .arg(r[0])
                                    .arg(r[1])
                                    .arg(r[2])
                                    .arg(r[3]));
        out.push_back(region);
    }
    return out;
}

/// Floats as a JSON array; NaN and infinities as null.
QJsonArray floatArray(const std::vector<float> &values)
{
    QJsonArray out;
    for (float v : values)
        out.append(std::isfinite(v) ? QJsonValue(double(v)) : QJsonValue());
    return out;
}

/// A JSON array as floats; null (and anything not a number) as NaN.
std::vector<float> floatsOf(const QJsonValue &value)
{
    std::vector<float> out;
    const QJsonArray array = value.toArray();
    out.reserve(std::size_t(array.size()));
    for (const QJsonValue &v : array)
        out.push_back(v.isDouble() ? float(v.toDouble()) : std::numeric_limits<float>::quiet_NaN());
    return out;
}

/// The shapes of an answer's arrays agree with its rows, columns, names and lookback.
Status checkShapes(const WhatIfAnswer &r)
{
    const std::size_t cells = std::size_t(r.rows) * std::size_t(std::max(r.cols, 0));
    if (r.rows <= 0 || r.cols <= 0 || r.original.size() != cells || r.edited.size() != cells)
        return messageError(QStringLiteral("the what-if answer's predictions are not %1 x %2 "
                                           "values")
                                .arg(r.rows)
                                .arg(r.cols));
    if (r.names.size() != r.cols)
        return messageError(QStringLiteral("the what-if answer names %1 columns for %2")
                                .arg(r.names.size())
                                .arg(r.cols));
    if (r.separate && (r.lookback != r.rows || !(r.sampleRate > 0.0)))
        return messageError(QStringLiteral("the what-if answer of a separation needs its mixture "
                                           "of %1 samples and a positive sample rate")
                                .arg(r.rows));
    if (!r.classify) {
        const std::size_t past =
            std::size_t(r.lookback) * std::size_t(r.separate ? 1 : r.cols); // one mixture
        if (r.history.size() != past || r.editedHistory.size() != past ||
            (!r.truth.empty() && r.truth.size() != cells))
            return messageError(QStringLiteral("the what-if answer's history or truth does not "
                                               "fit its lookback %1")
                                    .arg(r.lookback));
    }
    return {};
}

} // namespace

Expected<WhatIfEdit> WhatIfEdit::fromJson(const QJsonObject &object)
{
    WhatIfEdit edit;
    Expected<std::vector<int>> tokens = tokensOf(object);
    if (!tokens)
        return tokens.error();
    edit.tokens = std::move(*tokens);
    if (object.contains(QLatin1String("token_channel"))) {
        const QJsonValue channel = object.value(QLatin1String("token_channel"));
        const std::optional<std::int64_t> number =
            channel.isDouble() ? jsonInteger(channel.toDouble(), -1) : std::nullopt;
        if (!number)
            return messageError(
                QStringLiteral("\"token_channel\" must be a channel index (or -1)"));
        edit.tokenChannel = *number;
    }
    Expected<std::vector<InputRegion>> regions = regionsOf(object);
    if (!regions)
        return regions.error();
    edit.regions = std::move(*regions);
    Expected<std::vector<std::vector<std::int64_t>>> heads =
        tuples(object, QStringLiteral("heads_off"), 2);
    if (!heads)
        return heads.error();
    for (const auto &h : *heads) {
        if (h[0] < 0 || h[1] < 0 || h[0] > std::numeric_limits<int>::max() ||
            h[1] > std::numeric_limits<int>::max())
            return messageError(QStringLiteral("\"heads_off\" holds [%1, %2]: layers and heads "
                                               "are counted from 0")
                                    .arg(h[0])
                                    .arg(h[1]));
        edit.headsOff.push_back({int(h[0]), int(h[1])});
    }
    if (object.contains(QLatin1String("fill"))) {
        if (!object.value(QLatin1String("fill")).isDouble())
            return messageError(QStringLiteral("\"fill\" must be a number"));
        edit.fill = float(object.value(QLatin1String("fill")).toDouble());
    }
    return edit;
}

QJsonObject WhatIfEdit::toJson() const
{
    QJsonArray tokenArray, regionArray, headArray;
    for (int t : tokens)
        tokenArray.append(t);
    for (const InputRegion &r : regions)
        regionArray.append(
            QJsonArray{qint64(r.rowBegin), qint64(r.rowEnd), qint64(r.colBegin), qint64(r.colEnd)});
    for (const HeadRef &h : headsOff)
        headArray.append(QJsonArray{h.layer, h.head});
    return {{"mask_tokens", tokenArray},
            {"token_channel", qint64(tokenChannel)},
            {"regions", regionArray},
            {"heads_off", headArray},
            {"fill", double(fill)}};
}

Expected<WhatIfRequest> WhatIfRequest::fromJson(const QJsonObject &object)
{
    WhatIfRequest request;
    request.id = object.value(QLatin1String("id"));
    const QJsonValue index = object.value(QLatin1String("index"));
    const std::optional<std::int64_t> number =
        index.isDouble() ? jsonInteger(index.toDouble(), 0) : std::nullopt;
    if (!number)
        return messageError(QStringLiteral("\"index\" must be a test sample number"));
    request.index = *number;
    Expected<WhatIfEdit> edit = WhatIfEdit::fromJson(object);
    if (!edit)
        return edit.error();
    request.edit = std::move(*edit);
    return request;
}

QJsonObject WhatIfRequest::toJson() const
{
    QJsonObject o = edit.toJson();
    o.insert(QStringLiteral("index"), qint64(index));
    if (!id.isUndefined())
        o.insert(QStringLiteral("id"), id);
    return o;
}

namespace {

QJsonArray doubleArray(const std::vector<double> &values)
{
    QJsonArray out;
    for (double v : values)
        out.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue());
    return out;
}

std::vector<double> doublesOf(const QJsonValue &value)
{
    std::vector<double> out;
    for (const QJsonValue &v : value.toArray())
        out.push_back(v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN());
    return out;
}

} // namespace

std::optional<double> WhatIfChange::meanSiSnri(bool edited) const
{
    const std::vector<double> &estimate = edited ? siSnrEdited : siSnrOriginal;
    if (estimate.empty() || estimate.size() != siSnrMixture.size())
        return std::nullopt;
    double sum = 0.0;
    for (std::size_t s = 0; s < estimate.size(); ++s)
        sum += estimate[s] - siSnrMixture[s];
    return sum / double(estimate.size());
}

QJsonObject WhatIfChange::toJson(bool classify) const
{
    if (classify)
        return {{"class_original", classOriginal},
                {"class_edited", classEdited},
                {"p_original", pOriginal},
                {"p_edited", pEdited},
                {"p_edited_of_original_class", pEditedOfOriginalClass}};
    QJsonObject s{{"mean_abs_change", meanAbsChange}, {"max_abs_change", maxAbsChange}};
    if (mseOriginal)
        s.insert(QStringLiteral("mse_original"), *mseOriginal);
    if (mseEdited)
        s.insert(QStringLiteral("mse_edited"), *mseEdited);
    if (!siSnrOriginal.empty()) {
        s.insert(QStringLiteral("si_snr_original"), doubleArray(siSnrOriginal));
        s.insert(QStringLiteral("si_snr_edited"), doubleArray(siSnrEdited));
        s.insert(QStringLiteral("si_snr_mixture"), doubleArray(siSnrMixture));
        if (const std::optional<double> before = meanSiSnri(false))
            s.insert(QStringLiteral("si_snri_original"), *before);
        if (const std::optional<double> after = meanSiSnri(true))
            s.insert(QStringLiteral("si_snri_edited"), *after);
    }
    return s;
}

WhatIfChange WhatIfChange::fromJson(const QJsonObject &o)
{
    WhatIfChange c;
    c.classOriginal = o.value(QLatin1String("class_original")).toString();
    c.classEdited = o.value(QLatin1String("class_edited")).toString();
    c.pOriginal = o.value(QLatin1String("p_original")).toDouble();
    c.pEdited = o.value(QLatin1String("p_edited")).toDouble();
    c.pEditedOfOriginalClass = o.value(QLatin1String("p_edited_of_original_class")).toDouble();
    c.meanAbsChange = o.value(QLatin1String("mean_abs_change")).toDouble();
    c.maxAbsChange = o.value(QLatin1String("max_abs_change")).toDouble();
    if (o.contains(QLatin1String("mse_original")))
        c.mseOriginal = o.value(QLatin1String("mse_original")).toDouble();
    if (o.contains(QLatin1String("mse_edited")))
        c.mseEdited = o.value(QLatin1String("mse_edited")).toDouble();
    c.siSnrOriginal = doublesOf(o.value(QLatin1String("si_snr_original")));
    c.siSnrEdited = doublesOf(o.value(QLatin1String("si_snr_edited")));
    c.siSnrMixture = doublesOf(o.value(QLatin1String("si_snr_mixture")));
    return c;
}

QJsonObject WhatIfAnswer::toJson() const
{
    QJsonObject out{{"ok", true},
                    {"index", qint64(index)},
                    {"samples", qint64(samples)},
                    {"label", label},
                    {"task", classify   ? "classify"
                             : separate ? "separate"
                                        : "forecast"},
                    {"rows", rows},
                    {"cols", cols},
                    {"names", QJsonArray::fromStringList(names)},
                    {"original", floatArray(original)},
                    {"edited", floatArray(edited)},
                    {"changed_inputs", qint64(changedInputs)},
                    {"input_values", qint64(inputValues)},
                    {"input_rows", inputRows},
                    {"input_names", QJsonArray::fromStringList(inputNames)},
                    {"summary", change.toJson(classify)},
                    {"ms", milliseconds}};
    if (classify) {
        if (!truthClass.isEmpty())
            out.insert(QStringLiteral("truth_class"), truthClass);
    } else {
        out.insert(QStringLiteral("lookback"), lookback);
        out.insert(QStringLiteral("history"), floatArray(history));
        out.insert(QStringLiteral("edited_history"), floatArray(editedHistory));
        out.insert(QStringLiteral("truth"), floatArray(truth));
    }
    if (separate)
        out.insert(QStringLiteral("sample_rate"), sampleRate);
    return out;
}

Expected<WhatIfAnswer> WhatIfAnswer::fromJson(const QJsonObject &answer)
{
    if (!answer.value(QLatin1String("ok")).toBool())
        return messageError(answer.value(QLatin1String("error"))
                                .toString(QStringLiteral("the what-if answer holds no result")));
    WhatIfAnswer r;
    const QString task = answer.value(QLatin1String("task")).toString();
    r.classify = task == QLatin1String("classify");
    r.separate = task == QLatin1String("separate");
    r.sampleRate = answer.value(QLatin1String("sample_rate")).toDouble();
    r.index = answer.value(QLatin1String("index")).toInteger();
    r.samples = answer.value(QLatin1String("samples")).toInteger();
    r.label = answer.value(QLatin1String("label")).toString();
    r.rows = answer.value(QLatin1String("rows")).toInt();
    r.cols = answer.value(QLatin1String("cols")).toInt();
    for (const QJsonValue &name : answer.value(QLatin1String("names")).toArray())
        r.names << name.toString();
    r.original = floatsOf(answer.value(QLatin1String("original")));
    r.edited = floatsOf(answer.value(QLatin1String("edited")));
    r.history = floatsOf(answer.value(QLatin1String("history")));
    r.editedHistory = floatsOf(answer.value(QLatin1String("edited_history")));
    r.truth = floatsOf(answer.value(QLatin1String("truth")));
    r.lookback = answer.value(QLatin1String("lookback")).toInt();
    r.truthClass = answer.value(QLatin1String("truth_class")).toString();
    r.changedInputs = answer.value(QLatin1String("changed_inputs")).toInteger();
    r.inputValues = answer.value(QLatin1String("input_values")).toInteger();
    r.inputRows = std::max(0, answer.value(QLatin1String("input_rows")).toInt());
    for (const QJsonValue &name : answer.value(QLatin1String("input_names")).toArray())
        r.inputNames << name.toString();
    r.change = WhatIfChange::fromJson(answer.value(QLatin1String("summary")).toObject());
    r.milliseconds = answer.value(QLatin1String("ms")).toDouble();
    if (Status shapes = checkShapes(r); !shapes)
        return shapes.error();
    return r;
}

QJsonObject WhatIfAnswer::errorJson(const QString &message)
{
    return {{"ok", false}, {"error", message}};
}

std::vector<float> WhatIfAnswer::column(const std::vector<float> &values, int col) const
{
    std::vector<float> out;
    if (col < 0 || col >= cols)
        return out;
    for (std::size_t i = std::size_t(col); i < values.size(); i += std::size_t(cols))
        out.push_back(values[i]);
    return out;
}

} // namespace twb
