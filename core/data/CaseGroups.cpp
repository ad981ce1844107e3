#include "CaseGroups.h"

#include <QMap>
#include <QRegularExpression>

#include <algorithm>
#include <random>

namespace twb {

namespace {

/// "dir/7_jackson_32.wav" -> "7_jackson_32"; "GunPoint_TRAIN.ts:17" -> "GunPoint_TRAIN".
QString baseName(const QString &source)
{
    QString name = source.section(QLatin1Char('/'), -1);
    if (const qsizetype colon = name.lastIndexOf(QLatin1Char(':')); colon > 0)
        name.truncate(colon);
    if (const qsizetype dot = name.lastIndexOf(QLatin1Char('.')); dot > 0)
        name.truncate(dot);
    return name;
}

QString listed(const QStringList &names)
{
    const qsizetype shown = std::min<qsizetype>(names.size(), 12);
    QString text = names.mid(0, shown).join(QStringLiteral(", "));
    if (names.size() > shown)
        text += QStringLiteral(", ... (%1 in all)").arg(names.size());
    return text;
}

/// Groups drawn from `pool` (shuffled by `engine`) until they hold `wanted` cases or only
/// `keep` groups would be left; at least one group is drawn.
QStringList drawGroups(const QStringList &pool, const QMap<QString, std::int64_t> &sizes,
                       double wanted, qsizetype keep, std::mt19937_64 &engine)
{
    std::vector<std::int64_t> order(std::size_t(pool.size()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = std::int64_t(i);
    seededShuffle(order, engine);
    QStringList drawn;
    std::int64_t cases = 0;
    for (std::int64_t at : order) {
        if (!drawn.isEmpty() && (double(cases) >= wanted || pool.size() - drawn.size() <= keep))
            break;
        drawn << pool.at(qsizetype(at));
        cases += sizes.value(drawn.last());
    }
    drawn.sort();
    return drawn;
}

} // namespace

Expected<GroupRule> GroupRule::parse(const QString &spec)
{
    GroupRule rule;
    const QString text = spec.trimmed();
    if (text.isEmpty())
        return rule;
    if (text == QLatin1String("speaker")) {
        rule.kind = Kind::Field;
        rule.field = 2;
        return rule;
    }
    if (text == QLatin1String("manifest")) {
        rule.kind = Kind::Manifest;
        return rule;
    }
    if (text.startsWith(QLatin1String("field:"))) {
        bool ok = false;
        rule.field = text.mid(6).toInt(&ok);
        if (ok && rule.field >= 1 && rule.field <= 64) {
            rule.kind = Kind::Field;
            return rule;
        }
    } else if (text.startsWith(QLatin1String("regex:"))) {
        rule.pattern = text.mid(6);
        const QRegularExpression re(rule.pattern);
        if (rule.pattern.isEmpty() || !re.isValid())
            return Error{QStringLiteral("group-by \"%1\": not a valid regular expression (%2)")
                             .arg(spec, re.errorString()),
                         {},
                         0};
        rule.kind = Kind::Regex;
        return rule;
    }
    return Error{QStringLiteral("group-by \"%1\" is not one of: speaker (FSDD names), field:N "
                                "(the N-th '_' field of the file name), manifest (its group "
                                "column), regex:PATTERN (over the relative path)")
                     .arg(spec),
                 {},
                 0};
}

Expected<QStringList> caseGroups(const LabelledDataset &data, const GroupRule &rule)
{
    QStringList groups;
    groups.reserve(data.size());
    const QRegularExpression re(rule.pattern);
    for (const LabelledCase &c : data.cases) {
        QString group;
        QString why;
        switch (rule.kind) {
        case GroupRule::Kind::None:
            break;
        case GroupRule::Kind::Field:
            group = baseName(c.source).section(QLatin1Char('_'), rule.field - 1, rule.field - 1);
            why = QStringLiteral("its name has no field %1 (fields are separated by '_')")
                      .arg(rule.field);
            break;
        case GroupRule::Kind::Manifest:
            group = c.group;
            why = QStringLiteral("no group in the manifest (a column named group, speaker, "
                                 "session, device or subject)");
            break;
        case GroupRule::Kind::Regex: {
            const QRegularExpressionMatch m = re.match(c.source);
            if (m.hasMatch())
                group = m.lastCapturedIndex() >= 1 ? m.captured(1) : m.captured(0);
            why = QStringLiteral("the pattern %1 does not match it").arg(rule.pattern);
            break;
        }
        }
        group = group.trimmed();
        if (rule.enabled() && group.isEmpty())
            return Error{QStringLiteral("%1 has no group: %2").arg(c.source, why), data.sourcePath,
                         0};
        groups << group;
    }
    return groups;
}

QStringList distinctGroups(const QStringList &caseGroups)
{
    QStringList groups = caseGroups;
    groups.sort();
    groups.removeDuplicates();
    return groups;
}

Expected<GroupSplit> groupSplit(const LabelledDataset &data, const QStringList &groups,
                                const std::vector<std::int64_t> &candidates,
                                const GroupSplitOptions &options)
{
    const auto fail = [&](const QString &reason) {
        return Error{reason, data.sourcePath, 0};
    };
    if (groups.size() != data.size())
        return fail(QStringLiteral("%1 groups for %2 cases").arg(groups.size()).arg(data.size()));
    QMap<QString, std::int64_t> sizes; // cases per group among the candidates, sorted by name
    for (std::int64_t i : candidates) {
        if (i < 0 || i >= data.size())
            return fail(
                QStringLiteral("case index %1 is outside the %2 cases").arg(i).arg(data.size()));
        ++sizes[groups.at(qsizetype(i))];
    }
    const QStringList all = sizes.keys();
    for (const QStringList *named : {&options.testGroups, &options.valGroups})
        for (const QString &g : *named)
            if (!sizes.contains(g))
                return fail(QStringLiteral("the group \"%1\" is not one of the %2 groups: %3")
                                .arg(g)
                                .arg(all.size())
                                .arg(listed(all)));
    for (const QString &g : options.testGroups)
        if (options.valGroups.contains(g))
            return fail(
                QStringLiteral("the group \"%1\" is named for both test and validation").arg(g));
    if (all.size() < 2)
        return fail(QStringLiteral("a split by groups needs at least two groups; the data has "
                                   "%1 (%2)")
                        .arg(all.size())
                        .arg(listed(all)));

    std::mt19937_64 engine(options.seed);
    GroupSplit split;
    if (!options.testGiven) {
        if (!options.testGroups.isEmpty()) {
            split.testGroups = options.testGroups;
        } else {
            const qsizetype keep = options.valGroups.isEmpty() ? 1 : options.valGroups.size() + 1;
            QStringList pool = all;
            for (const QString &g : options.valGroups)
                pool.removeAll(g);
            split.testGroups = drawGroups(
                pool, sizes, options.testFraction * double(candidates.size()), keep, engine);
        }
    }
    QStringList rest = all;
    for (const QString &g : split.testGroups + options.valGroups)
        rest.removeAll(g);
    if (rest.isEmpty())
        return fail(QStringLiteral("no group is left for training (test: %1; validation: %2)")
                        .arg(listed(split.testGroups), listed(options.valGroups)));
    std::int64_t restCases = 0;
    for (const QString &g : rest)
        restCases += sizes.value(g);

    if (!options.valGroups.isEmpty())
        split.validationGroups = options.valGroups;
    else if (options.valByGroups && rest.size() >= 3)
        split.validationGroups =
            drawGroups(rest, sizes, options.valFraction * double(restCases), 2, engine);
    for (const QString &g : split.validationGroups)
        rest.removeAll(g);
    split.trainGroups = rest;
    split.testGroups.sort();
    split.validationGroups.sort();

    std::vector<std::int64_t> trainCandidates;
    for (std::int64_t i : candidates) {
        const QString &g = groups.at(qsizetype(i));
        if (split.testGroups.contains(g))
            split.indices.test.push_back(i);
        else if (split.validationGroups.contains(g))
            split.indices.validation.push_back(i);
        else
            trainCandidates.push_back(i);
    }
    if (split.validationGroups.isEmpty()) {
        // Too few groups to hold one out: validation shares the training groups.
        Expected<LabelledSplitIndices> within =
            stratifiedSplit(data, trainCandidates, options.valFraction, 0.0, options.seed);
        if (!within)
            return within.error();
        split.indices.train = std::move(within->train);
        split.indices.validation = std::move(within->validation);
        split.validationByCases = true;
    } else {
        split.indices.train = std::move(trainCandidates);
    }
    for (std::vector<std::int64_t> *part :
         {&split.indices.train, &split.indices.validation, &split.indices.test})
        std::sort(part->begin(), part->end());
    return split;
}

Expected<std::vector<int>> stratifiedFolds(const LabelledDataset &data, int k, std::uint64_t seed)
{
    if (k < 2 || k > data.size())
        return Error{QStringLiteral("%1 folds for %2 cases: give between 2 and the number of "
                                    "cases")
                         .arg(k)
                         .arg(data.size()),
                     data.sourcePath, 0};
    const int classes = int(data.classNames.size());
    std::vector<std::vector<std::int64_t>> perClass(std::size_t(std::max(classes, 1)));
    for (std::int64_t i = 0; i < data.size(); ++i) {
        const int label = data.cases[std::size_t(i)].label;
        perClass[std::size_t(label >= 0 && label < classes ? label : 0)].push_back(i);
    }
    std::mt19937_64 engine(seed);
    std::vector<int> fold(std::size_t(data.size()), 0);
    int next = 0; // continue dealing where the last class stopped, so that folds stay even
    for (std::vector<std::int64_t> &members : perClass) {
        seededShuffle(members, engine);
        for (std::int64_t i : members) {
            fold[std::size_t(i)] = next;
            next = (next + 1) % k;
        }
    }
    return fold;
}

} // namespace twb
