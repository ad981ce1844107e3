#include "WhatIfResult.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace twb {

namespace {

std::vector<float> floatArray(const QJsonValue &value)
{
    std::vector<float> out;
    const QJsonArray array = value.toArray();
    out.reserve(std::size_t(array.size()));
    for (const QJsonValue &v : array)
        out.push_back(v.isDouble() ? float(v.toDouble()) : std::numeric_limits<float>::quiet_NaN());
    return out;
}

Error answerError(const QString &reason)
{
    return Error{reason, {}, 0};
}

std::size_t argmax(const std::vector<float> &p)
{
    return std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
}

} // namespace

Expected<WhatIfResult> WhatIfResult::fromJson(const QJsonObject &answer)
{
    if (!answer.value(QLatin1String("ok")).toBool())
        return answerError(answer.value(QLatin1String("error"))
                               .toString(QStringLiteral("the what-if answer holds no result")));
    WhatIfResult r;
    r.classify = answer.value(QLatin1String("task")).toString() == QLatin1String("classify");
    r.index = answer.value(QLatin1String("index")).toInteger();
    r.samples = answer.value(QLatin1String("samples")).toInteger();
    r.label = answer.value(QLatin1String("label")).toString();
    r.rows = answer.value(QLatin1String("rows")).toInt();
    r.cols = answer.value(QLatin1String("cols")).toInt();
    for (const QJsonValue &name : answer.value(QLatin1String("names")).toArray())
        r.names << name.toString();
    r.original = floatArray(answer.value(QLatin1String("original")));
    r.edited = floatArray(answer.value(QLatin1String("edited")));
    r.history = floatArray(answer.value(QLatin1String("history")));
    r.editedHistory = floatArray(answer.value(QLatin1String("edited_history")));
    r.truth = floatArray(answer.value(QLatin1String("truth")));
    r.lookback = answer.value(QLatin1String("lookback")).toInt();
    r.truthClass = answer.value(QLatin1String("truth_class")).toString();
    r.changedInputs = answer.value(QLatin1String("changed_inputs")).toInteger();
    r.inputValues = answer.value(QLatin1String("input_values")).toInteger();
    r.summary = answer.value(QLatin1String("summary")).toObject();
    r.milliseconds = answer.value(QLatin1String("ms")).toDouble();

    const std::size_t cells = std::size_t(r.rows) * std::size_t(std::max(r.cols, 0));
    if (r.rows <= 0 || r.cols <= 0 || r.original.size() != cells || r.edited.size() != cells)
        return answerError(QStringLiteral("the what-if answer's predictions are not %1 x %2 "
                                          "values")
                               .arg(r.rows)
                               .arg(r.cols));
    if (r.names.size() != r.cols)
        return answerError(QStringLiteral("the what-if answer names %1 columns for %2")
                               .arg(r.names.size())
                               .arg(r.cols));
    if (!r.classify) {
        const std::size_t past = std::size_t(r.lookback) * std::size_t(r.cols);
        if (r.history.size() != past || r.editedHistory.size() != past ||
            (!r.truth.empty() && r.truth.size() != cells))
            return answerError(QStringLiteral("the what-if answer's history or truth does not "
                                              "fit its lookback %1")
                                   .arg(r.lookback));
    }
    return r;
}

std::vector<float> WhatIfResult::column(const std::vector<float> &values, int col) const
{
    std::vector<float> out;
    if (col < 0 || col >= cols)
        return out;
    for (std::size_t i = std::size_t(col); i < values.size(); i += std::size_t(cols))
        out.push_back(values[i]);
    return out;
}

QString WhatIfResult::describe() const
{
    const QString masked =
        QObject::tr("%1 of %2 input values masked").arg(changedInputs).arg(inputValues);
    if (classify) {
        const std::size_t before = argmax(original), after = argmax(edited);
        return QObject::tr("%1: %2. Predicted “%3” (p = %4) → “%5” (p = %6); p(%3) after the edit "
                           "= %7.")
            .arg(label, masked, names.value(qsizetype(before)))
            .arg(double(original[before]), 0, 'f', 3)
            .arg(names.value(qsizetype(after)))
            .arg(double(edited[after]), 0, 'f', 3)
            .arg(double(edited[before]), 0, 'f', 3);
    }
    QString text = QObject::tr("%1: %2. Forecast changed by %3 on average, %4 at most")
                       .arg(label, masked)
                       .arg(summary.value(QLatin1String("mean_abs_change")).toDouble(), 0, 'g', 3)
                       .arg(summary.value(QLatin1String("max_abs_change")).toDouble(), 0, 'g', 3);
    if (summary.contains(QLatin1String("mse_original")))
        text += QObject::tr("; MSE against the truth %1 → %2")
                    .arg(summary.value(QLatin1String("mse_original")).toDouble(), 0, 'g', 3)
                    .arg(summary.value(QLatin1String("mse_edited")).toDouble(), 0, 'g', 3);
    return text + QLatin1Char('.');
}

} // namespace twb
