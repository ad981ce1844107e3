#include "HyperparameterForm.h"

#include "client/TrainRequest.h"
#include "plugin/HyperparameterRules.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace twb {

namespace {

const QString invalidStyle = QStringLiteral("border: 1px solid #d32f2f; border-radius: 2px;");

bool fitsSpinBox(const HyperparameterSpec &spec)
{
    constexpr qint64 lo = std::numeric_limits<int>::min();
    constexpr qint64 hi = std::numeric_limits<int>::max();
    return spec.minimum.isValid() && spec.maximum.isValid() && spec.minimum.toLongLong() >= lo &&
           spec.maximum.toLongLong() <= hi;
}

QString bound(const QVariant &value)
{
    return value.isValid() ? commandLineValue(value) : QStringLiteral("\u221e");
}

} // namespace

QString hyperparameterToolTip(const HyperparameterSpec &spec)
{
    QString tip = spec.help.toHtmlEscaped();
    switch (spec.type) {
    case HyperparameterSpec::Type::Int:
    case HyperparameterSpec::Type::Real:
        if (spec.minimum.isValid() || spec.maximum.isValid())
            tip += QObject::tr("<br>Range: %1 \u2013 %2")
                       .arg(spec.minimum.isValid() ? bound(spec.minimum)
                                                   : QStringLiteral("\u2212\u221e"),
                            bound(spec.maximum));
        break;
    case HyperparameterSpec::Type::Choice:
        tip += QObject::tr("<br>Choices: %1")
                   .arg(spec.choices.join(QLatin1String(", ")).toHtmlEscaped());
        break;
    case HyperparameterSpec::Type::Bool:
    case HyperparameterSpec::Type::Text:
        break;
    }
    tip += QObject::tr("<br>Default: %1<br>Key: <code>%2</code>")
               .arg(commandLineValue(spec.defaultValue).toHtmlEscaped(), spec.key.toHtmlEscaped());
    return tip;
}

HyperparameterForm::HyperparameterForm(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("This model has no hyperparameters."));
    m_empty->setObjectName(QStringLiteral("hpEmpty"));
    outer->addWidget(m_empty);
    m_layout = new QFormLayout;
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(m_layout);
    outer->addStretch(1);
}

HyperparameterForm::~HyperparameterForm() = default;

void HyperparameterForm::setSchema(const HyperparameterSchema &schema)
{
    const bool wasValid = isValid();
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0); // deletes the widgets
    m_fields.clear();
    m_invalid.clear();
    m_schema = schema;

    for (const HyperparameterSpec &spec : m_schema.specs()) {
        Field field;
        field.spec = spec;
        field.editor = createEditor(spec);
        field.editor->setObjectName(QStringLiteral("hp_") + spec.key);
        field.editor->setToolTip(hyperparameterToolTip(spec));
        field.error = new QLabel;
        field.error->setObjectName(QStringLiteral("hp_") + spec.key + QStringLiteral("_error"));
        field.error->setWordWrap(true);
        field.error->setStyleSheet(QStringLiteral("color: #d32f2f;"));
        field.error->hide();

        auto *cell = new QWidget;
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->setSpacing(1);
        cellLayout->addWidget(field.editor);
        cellLayout->addWidget(field.error);
        auto *label = new QLabel(spec.label.isEmpty() ? spec.key : spec.label);
        label->setToolTip(field.editor->toolTip());
        label->setBuddy(field.editor);
        m_layout->addRow(label, cell);
        m_fields.push_back(std::move(field));
    }
    m_empty->setVisible(m_fields.empty());
    resetToDefaults();
    if (wasValid != isValid())
        Q_EMIT validityChanged(isValid());
}

