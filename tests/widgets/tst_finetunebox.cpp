// The fine-tune box of the model panel (issue 19): module prefixes for --freeze from the
// checked tree, the recipes, and the box as the model panel shows it.
#include "widgets/training/FineTuneBox.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace twb;

namespace {

/// The parameters of a small PatchTST-like model (names as named_parameters() gives them).
QList<ParameterEntry> parameters()
{
    QList<ParameterEntry> list;
    for (const char *name :
         {"embedding.weight", "embedding.bias", "encoder.layers.0.attn.in_proj_weight",
          "encoder.layers.0.attn.out_proj.weight", "encoder.layers.1.attn.in_proj_weight",
          "encoder.layers.10.attn.in_proj_weight", "head.linear.weight", "head.linear.bias",
          "scale"})
        list << ParameterEntry{QString::fromLatin1(name), {4, 4}, 16, false};
    return list;
}

QStringList names()
{
    QStringList out;
    for (const ParameterEntry &p : parameters())
        out << p.name;
    return out;
}

FineTuneSource source()
{
    FineTuneSource s;
    s.runDir = QStringLiteral("/runs/patchtst-pretrain");
    s.name = QStringLiteral("patchtst-pretrain");
    s.modelId = QStringLiteral("patchtst");
    s.task = QStringLiteral("pretrain");
    return s;
}

} // namespace

class tst_FineTuneBox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collapsePrefixes_data();
    void collapsePrefixes();
    void hiddenUntilASource();
    void checkedModulesBecomePrefixes();
    void linearProbeFreezesNothingByName();
    void recipesRoundTrip_data();
    void recipesRoundTrip();
    void frozenInTheSourceStartChecked();
    void problemReplacesTheTree();
};

void tst_FineTuneBox::collapsePrefixes_data()
{
    QTest::addColumn<QStringList>("frozen");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("nothing") << QStringList{} << QStringList{};
    QTest::newRow("one module") << QStringList{"embedding.weight", "embedding.bias"}
                                << QStringList{"embedding."};
    QTest::newRow("part of a module")
        << QStringList{"embedding.weight"} << QStringList{"embedding.weight"};
    // layers.1 must not become a prefix that also matches layers.10: the dot ends it.
    QTest::newRow("layer 1 only") << QStringList{"encoder.layers.1.attn.in_proj_weight"}
                                  << QStringList{"encoder.layers.1."};
    QTest::newRow("whole encoder") << QStringList{"encoder.layers.0.attn.in_proj_weight",
                                                  "encoder.layers.0.attn.out_proj.weight",
                                                  "encoder.layers.1.attn.in_proj_weight",
                                                  "encoder.layers.10.attn.in_proj_weight"}
                                   << QStringList{"encoder."};
    QTest::newRow("a top-level tensor") << QStringList{"scale"} << QStringList{"scale"};
    QTest::newRow("all but the head")
        << (names().filter(QRegularExpression(QStringLiteral("^(?!head)"))))
        << QStringList{"embedding.", "encoder.", "scale"};
}

void tst_FineTuneBox::collapsePrefixes()
{
    QFETCH(QStringList, frozen);
    QFETCH(QStringList, expected);
    const QSet<QString> set(frozen.begin(), frozen.end());
    const QStringList prefixes = FineTuneBox::collapsePrefixes(names(), set);
    QCOMPARE(prefixes, expected);
    // The prefixes select exactly the frozen names, as twb-cli's --freeze matches them.
    for (const QString &name : names()) {
        const bool matched = std::any_of(prefixes.begin(), prefixes.end(),
                                         [&](const QString &p) { return name.startsWith(p); });
        QCOMPARE(matched, set.contains(name));
    }
}

void tst_FineTuneBox::hiddenUntilASource()
{
    FineTuneBox box;
    QVERIFY(box.isHidden());
    QVERIFY(!box.hasSource());
    QSignalSpy cleared(&box, &FineTuneBox::cleared);
    box.setSource(source());
    QVERIFY(!box.isHidden());
    QVERIFY(box.hasSource());
    QVERIFY(box.findChild<QLabel *>(QStringLiteral("fineTuneFrom"))
                ->text()
                .contains(QStringLiteral("patchtst-pretrain")));
    QTest::mouseClick(box.findChild<QPushButton *>(QStringLiteral("fineTuneStop")), Qt::LeftButton);
    QCOMPARE(cleared.size(), 1);
    QVERIFY(!box.hasSource());
    QVERIFY(box.isHidden());
}

