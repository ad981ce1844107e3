#include "widgets/training/HyperparameterForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace twb;

class tst_HyperparameterForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsTheRightEditors();
    void validatesAsYouType();
    void integerBeyondIntRangeIsALineEdit();
    void valuesAndReset();
    void emptySchema();

private:
    static HyperparameterSchema schema();
};

HyperparameterSchema tst_HyperparameterForm::schema()
{
    using Spec = HyperparameterSpec;
    Spec text;
    text.key = QStringLiteral("note");
    text.label = QStringLiteral("Note");
    text.type = Spec::Type::Text;
    text.defaultValue = QStringLiteral("hello");
    text.help = QStringLiteral("Free text.");
    return HyperparameterSchema(
        {Spec::integer(QStringLiteral("d_model"), QStringLiteral("Model width"), 16, 1, 512,
                       QStringLiteral("Width of a token.")),
         Spec::real(QStringLiteral("dropout"), QStringLiteral("Dropout"), 0.1, 0.0, 0.9,
                    QStringLiteral("Dropout probability.")),
         Spec::boolean(QStringLiteral("revin"), QStringLiteral("RevIN"), true,
                       QStringLiteral("Normalise each window.")),
         Spec::choice(QStringLiteral("variant"), QStringLiteral("Variant"),
                      {QStringLiteral("dlinear"), QStringLiteral("nlinear")},
                      QStringLiteral("nlinear"), QStringLiteral("Which variant.")),
         text});
}

void tst_HyperparameterForm::buildsTheRightEditors()
{
    HyperparameterForm form;
    form.setSchema(schema());
    form.show();

    auto *dModel = form.findChild<QSpinBox *>(QStringLiteral("hp_d_model"));
    QVERIFY(dModel);
    QCOMPARE(dModel->minimum(), 1);
    QCOMPARE(dModel->maximum(), 512);
    QCOMPARE(dModel->value(), 16);
    QVERIFY(dModel->toolTip().contains(QLatin1String("Width of a token.")));
    QVERIFY2(dModel->toolTip().contains(QStringLiteral("Range: 1 \u2013 512")),
             qPrintable(dModel->toolTip()));
    QVERIFY(dModel->toolTip().contains(QLatin1String("<code>d_model</code>")));

    auto *dropout = form.findChild<QLineEdit *>(QStringLiteral("hp_dropout"));
    QVERIFY(dropout);
    QCOMPARE(dropout->text(), QStringLiteral("0.1"));
    QCOMPARE(dropout->placeholderText(), QStringLiteral("0 \u2013 0.9"));
    QVERIFY(dropout->toolTip().contains(QLatin1String("Dropout probability.")));
    QVERIFY(dropout->toolTip().contains(QStringLiteral("Range: 0 \u2013 0.9")));

    auto *revin = form.findChild<QCheckBox *>(QStringLiteral("hp_revin"));
    QVERIFY(revin);
    QVERIFY(revin->isChecked());
    QVERIFY(revin->toolTip().contains(QLatin1String("Normalise each window.")));

    auto *variant = form.findChild<QComboBox *>(QStringLiteral("hp_variant"));
    QVERIFY(variant);
    QCOMPARE(variant->count(), 2);
    QCOMPARE(variant->itemText(0), QStringLiteral("dlinear"));
    QCOMPARE(variant->itemText(1), QStringLiteral("nlinear"));
    QCOMPARE(variant->currentText(), QStringLiteral("nlinear"));
    QVERIFY(variant->toolTip().contains(QLatin1String("Choices: dlinear, nlinear")));

    auto *note = form.findChild<QLineEdit *>(QStringLiteral("hp_note"));
    QVERIFY(note);
    QCOMPARE(note->text(), QStringLiteral("hello"));

    // Labels in schema order, carrying the same tooltip, with the editor as buddy.
    const QList<QLabel *> labels = form.findChildren<QLabel *>();
    QStringList texts;
    for (QLabel *l : labels)
        if (l->buddy()) {
            texts << l->text();
            QCOMPARE(l->toolTip(), l->buddy()->toolTip());
        }
    QCOMPARE(texts, QStringList({"Model width", "Dropout", "RevIN", "Variant", "Note"}));
    QVERIFY(form.isValid());
    QVERIFY(form.errors().isEmpty());
}

