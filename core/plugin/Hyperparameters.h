#pragma once

#include "common/Expected.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <initializer_list>
#include <vector>

namespace twb {

/// One typed hyperparameter of a model: the GUI builds its form from these, the CLI validates
/// `--set key=value` against them. Keys are stable lowercase snake_case ("d_model").
struct HyperparameterSpec
{
    enum class Type { Int, Real, Bool, Choice, Text };

    QString key;
    QString label; ///< display name, e.g. "Model width"
    Type type = Type::Int;
    QVariant defaultValue;
    QVariant minimum;    ///< Int/Real only; invalid QVariant = unbounded
    QVariant maximum;    ///< Int/Real only; invalid QVariant = unbounded
    QStringList choices; ///< Choice only
    QString help;        ///< one or two sentences, shown as a tooltip and in `twb-cli models`

    static HyperparameterSpec integer(QString key, QString label, qint64 def, qint64 min,
                                      qint64 max, QString help);
    static HyperparameterSpec real(QString key, QString label, double def, double min, double max,
                                   QString help);
    static HyperparameterSpec boolean(QString key, QString label, bool def, QString help);
    static HyperparameterSpec choice(QString key, QString label, QStringList choices, QString def,
                                     QString help);
};

QString hyperparameterTypeName(HyperparameterSpec::Type type);

/// Validated values: every key of the schema present with its declared type.
/// Obtained only from HyperparameterSchema::validate, so the getters cannot fail for keys of
/// the schema (asking for an unknown key is a programming error: it throws std::out_of_range).
class HyperparameterValues
{
public:
    HyperparameterValues() = default;

    qint64 integer(const QString &key) const;
    double real(const QString &key) const;
    bool boolean(const QString &key) const;
    QString text(const QString &key) const; ///< Choice and Text

    const QVariantMap &map() const { return m_values; }
    QJsonObject toJson() const;

private:
    friend class HyperparameterSchema;
    QVariantMap m_values;
};

/// The ordered, typed list of a model's hyperparameters with one validation function.
class HyperparameterSchema
{
public:
    HyperparameterSchema() = default;
    HyperparameterSchema(std::vector<HyperparameterSpec> specs)
        : m_specs(std::move(specs))
    {}
    /// The specs of `parts`, one part after the other: a model's own hyperparameters around
    /// shared ones such as encoderHyperparameters() (EncoderHyperparameters.h).
    static HyperparameterSchema
    concat(std::initializer_list<std::vector<HyperparameterSpec>> parts);

    const std::vector<HyperparameterSpec> &specs() const { return m_specs; }
    const HyperparameterSpec *find(const QString &key) const;

    /// Checks one value (a QVariant of any type convertible to the declared one, including a
    /// string as typed on a command line) and converts it. Error names the key and the rule.
    Expected<QVariant> validateOne(const QString &key, const QVariant &value) const;

    /// Fills defaults for missing keys, converts and range-checks every value. Unknown keys
    /// are an error (a typo must not be silently ignored).
    Expected<HyperparameterValues> validate(const QVariantMap &values) const;

    /// Parses "key=value" as given to `--set`.
    static Expected<std::pair<QString, QString>> parseAssignment(const QString &assignment);

    /// [{"key","label","type","default","min","max","choices","help"}...]
    QJsonArray toJson() const;

private:
    std::vector<HyperparameterSpec> m_specs;
};

} // namespace twb
