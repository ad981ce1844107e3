#include "HyperparameterRules.h"

#include <QMetaType>

#include <cmath>
#include <limits>

namespace twb::hyperparameter {

namespace {

enum class ValueKind { Missing, Integral, Floating, Boolean, String, Other };

ValueKind kindOf(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return ValueKind::Missing;
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return ValueKind::Integral;
    case QMetaType::Double:
    case QMetaType::Float:
        return ValueKind::Floating;
    case QMetaType::Bool:
        return ValueKind::Boolean;
    case QMetaType::QString:
    case QMetaType::QByteArray:
        return ValueKind::String;
    default:
        return ValueKind::Other;
    }
}

/// How a rejected value is quoted in a message: strings in quotes, numbers as they are.
QString describe(const QVariant &value)
{
    switch (kindOf(value)) {
    case ValueKind::Missing:
        return QStringLiteral("an empty value");
    case ValueKind::String:
        return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    case ValueKind::Floating:
        return QString::number(value.toDouble(), 'g', 17);
    case ValueKind::Integral:
    case ValueKind::Boolean:
        return value.toString();
    case ValueKind::Other:
        break;
    }
    return QStringLiteral("a value of type ") + QString::fromLatin1(value.typeName());
}

Error keyError(const QString &key, const QString &rule)
{
    return Error{key + QLatin1String(": ") + rule, {}, 0};
}

Expected<qint64> toInteger(const QString &key, const QVariant &value)
{
    const QString notInteger = describe(value) + QLatin1String(" is not an integer");
    switch (kindOf(value)) {
    case ValueKind::Integral:
        if (value.metaType().id() == QMetaType::ULongLong &&
            value.toULongLong() > quint64(std::numeric_limits<qint64>::max()))
            return keyError(key, describe(value) + QLatin1String(" is too large"));
        return value.toLongLong();
    case ValueKind::Floating: {
        // JSON configs deliver every number as a double: 64.0 is the integer 64, 3.5 is not.
        const double d = value.toDouble();
        if (!std::isfinite(d) || d != std::trunc(d) || std::abs(d) > 9.0e15)
            return keyError(key, notInteger);
        return qint64(d);
    }
    case ValueKind::String: {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok, 10);
        if (!ok)
            return keyError(key, notInteger);
        return n;
    }
    default:
        return keyError(key, notInteger);
    }
}

Expected<double> toReal(const QString &key, const QVariant &value)
{
    const QString notNumber = describe(value) + QLatin1String(" is not a number");
    double d = 0.0;
    switch (kindOf(value)) {
    case ValueKind::Integral:
    case ValueKind::Floating:
        d = value.toDouble();
        break;
    case ValueKind::String: {
        bool ok = false;
        d = value.toString().trimmed().toDouble(&ok); // C locale: "1e-4", "0.5"
        if (!ok)
            return keyError(key, notNumber);
        break;
    }
    default:
        return keyError(key, notNumber);
    }
    if (!std::isfinite(d))
        return keyError(key, describe(value) + QLatin1String(" is not a finite number"));
    return d;
}

Expected<bool> toBoolean(const QString &key, const QVariant &value)
{
    const QString rule =
        describe(value) + QLatin1String(" is not a boolean (use true/false, 1/0 or yes/no)");
    switch (kindOf(value)) {
    case ValueKind::Boolean:
        return value.toBool();
    case ValueKind::Integral:
    case ValueKind::Floating: {
        const double d = value.toDouble();
        if (d == 0.0 || d == 1.0)
            return d == 1.0;
        return keyError(key, rule);
    }
    case ValueKind::String: {
        const QString s = value.toString().trimmed().toLower();
        if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
            return true;
        if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no"))
            return false;
        return keyError(key, rule);
    }
    default:
        return keyError(key, rule);
    }
}

QString formatReal(double d)
{
    return QString::number(d, 'g', 10);
}

Expected<QVariant> checkInteger(const HyperparameterSpec &spec, const QVariant &value)
{
    auto n = toInteger(spec.key, value);
    if (!n)
        return n.error();
    if (spec.minimum.isValid() && *n < spec.minimum.toLongLong())
        return keyError(
            spec.key,
            QStringLiteral("%1 is below the minimum %2").arg(*n).arg(spec.minimum.toLongLong()));
    if (spec.maximum.isValid() && *n > spec.maximum.toLongLong())
        return keyError(
            spec.key,
            QStringLiteral("%1 is above the maximum %2").arg(*n).arg(spec.maximum.toLongLong()));
    return QVariant::fromValue<qint64>(*n);
}

Expected<QVariant> checkReal(const HyperparameterSpec &spec, const QVariant &value)
{
    auto d = toReal(spec.key, value);
    if (!d)
        return d.error();
    if (spec.minimum.isValid() && *d < spec.minimum.toDouble())
        return keyError(spec.key, QStringLiteral("%1 is below the minimum %2")
                                      .arg(formatReal(*d), formatReal(spec.minimum.toDouble())));
    if (spec.maximum.isValid() && *d > spec.maximum.toDouble())
        return keyError(spec.key, QStringLiteral("%1 is above the maximum %2")
                                      .arg(formatReal(*d), formatReal(spec.maximum.toDouble())));
    return QVariant(*d);
}

Expected<QVariant> checkChoice(const HyperparameterSpec &spec, const QVariant &value)
{
    if (kindOf(value) != ValueKind::String)
        return keyError(spec.key, describe(value) + QLatin1String(" is not one of ") +
                                      spec.choices.join(QLatin1String(", ")));
    const QString s = value.toString().trimmed();
    if (!spec.choices.contains(s))
        return keyError(spec.key, describe(value) + QLatin1String(" is not one of ") +
                                      spec.choices.join(QLatin1String(", ")));
    return QVariant(s);
}

Expected<QVariant> checkText(const HyperparameterSpec &spec, const QVariant &value)
{
    switch (kindOf(value)) {
    case ValueKind::String:
        return QVariant(value.toString());
    case ValueKind::Missing:
        return QVariant(QString());
    case ValueKind::Integral:
    case ValueKind::Floating:
    case ValueKind::Boolean:
        return QVariant(value.toString());
    case ValueKind::Other:
        break;
    }
    return keyError(spec.key, describe(value) + QLatin1String(" is not text"));
}

} // namespace

Expected<QVariant> check(const HyperparameterSpec &spec, const QVariant &value)
{
    switch (spec.type) {
    case HyperparameterSpec::Type::Int:
        return checkInteger(spec, value);
    case HyperparameterSpec::Type::Real:
        return checkReal(spec, value);
    case HyperparameterSpec::Type::Bool: {
        auto b = toBoolean(spec.key, value);
        if (!b)
            return b.error();
        return QVariant(*b);
    }
    case HyperparameterSpec::Type::Choice:
        return checkChoice(spec, value);
    case HyperparameterSpec::Type::Text:
        return checkText(spec, value);
    }
    return keyError(spec.key, QStringLiteral("has an unknown type"));
}

QJsonValue toJson(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QJsonValue(QJsonValue::Null);
    return QJsonValue::fromVariant(value);
}

} // namespace twb::hyperparameter
