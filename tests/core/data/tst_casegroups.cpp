#include "data/CaseGroups.h"

#include <QTest>

#include <set>

using namespace twb;

namespace {

/// FSDD-like names: digits 0..classes-1 said by each speaker `takes` times.
LabelledDataset fsddLike(const QStringList &speakers, int classes, int takes)
{
    LabelledDataset data;
    data.sourcePath = QStringLiteral("recordings");
    data.channelNames = {QStringLiteral("audio")};
    for (int k = 0; k < classes; ++k)
        data.classNames << QString::number(k);
    for (const QString &speaker : speakers)
        for (int k = 0; k < classes; ++k)
            for (int t = 0; t < takes; ++t) {
                LabelledCase c;
                c.values = {float(k)};
                c.length = 1;
                c.label = k;
                c.source = QStringLiteral("%1_%2_%3.wav").arg(k).arg(speaker).arg(t);
                data.cases.push_back(c);
            }
    return data;
}

std::set<QString> groupsIn(const QStringList &groups, const std::vector<std::int64_t> &part)
{
    std::set<QString> out;
    for (std::int64_t i : part)
        out.insert(groups.at(qsizetype(i)));
    return out;
}

std::vector<std::int64_t> all(const LabelledDataset &data)
{
    std::vector<std::int64_t> v(std::size_t(data.size()));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = std::int64_t(i);
    return v;
}

const QStringList kSpeakers = {QStringLiteral("george"), QStringLiteral("jackson"),
                               QStringLiteral("nicolas"), QStringLiteral("theo"),
                               QStringLiteral("yweweler")};

} // namespace

class TestCaseGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesTheRules()
    {
        QCOMPARE(GroupRule::parse(QString())->kind, GroupRule::Kind::None);
        const auto speaker = GroupRule::parse(QStringLiteral("speaker"));
        QVERIFY(speaker);
        QCOMPARE(speaker->kind, GroupRule::Kind::Field);
        QCOMPARE(speaker->field, 2);
        QCOMPARE(GroupRule::parse(QStringLiteral("field:3"))->field, 3);
        QCOMPARE(GroupRule::parse(QStringLiteral("manifest"))->kind, GroupRule::Kind::Manifest);
        QCOMPARE(GroupRule::parse(QStringLiteral("regex:^(\\w+)/"))->kind, GroupRule::Kind::Regex);
        for (const char *bad : {"speakers", "field:0", "field:x", "regex:(", "regex:"}) {
            const auto rule = GroupRule::parse(QLatin1String(bad));
            QVERIFY2(!rule, bad);
            QVERIFY(rule.error().reason.contains(QLatin1String("group-by")));
        }
    }

    void extractsGroupsFromNames()
    {
        LabelledDataset data = fsddLike({QStringLiteral("jackson")}, 2, 1);
        data.cases[1].source = QStringLiteral("sub/7_theo_32.wav");
        const auto groups = caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        QVERIFY(groups);
        QCOMPARE(*groups, QStringList({QStringLiteral("jackson"), QStringLiteral("theo")}));
        const auto takes = caseGroups(data, *GroupRule::parse(QStringLiteral("field:3")));
        QCOMPARE(*takes, QStringList({QStringLiteral("0"), QStringLiteral("32")}));
        // A .ts case "file:line" drops the line and the extension.
        data.cases[0].source = QStringLiteral("Sub_A_TRAIN.ts:17");
        QCOMPARE(caseGroups(data, *GroupRule::parse(QStringLiteral("field:2")))->at(0),
                 QStringLiteral("A"));
    }

    void extractsGroupsFromPathsAndManifests()
    {
        LabelledDataset data = fsddLike({QStringLiteral("x")}, 2, 1);
        data.cases[0].source = QStringLiteral("speakers/ann/a.wav");
        data.cases[1].source = QStringLiteral("speakers/bob/b.wav");
        const auto byFolder =
            caseGroups(data, *GroupRule::parse(QStringLiteral("regex:speakers/([^/]+)/")));
        QVERIFY(byFolder);
        QCOMPARE(*byFolder, QStringList({QStringLiteral("ann"), QStringLiteral("bob")}));
        data.cases[0].group = QStringLiteral("s1");
        data.cases[1].group = QStringLiteral(" s2 ");
        QCOMPARE(*caseGroups(data, *GroupRule::parse(QStringLiteral("manifest"))),
                 QStringList({QStringLiteral("s1"), QStringLiteral("s2")}));
    }

    void aCaseWithoutAGroupIsNamed()
    {
        LabelledDataset data = fsddLike({QStringLiteral("x")}, 2, 1);
        data.cases[1].source = QStringLiteral("nounderscore.wav");
        const auto groups = caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        QVERIFY(!groups);
        QVERIFY(groups.error().reason.contains(QLatin1String("nounderscore.wav")));
        QCOMPARE(groups.error().file, QStringLiteral("recordings"));
        QVERIFY(!caseGroups(data, *GroupRule::parse(QStringLiteral("manifest"))));
        QVERIFY(!caseGroups(data, *GroupRule::parse(QStringLiteral("regex:zzz(\\d)"))));
    }

    void namedTestGroupsAreHeldOutWhole()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 10, 5);
        const QStringList groups = *caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        GroupSplitOptions options;
        options.testGroups = {QStringLiteral("theo")};
        options.valFraction = 0.1;
        const auto split = groupSplit(data, groups, all(data), options);
        QVERIFY(split);
        QCOMPARE(groupsIn(groups, split->indices.test), std::set<QString>{QStringLiteral("theo")});
        QCOMPARE(split->indices.test.size(), std::size_t(50));
        // Four groups remain: one is drawn whole for validation, three train.
        QCOMPARE(split->validationGroups.size(), 1);
        QCOMPARE(split->trainGroups.size(), 3);
        QVERIFY(!split->validationByCases);
        const auto train = groupsIn(groups, split->indices.train);
        const auto val = groupsIn(groups, split->indices.validation);
        const auto test = groupsIn(groups, split->indices.test);
        for (const QString &g : val) {
            QVERIFY(!train.count(g));
            QVERIFY(!test.count(g));
        }
        for (const QString &g : train)
            QVERIFY(!test.count(g));
        QCOMPARE(split->indices.train.size() + split->indices.validation.size() +
                     split->indices.test.size(),
                 std::size_t(data.size()));
    }

    void validationByCasesSharesTrainingGroupsOnly()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 10, 10);
        const QStringList groups = *caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        GroupSplitOptions options;
        options.testGroups = {QStringLiteral("george")};
        options.valByGroups = false;
        options.valFraction = 0.1;
        const auto split = groupSplit(data, groups, all(data), options);
        QVERIFY(split);
        QVERIFY(split->validationByCases);
        QCOMPARE(split->indices.validation.size(), std::size_t(40)); // 10 % of 400, per class
        QVERIFY(!groupsIn(groups, split->indices.validation).count(QStringLiteral("george")));
        QVERIFY(!groupsIn(groups, split->indices.train).count(QStringLiteral("george")));
    }

    void drawnGroupsAreSeededAndDisjoint()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 3, 4);
        const QStringList groups = *caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        GroupSplitOptions options;
        options.testFraction = 0.2;
        options.seed = 7;
        const auto a = groupSplit(data, groups, all(data), options);
        const auto b = groupSplit(data, groups, all(data), options);
        QVERIFY(a && b);
        QCOMPARE(a->testGroups, b->testGroups);
        QCOMPARE(a->indices.train, b->indices.train);
        QCOMPARE(a->testGroups.size(), 1);
        QVERIFY(groupsIn(groups, a->indices.test).size() == 1);
        std::set<QString> seen;
        for (const QStringList *part : {&a->trainGroups, &a->validationGroups, &a->testGroups})
            for (const QString &g : *part)
                QVERIFY2(seen.insert(g).second, qPrintable(g)); // no group in two parts
        QCOMPARE(seen.size(), std::size_t(5));
    }

    void givenTestPartSplitsOnlyValidation()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 2, 2);
        const QStringList groups = *caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        std::vector<std::int64_t> candidates;
        for (std::int64_t i = 0; i < data.size(); ++i)
            if (groups.at(qsizetype(i)) != QLatin1String("yweweler"))
                candidates.push_back(i);
        GroupSplitOptions options;
        options.testGiven = true;
        const auto split = groupSplit(data, groups, candidates, options);
        QVERIFY(split);
        QVERIFY(split->indices.test.empty());
        QCOMPARE(split->indices.train.size() + split->indices.validation.size(), candidates.size());
    }

    void badGroupNamesAreRefused()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 2, 2);
        const QStringList groups = *caseGroups(data, *GroupRule::parse(QStringLiteral("speaker")));
        GroupSplitOptions options;
        options.testGroups = {QStringLiteral("georg")};
        auto split = groupSplit(data, groups, all(data), options);
        QVERIFY(!split);
        QVERIFY(split.error().reason.contains(QLatin1String("\"georg\" is not one of the 5")));
        QVERIFY(split.error().reason.contains(QLatin1String("george, jackson")));
        options.testGroups = {QStringLiteral("theo")};
        options.valGroups = {QStringLiteral("theo")};
        split = groupSplit(data, groups, all(data), options);
        QVERIFY(!split);
        QVERIFY(split.error().reason.contains(QLatin1String("both test and validation")));
        options.testGroups = {QStringLiteral("george"), QStringLiteral("jackson"),
                              QStringLiteral("nicolas")};
        options.valGroups = {QStringLiteral("theo"), QStringLiteral("yweweler")};
        split = groupSplit(data, groups, all(data), options);
        QVERIFY(!split);
        QVERIFY(split.error().reason.contains(QLatin1String("no group is left for training")));
        const LabelledDataset one = fsddLike({QStringLiteral("solo")}, 2, 2);
        split = groupSplit(one, *caseGroups(one, *GroupRule::parse(QStringLiteral("speaker"))),
                           all(one), {});
        QVERIFY(!split);
        QVERIFY(split.error().reason.contains(QLatin1String("at least two groups")));
    }

    void stratifiedFoldsCoverEveryCaseOnceAndEvenly()
    {
        const LabelledDataset data = fsddLike(kSpeakers, 3, 4); // 60 cases, 20 per class
        const auto folds = stratifiedFolds(data, 5, 11);
        QVERIFY(folds);
        QCOMPARE(folds->size(), std::size_t(60));
        std::vector<std::vector<int>> perFoldClass(5, std::vector<int>(3, 0));
        for (std::size_t i = 0; i < folds->size(); ++i) {
            QVERIFY((*folds)[i] >= 0 && (*folds)[i] < 5);
            ++perFoldClass[std::size_t((*folds)[i])][std::size_t(data.cases[i].label)];
        }
        for (const auto &counts : perFoldClass)
            for (int n : counts)
                QCOMPARE(n, 4); // every class spread evenly over the folds
        QCOMPARE(*stratifiedFolds(data, 5, 11), *folds);
        QVERIFY(*stratifiedFolds(data, 5, 12) != *folds);
        QVERIFY(!stratifiedFolds(data, 1, 11));
        QVERIFY(!stratifiedFolds(data, 61, 11));
    }
};

QTEST_GUILESS_MAIN(TestCaseGroups)
#include "tst_casegroups.moc"