QWidget *HyperparameterForm::createEditor(const HyperparameterSpec &spec)
{
    // Editors look their index up at signal time: m_fields may still grow while building.
    const QString key = spec.key;
    auto onEdit = [this, key] {
        for (Field &f : m_fields)
            if (f.spec.key == key) {
                validateField(f);
                Q_EMIT valuesChanged();
            }
    };
    switch (spec.type) {
    case HyperparameterSpec::Type::Int:
        if (fitsSpinBox(spec)) {
            auto *box = new QSpinBox;
            box->setRange(int(spec.minimum.toLongLong()), int(spec.maximum.toLongLong()));
            box->setAccelerated(true);
            connect(box, &QSpinBox::valueChanged, this, onEdit);
            return box;
        }
        [[fallthrough]];
    case HyperparameterSpec::Type::Real:
    case HyperparameterSpec::Type::Text: {
        auto *edit = new QLineEdit;
        if (spec.type != HyperparameterSpec::Type::Text)
            edit->setPlaceholderText(tr("%1 \u2013 %2")
                                         .arg(spec.minimum.isValid()
                                                  ? bound(spec.minimum)
                                                  : QStringLiteral("\u2212\u221e"),
                                              bound(spec.maximum)));
        connect(edit, &QLineEdit::textChanged, this, onEdit);
        return edit;
    }
    case HyperparameterSpec::Type::Bool: {
        auto *box = new QCheckBox;
        connect(box, &QCheckBox::toggled, this, onEdit);
        return box;
    }
    case HyperparameterSpec::Type::Choice: {
        auto *combo = new QComboBox;
        combo->addItems(spec.choices);
        connect(combo, &QComboBox::currentIndexChanged, this, onEdit);
        return combo;
    }
    }
    return new QWidget;
}

QVariant HyperparameterForm::rawValue(const Field &field) const
{
    if (auto *spin = qobject_cast<QSpinBox *>(field.editor))
        return QVariant::fromValue<qint64>(spin->value());
    if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
        return edit->text();
    if (auto *check = qobject_cast<QCheckBox *>(field.editor))
        return check->isChecked();
    if (auto *combo = qobject_cast<QComboBox *>(field.editor))
        return combo->currentText();
    return {};
}

void HyperparameterForm::setEditorValue(Field &field, const QVariant &value)
{
    if (auto *spin = qobject_cast<QSpinBox *>(field.editor)) {
        const Expected<QVariant> n = hyperparameter::check(field.spec, value);
        if (n)
            spin->setValue(int(n->toLongLong()));
    } else if (auto *edit = qobject_cast<QLineEdit *>(field.editor)) {
        edit->setText(value.metaType().id() == QMetaType::QString ? value.toString()
                                                                  : commandLineValue(value));
    } else if (auto *check = qobject_cast<QCheckBox *>(field.editor)) {
        const Expected<QVariant> b = hyperparameter::check(field.spec, value);
        if (b)
            check->setChecked(b->toBool());
    } else if (auto *combo = qobject_cast<QComboBox *>(field.editor)) {
        combo->setCurrentIndex(combo->findText(value.toString().trimmed()));
    }
    validateField(field);
}

void HyperparameterForm::validateField(Field &field)
{
    const bool wasValid = isValid();
    const Expected<QVariant> checked = hyperparameter::check(field.spec, rawValue(field));
    m_invalid.removeAll(field.spec.key);
    if (checked) {
        field.error->hide();
        field.error->clear();
        field.editor->setStyleSheet(QString());
    } else {
        m_invalid << field.spec.key;
        field.error->setText(checked.error().reason);
        field.error->show();
        field.editor->setStyleSheet(invalidStyle);
    }
    if (wasValid != isValid())
        Q_EMIT validityChanged(isValid());
}

Expected<HyperparameterValues> HyperparameterForm::values() const
{
    return m_schema.validate(rawValues());
}

QVariantMap HyperparameterForm::rawValues() const
{
    QVariantMap raw;
    for (const Field &f : m_fields)
        raw.insert(f.spec.key, rawValue(f));
    return raw;
}

bool HyperparameterForm::setValue(const QString &key, const QVariant &value)
{
    for (Field &f : m_fields)
        if (f.spec.key == key) {
            {
                const QSignalBlocker blocker(f.editor); // one valuesChanged, below
                setEditorValue(f, value);
            }
            Q_EMIT valuesChanged();
            return true;
        }
    return false;
}

void HyperparameterForm::resetToDefaults()
{
    for (Field &f : m_fields) {
        const QSignalBlocker blocker(f.editor);
        setEditorValue(f, f.spec.defaultValue);
    }
    Q_EMIT valuesChanged();
}

QStringList HyperparameterForm::errors() const
{
    QStringList out;
    for (const Field &f : m_fields)
        if (m_invalid.contains(f.spec.key))
            out << f.error->text();
    return out;
}

} // namespace twb