void tst_FineTuneBox::checkedModulesBecomePrefixes()
{
    FineTuneBox box;
    box.setSource(source());
    // A pretraining run's reconstruction head is not offered: the fine-tune never loads it.
    box.setParameters(
        parameters() +
        QList<ParameterEntry>{{QStringLiteral("pretrain_head.weight"), {12, 16}, 192, false}});
    QCOMPARE(box.freezeTree()->topLevelItemCount(), 4); // embedding, encoder, head, scale
    QVERIFY(box.freezePrefixes().isEmpty());
    QSignalSpy changed(&box, &FineTuneBox::changed);
    QVERIFY(box.setFrozen(QStringLiteral("encoder"), true));
    QVERIFY(changed.size() > 0);
    QCOMPARE(box.freezePrefixes(), QStringList{QStringLiteral("encoder.")});
    // Unchecking one layer leaves the others frozen, each by its own prefix.
    QVERIFY(box.setFrozen(QStringLiteral("encoder.layers.0"), false));
    QCOMPARE(box.freezePrefixes(), (QStringList{QStringLiteral("encoder.layers.1."),
                                                QStringLiteral("encoder.layers.10.")}));
    QVERIFY(box.setFrozen(QStringLiteral("embedding.bias"), true));
    QVERIFY(box.freezePrefixes().contains(QStringLiteral("embedding.bias")));
    QVERIFY(!box.setFrozen(QStringLiteral("decoder"), true));
}

void tst_FineTuneBox::linearProbeFreezesNothingByName()
{
    FineTuneBox box;
    box.setSource(source());
    box.setParameters(parameters());
    QVERIFY(box.setFrozen(QStringLiteral("encoder"), true));
    QVERIFY(box.setRecipe(QStringLiteral("linear-probe")));
    QCOMPARE(box.recipe(), QStringLiteral("linear-probe"));
    QVERIFY(box.freezePrefixes().isEmpty()); // the recipe freezes all but the head
    QVERIFY(!box.freezeTree()->isEnabled());
    QVERIFY(box.setRecipe(QStringLiteral("full")));
    QVERIFY(box.freezeTree()->isEnabled());
    QCOMPARE(box.freezePrefixes(), QStringList{QStringLiteral("encoder.")});
}

void tst_FineTuneBox::recipesRoundTrip_data()
{
    QTest::addColumn<QString>("recipe");
    QTest::addColumn<bool>("known");
    QTest::newRow("full") << "full" << true;
    QTest::newRow("linear probe") << "linear-probe" << true;
    QTest::newRow("head first 5") << "head-first:5" << true;
    QTest::newRow("head first 0") << "head-first:0" << false;
    QTest::newRow("head first text") << "head-first:many" << false;
    QTest::newRow("unknown") << "lora" << false;
}

void tst_FineTuneBox::recipesRoundTrip()
{
    QFETCH(QString, recipe);
    QFETCH(bool, known);
    FineTuneBox box;
    box.setSource(source());
    QCOMPARE(box.setRecipe(recipe), known);
    QCOMPARE(box.recipe(), known ? recipe : QStringLiteral("full"));
}

void tst_FineTuneBox::frozenInTheSourceStartChecked()
{
    QList<ParameterEntry> list = parameters();
    for (ParameterEntry &p : list)
        p.frozen = p.name.startsWith(QLatin1String("embedding."));
    FineTuneBox box;
    box.setSource(source());
    box.setParameters(list);
    QCOMPARE(box.freezePrefixes(), QStringList{QStringLiteral("embedding.")});
}

void tst_FineTuneBox::problemReplacesTheTree()
{
    FineTuneBox box;
    box.setSource(source());
    box.setParameters(parameters());
    box.setParametersProblem(QStringLiteral("twb-cli parameters failed (exit 1): no best.pt"));
    QCOMPARE(box.freezeTree()->topLevelItemCount(), 0);
    QVERIFY(box.findChild<QLabel *>(QStringLiteral("fineTuneTreeNote"))
                ->text()
                .contains(QStringLiteral("no best.pt")));
    QVERIFY(box.freezePrefixes().isEmpty());
}

QTEST_MAIN(tst_FineTuneBox)
#include "tst_finetunebox.moc"