void tst_HyperparameterForm::validatesAsYouType()
{
    HyperparameterForm form;
    form.setSchema(schema());
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QSignalSpy validity(&form, &HyperparameterForm::validityChanged);
    auto *dropout = form.findChild<QLineEdit *>(QStringLiteral("hp_dropout"));
    auto *error = form.findChild<QLabel *>(QStringLiteral("hp_dropout_error"));
    QVERIFY(dropout && error);
    QVERIFY(error->isHidden());

    dropout->selectAll();
    QTest::keyClicks(dropout, QStringLiteral("0.95")); // above the maximum 0.9
    QVERIFY(!form.isValid());
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("dropout: 0.95 is above the maximum 0.9"));
    QCOMPARE(form.errors(), QStringList{error->text()});
    QVERIFY(dropout->styleSheet().contains(QLatin1String("border")));
    QVERIFY(!form.values());
    QCOMPARE(form.values().error().reason, error->text());
    QCOMPARE(validity.size(), 1);
    QCOMPARE(validity.last().at(0).toBool(), false);

    // Each keystroke is checked: one backspace gives "0.9", in range again.
    QTest::keyClick(dropout, Qt::Key_Backspace);
    QCOMPARE(dropout->text(), QStringLiteral("0.9"));
    QVERIFY(form.isValid());
    QVERIFY(error->isHidden());
    QVERIFY(dropout->styleSheet().isEmpty());
    QCOMPARE(validity.size(), 2);
    QCOMPARE(validity.last().at(0).toBool(), true);

    // Text that is no number, with the rule's own message.
    dropout->selectAll();
    QTest::keyClicks(dropout, QStringLiteral("abc"));
    QCOMPARE(error->text(), QStringLiteral("dropout: \"abc\" is not a number"));
    dropout->selectAll();
    QTest::keyClicks(dropout, QStringLiteral("1e-2"));
    QVERIFY(form.isValid());
    QCOMPARE(form.values()->real(QStringLiteral("dropout")), 0.01);
}

void tst_HyperparameterForm::integerBeyondIntRangeIsALineEdit()
{
    HyperparameterForm form;
    form.setSchema(HyperparameterSchema(
        {HyperparameterSpec::integer(QStringLiteral("steps"), QStringLiteral("Steps"), 10, 0,
                                     qint64(1) << 40, QStringLiteral("Many."))}));
    auto *steps = form.findChild<QLineEdit *>(QStringLiteral("hp_steps"));
    QVERIFY(steps);
    QCOMPARE(steps->text(), QStringLiteral("10"));
    steps->setText(QStringLiteral("2.5"));
    QVERIFY(!form.isValid());
    QCOMPARE(form.errors(), QStringList{QStringLiteral("steps: \"2.5\" is not an integer")});
    steps->setText(QStringLiteral("2000000000000"));
    QCOMPARE(form.errors(), QStringList{QStringLiteral(
                                "steps: 2000000000000 is above the maximum 1099511627776")});
    steps->setText(QStringLiteral("1099511627776"));
    QVERIFY(form.isValid());
    QCOMPARE(form.values()->integer(QStringLiteral("steps")), qint64(1) << 40);
}

void tst_HyperparameterForm::valuesAndReset()
{
    HyperparameterForm form;
    form.setSchema(schema());
    Expected<HyperparameterValues> defaults = form.values();
    QVERIFY(defaults);
    QCOMPARE(defaults->integer(QStringLiteral("d_model")), 16);
    QCOMPARE(defaults->real(QStringLiteral("dropout")), 0.1);
    QCOMPARE(defaults->boolean(QStringLiteral("revin")), true);
    QCOMPARE(defaults->text(QStringLiteral("variant")), QStringLiteral("nlinear"));
    QCOMPARE(defaults->text(QStringLiteral("note")), QStringLiteral("hello"));

    QSignalSpy changed(&form, &HyperparameterForm::valuesChanged);
    form.findChild<QSpinBox *>(QStringLiteral("hp_d_model"))->setValue(128);
    form.findChild<QCheckBox *>(QStringLiteral("hp_revin"))->setChecked(false);
    form.findChild<QComboBox *>(QStringLiteral("hp_variant"))->setCurrentIndex(0);
    QVERIFY(form.setValue(QStringLiteral("dropout"), 0.25));
    QVERIFY(!form.setValue(QStringLiteral("nope"), 1));
    QCOMPARE(changed.size(), 4);
    Expected<HyperparameterValues> edited = form.values();
    QVERIFY(edited);
    QCOMPARE(edited->integer(QStringLiteral("d_model")), 128);
    QCOMPARE(edited->real(QStringLiteral("dropout")), 0.25);
    QCOMPARE(edited->boolean(QStringLiteral("revin")), false);
    QCOMPARE(edited->text(QStringLiteral("variant")), QStringLiteral("dlinear"));

    form.findChild<QLineEdit *>(QStringLiteral("hp_dropout"))->setText(QStringLiteral("-1"));
    QVERIFY(!form.isValid());
    form.resetToDefaults();
    QVERIFY(form.isValid());
    QCOMPARE(form.values()->map(), defaults->map());
    QVERIFY(form.findChild<QLabel *>(QStringLiteral("hp_dropout_error"))->isHidden());
}

void tst_HyperparameterForm::emptySchema()
{
    HyperparameterForm form;
    form.setSchema(schema());
    form.setSchema(HyperparameterSchema());
    QVERIFY(!form.findChild<QLineEdit *>(QStringLiteral("hp_dropout")));
    QVERIFY(form.isValid());
    QVERIFY(form.values());
    QVERIFY(form.values()->map().isEmpty());
    QVERIFY(!form.findChild<QLabel *>(QStringLiteral("hpEmpty"))->isHidden());
}

QTEST_MAIN(tst_HyperparameterForm)
#include "tst_hyperparameterform.moc"
