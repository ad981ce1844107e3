#pragma once

#include "common/Expected.h"
#include "plugin/Hyperparameters.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QFormLayout;
class QLabel;

namespace twb {

/// A form generated from a HyperparameterSchema, one row per hyperparameter in schema order:
///   Int    → QSpinBox with the schema's range when it fits an int, else a QLineEdit
///   Real   → QLineEdit (checked with the schema's own rules, not QDoubleValidator)
///   Bool   → QCheckBox
///   Choice → QComboBox with the choices
///   Text   → QLineEdit
/// Each editor is named "hp_<key>", its label carries the schema's label, both carry the help
/// (with the range or choices and the key) as tooltip. Every edit is validated at once with
/// HyperparameterSchema::validateOne: an invalid field gets a red border and its message in the
/// label "hp_<key>_error" below it; validityChanged() reports the form as a whole.
///
/// The widget copies the schema. Threading: GUI thread only.
class HyperparameterForm : public QWidget
{
    Q_OBJECT

public:
    explicit HyperparameterForm(QWidget *parent = nullptr);
    ~HyperparameterForm() override;

    /// Rebuilds the form for `schema` with its defaults.
    void setSchema(const HyperparameterSchema &schema);
    const HyperparameterSchema &schema() const { return m_schema; }

    /// The validated values of every key (defaults for untouched ones), or the first error.
    Expected<HyperparameterValues> values() const;
    /// The raw values as the editors hold them (strings for line edits).
    QVariantMap rawValues() const;

    /// Sets one editor from a value (any form HyperparameterRules accepts); false for an
    /// unknown key. The field is validated as if typed.
    bool setValue(const QString &key, const QVariant &value);
    /// Every editor back to the schema's default.
    void resetToDefaults();

    bool isValid() const { return m_invalid.isEmpty(); }
    /// One message per invalid field, in schema order ("d_model: 0 is below the minimum 1").
    QStringList errors() const;

Q_SIGNALS:
    /// After any edit (also when the value is invalid).
    void valuesChanged();
    void validityChanged(bool valid);

private:
    struct Field
    {
        HyperparameterSpec spec;
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };

    QWidget *createEditor(const HyperparameterSpec &spec);
    QVariant rawValue(const Field &field) const;
    void setEditorValue(Field &field, const QVariant &value);
    void validateField(Field &field);

    HyperparameterSchema m_schema;
    std::vector<Field> m_fields;
    QStringList m_invalid; ///< keys of the invalid fields
    QFormLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
};

/// The tooltip of a hyperparameter: its help, then its range or choices and its key.
QString hyperparameterToolTip(const HyperparameterSpec &spec);

} // namespace twb
