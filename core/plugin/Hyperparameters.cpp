#include "Hyperparameters.h"

#include "HyperparameterRules.h"

#include <QMetaType>

#include <stdexcept>

namespace twb {

HyperparameterSpec HyperparameterSpec::integer(QString key, QString label, qint64 def, qint64 min,
                                               qint64 max, QString help)
{
    HyperparameterSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.type = Type::Int;
    s.defaultValue = QVariant::fromValue<qint64>(def);
    s.minimum = QVariant::fromValue<qint64>(min);
    s.maximum = QVariant::fromValue<qint64>(max);
    s.help = std::move(help);
    return s;
}

HyperparameterSpec HyperparameterSpec::real(QString key, QString label, double def, double min,
                                            double max, QString help)
{
    HyperparameterSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.type = Type::Real;
    s.defaultValue = def;
    s.minimum = min;
    s.maximum = max;
    s.help = std::move(help);
    return s;
}

HyperparameterSpec HyperparameterSpec::boolean(QString key, QString label, bool def, QString help)
{
    HyperparameterSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.type = Type::Bool;
    s.defaultValue = def;
    s.help = std::move(help);
    return s;
}

HyperparameterSpec HyperparameterSpec::choice(QString key, QString label, QStringList choices,
                                              QString def, QString help)
{
    HyperparameterSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.type = Type::Choice;
    s.choices = std::move(choices);
    s.defaultValue = std::move(def);
    s.help = std::move(help);
    return s;
}

QString hyperparameterTypeName(HyperparameterSpec::Type type)
{
    switch (type) {
    case HyperparameterSpec::Type::Int:
        return QStringLiteral("int");
    case HyperparameterSpec::Type::Real:
        return QStringLiteral("real");
    case HyperparameterSpec::Type::Bool:
        return QStringLiteral("bool");
    case HyperparameterSpec::Type::Choice:
        return QStringLiteral("choice");
    case HyperparameterSpec::Type::Text:
        return QStringLiteral("text");
    }
    return {};
}

// ---- HyperparameterValues ------------------------------------------------------------------

namespace {

const QVariant &lookup(const QVariantMap &values, const QString &key, int metaTypeId,
                       const char *getter)
{
    const auto it = values.constFind(key);
    if (it == values.constEnd())
        throw std::out_of_range("HyperparameterValues: unknown key \"" + key.toStdString() + "\"");
    if (it->metaType().id() != metaTypeId)
        throw std::out_of_range("HyperparameterValues::" + std::string(getter) + ": \"" +
                                key.toStdString() + "\" holds a " + std::string(it->typeName()));
    return *it;
}

} // namespace

qint64 HyperparameterValues::integer(const QString &key) const
{
    return lookup(m_values, key, QMetaType::LongLong, "integer").toLongLong();
}

double HyperparameterValues::real(const QString &key) const
{
    // An Int hyperparameter may be read as a real (lossless for the ranges models use).
    const auto it = m_values.constFind(key);
    if (it != m_values.constEnd() && it->metaType().id() == QMetaType::LongLong)
        return double(it->toLongLong());
    return lookup(m_values, key, QMetaType::Double, "real").toDouble();
}

bool HyperparameterValues::boolean(const QString &key) const
{
    return lookup(m_values, key, QMetaType::Bool, "boolean").toBool();
}

QString HyperparameterValues::text(const QString &key) const
{
    return lookup(m_values, key, QMetaType::QString, "text").toString();
}

QJsonObject HyperparameterValues::toJson() const
{
    QJsonObject o;
    for (auto it = m_values.constBegin(); it != m_values.constEnd(); ++it)
        o.insert(it.key(), hyperparameter::toJson(it.value()));
    return o;
}

// ---- HyperparameterSchema ------------------------------------------------------------------

HyperparameterSchema
HyperparameterSchema::concat(std::initializer_list<std::vector<HyperparameterSpec>> parts)
{
    std::vector<HyperparameterSpec> specs;
    for (const std::vector<HyperparameterSpec> &part : parts)
        specs.insert(specs.end(), part.begin(), part.end());
    return HyperparameterSchema(std::move(specs));
}

const HyperparameterSpec *HyperparameterSchema::find(const QString &key) const
{
    for (const HyperparameterSpec &s : m_specs)
        if (s.key == key)
            return &s;
    return nullptr;
}

Expected<QVariant> HyperparameterSchema::validateOne(const QString &key,
                                                     const QVariant &value) const
{
    const HyperparameterSpec *spec = find(key);
    if (!spec) {
        QStringList keys;
        for (const HyperparameterSpec &s : m_specs)
            keys << s.key;
        return Error{
            QStringLiteral("unknown hyperparameter \"%1\" (valid keys: %2)")
                .arg(key, keys.isEmpty() ? QStringLiteral("none") : keys.join(QLatin1String(", "))),
            {},
            0};
    }
    return hyperparameter::check(*spec, value);
}

Expected<HyperparameterValues> HyperparameterSchema::validate(const QVariantMap &values) const
{
    QStringList unknown;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        if (!find(it.key()))
            unknown << QLatin1Char('"') + it.key() + QLatin1Char('"');
    if (!unknown.isEmpty()) {
        QStringList keys;
        for (const HyperparameterSpec &s : m_specs)
            keys << s.key;
        return Error{
            QStringLiteral("unknown hyperparameter%1 %2 (valid keys: %3)")
                .arg(unknown.size() > 1 ? QStringLiteral("s") : QString(),
                     unknown.join(QLatin1String(", ")),
                     keys.isEmpty() ? QStringLiteral("none") : keys.join(QLatin1String(", "))),
            {},
            0};
    }

    HyperparameterValues result;
    for (const HyperparameterSpec &spec : m_specs) {
        const auto given = values.constFind(spec.key);
        const bool isDefault = given == values.constEnd();
        auto checked = validateOne(spec.key, isDefault ? spec.defaultValue : given.value());
        if (!checked) {
            Error e = checked.error();
            if (isDefault)
                e.reason = QLatin1String("the model's default is invalid: ") + e.reason;
            return e;
        }
        result.m_values.insert(spec.key, *checked);
    }
    return result;
}

Expected<std::pair<QString, QString>>
HyperparameterSchema::parseAssignment(const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    if (eq < 0)
        return Error{QStringLiteral("expected key=value, got \"%1\"").arg(assignment), {}, 0};
    const QString key = assignment.left(eq).trimmed();
    if (key.isEmpty())
        return Error{QStringLiteral("missing key before '=' in \"%1\"").arg(assignment), {}, 0};
    for (QChar c : key)
        if (c.isSpace())
            return Error{QStringLiteral("key \"%1\" contains a space").arg(key), {}, 0};
    return std::pair<QString, QString>(key, assignment.mid(eq + 1).trimmed());
}

QJsonArray HyperparameterSchema::toJson() const
{
    QJsonArray array;
    for (const HyperparameterSpec &s : m_specs) {
        QJsonObject o;
        o.insert(QLatin1String("key"), s.key);
        o.insert(QLatin1String("label"), s.label);
        o.insert(QLatin1String("type"), hyperparameterTypeName(s.type));
        o.insert(QLatin1String("default"), hyperparameter::toJson(s.defaultValue));
        o.insert(QLatin1String("min"), hyperparameter::toJson(s.minimum));
        o.insert(QLatin1String("max"), hyperparameter::toJson(s.maximum));
        o.insert(QLatin1String("choices"), QJsonArray::fromStringList(s.choices));
        o.insert(QLatin1String("help"), s.help);
        array.append(o);
    }
    return array;
}

} // namespace twb
