#pragma once

#include "LabelledDataset.h"
#include "LabelledSplit.h"
#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// Where a case's group (its speaker, session, device, subject) is read from, given as text
/// (`--group-by`):
///   "speaker"   the second '_'-separated field of the file name without its extension, as in
///               FSDD's {label}_{speaker}_{take}.wav ("7_jackson_32.wav" -> "jackson");
///   "field:N"   the N-th (1-based) '_'-separated field of the file name without extension;
///   "manifest"  the manifest CSV's group column (LabelledCase::group: a header "group",
///               "speaker", "session", "device" or "subject");
///   "regex:RE"  the first capture group of RE (the whole match if it has none), searched in
///               the case's source path relative to the data set ("speakers/ann/0.wav").
/// The file name is the source after its last '/' and before a ":line" suffix.
struct GroupRule
{
    enum class Kind { None, Field, Manifest, Regex };
    Kind kind = Kind::None;
    int field = 0;   ///< Field: 1-based
    QString pattern; ///< Regex

    bool enabled() const { return kind != Kind::None; }
    /// Parses the text above; "" -> None. Errors say what the forms are.
    static Expected<GroupRule> parse(const QString &spec);
};

/// Every case's group by `rule`, size == data.size(). Errors name the data set and the first
/// case that has none (a name with too few fields, no regular-expression match, a blank
/// manifest cell).
Expected<QStringList> caseGroups(const LabelledDataset &data, const GroupRule &rule);

/// The distinct groups, sorted (plain string order), each once.
QStringList distinctGroups(const QStringList &caseGroups);

/// How to split labelled cases when they have groups: no group ever lies in two parts.
struct GroupSplitOptions
{
    QStringList testGroups; ///< empty = groups drawn at random to reach testFraction of the cases
    QStringList valGroups;  ///< empty = drawn at random (valByGroups) or a share of the cases
    double testFraction = 0.2;
    double valFraction = 0.2; ///< of the cases that are not test
    /// Validation from whole groups drawn at random when valGroups is empty and at least three
    /// groups remain outside the test part (training keeps two or more); otherwise a stratified
    /// share of the remaining groups' cases (which then share groups with training).
    bool valByGroups = true;
    /// True: the test part is given (--test-data, --test-glob): only validation is split from
    /// `candidates`, testFraction and testGroups are not used.
    bool testGiven = false;
    std::uint64_t seed = 2021;
};

/// A group-aware split and which groups went where.
struct GroupSplit
{
    LabelledSplitIndices indices;                          ///< each sorted ascending
    QStringList trainGroups, validationGroups, testGroups; ///< sorted
    bool validationByCases = false; ///< validation is a share of the training groups' cases
};

/// Splits the cases `candidates` (indices into data.cases; groups[i] is case i's group) into
/// parts that share no group (see GroupSplitOptions). Deterministic in the seed (own
/// Fisher-Yates over a 64-bit Mersenne Twister). Errors name data.sourcePath: a named group that
/// does not exist or lies in both test and validation, fewer than two groups, too few groups
/// left for training.
Expected<GroupSplit> groupSplit(const LabelledDataset &data, const QStringList &groups,
                                const std::vector<std::int64_t> &candidates,
                                const GroupSplitOptions &options);

/// Stratified k-fold assignment: per class, its cases shuffled (seeded, as stratifiedSplit) and
/// dealt to folds 0..k-1 in turn, so that every class spreads evenly. Returns each case's fold,
/// size == data.size(). Errors: k < 2 or more folds than cases.
Expected<std::vector<int>> stratifiedFolds(const LabelledDataset &data, int k, std::uint64_t seed);

} // namespace twb
