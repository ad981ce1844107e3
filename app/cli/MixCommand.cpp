// twb-cli mix DATA --out DIR: mixtures of different speakers' utterances written as WAV files
// with a manifest, for speech separation elsewhere (and to listen to what the separate task
// trains on).

#include "CliCommon.h"
#include "audio/AudioWriter.h"
#include "audio/LabelledLoader.h"
#include "audio/Mixtures.h"
#include "data/AtomicWrite.h"
#include "data/CaseGroups.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>

namespace twb::cli {

namespace {

struct MixArgs
{
    std::string data, out, groupBy = "speaker", speakers, match;
    std::int64_t count = 100;
    int sources = 2;
    std::uint64_t seed = 2021;
    double minLevel = -5.0, maxLevel = 5.0, seconds = 0.0, sampleRate = 0.0;
};

int usage(const QString &message)
{
    std::fprintf(stderr, "twb-cli mix: error: %s\n", message.toUtf8().constData());
    return ExitUsage;
}

/// The cases to draw from: those of the listed speakers (all when empty) whose source path
/// matches the expression (all when empty).
std::vector<std::int64_t> candidates(const LabelledDataset &data, const QStringList &speakers,
                                     const QStringList &wanted, const QRegularExpression &match)
{
    std::vector<std::int64_t> out;
    for (std::int64_t i = 0; i < data.size(); ++i) {
        if (!wanted.isEmpty() && !wanted.contains(speakers[qsizetype(i)]))
            continue;
        if (!match.pattern().isEmpty() &&
            !match.match(data.cases[std::size_t(i)].source).hasMatch())
            continue;
        out.push_back(i);
    }
    return out;
}

int runMix(const MixArgs &a)
{
    if (a.count < 1 || a.sources < 2 || a.minLevel > a.maxLevel || a.seconds < 0.0)
        return usage(QStringLiteral("--count must be >= 1, --sources >= 2, --level-min <= "
                                    "--level-max and --seconds >= 0"));
    const QRegularExpression match(qs(a.match));
    if (!match.isValid())
        return usage(QStringLiteral("--match is not a valid regular expression: %1")
                         .arg(match.errorString()));
    Expected<GroupRule> rule = GroupRule::parse(qs(a.groupBy));
    if (!rule || !rule->enabled())
        return usage(rule ? QStringLiteral("--group-by must name where the speaker is")
                          : rule.error().reason);

    LabelledLoadOptions load;
    load.sampleRate = a.sampleRate;
    load.unlabelled = true; // the labels (digits) play no part in a mixture
    Expected<LabelledDataset> data = loadLabelled(qs(a.data), load);
    if (!data)
        return fail("mix", data.error().toString());
    Expected<QStringList> speakers = caseGroups(*data, *rule);
    if (!speakers)
        return fail("mix", speakers.error().toString());
    const QStringList wanted =
        a.speakers.empty() ? QStringList() : qs(a.speakers).split(QLatin1Char(','));
    for (const QString &s : wanted)
        if (!speakers->contains(s))
            return fail("mix", QStringLiteral("%1: no speaker \"%2\" (speakers: %3)")
                                   .arg(data->sourcePath, s,
                                        distinctGroups(*speakers).join(QStringLiteral(", "))));

    MixtureOptions options;
    options.sources = a.sources;
    options.minLevelDb = a.minLevel;
    options.maxLevelDb = a.maxLevel;
    options.seed = a.seed;
    options.length = std::int64_t(std::llround(a.seconds * data->sampleRate));
    const std::vector<std::int64_t> pool = candidates(*data, *speakers, wanted, match);
    Expected<std::vector<MixtureSpec>> mixtures =
        drawMixtures(*data, *speakers, pool, a.count, options);
    if (!mixtures)
        return fail("mix", mixtures.error().toString());

    const QString out = qs(a.out);
    if (!QDir().mkpath(out))
        return fail("mix", QStringLiteral("%1: cannot create the folder").arg(out));
    QStringList header{QStringLiteral("mixture")};
    for (int s = 1; s <= a.sources; ++s)
        header << QStringLiteral("source_%1").arg(s);
    for (int s = 1; s <= a.sources; ++s)
        header << QStringLiteral("utterance_%1").arg(s) << QStringLiteral("speaker_%1").arg(s)
               << QStringLiteral("level_db_%1").arg(s);
    header << QStringLiteral("samples") << QStringLiteral("scale");
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    const QDir dir(out);
    for (std::size_t m = 0; m < mixtures->size(); ++m) {
        const MixtureSpec &spec = (*mixtures)[m];
        const RenderedMixture rendered = renderMixture(*data, spec);
        const QString stem = QStringLiteral("mix_%1").arg(m + 1, 5, 10, QLatin1Char('0'));
        QStringList row{stem + QStringLiteral(".wav")};
        if (Status s = writeWavFloat(dir.filePath(row[0]), rendered.mixture, data->sampleRate); !s)
            return fail("mix", s.error().toString());
        for (int s = 0; s < a.sources; ++s) {
            row << QStringLiteral("%1_source%2.wav").arg(stem).arg(s + 1);
            if (Status st = writeWavFloat(dir.filePath(row.last()),
                                          rendered.sources[std::size_t(s)], data->sampleRate);
                !st)
                return fail("mix", st.error().toString());
        }
        for (int s = 0; s < a.sources; ++s) {
            const std::int64_t c = spec.cases[std::size_t(s)];
            row << csvField(data->cases[std::size_t(c)].source)
                << csvField((*speakers)[qsizetype(c)])
                << QString::number(spec.levelsDb[std::size_t(s)], 'f', 3);
        }
        row << QString::number(spec.length) << QString::number(rendered.scale, 'g', 6);
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    if (Status s = writeFileAtomically(dir.filePath(QStringLiteral("mixtures.csv")), csv.toUtf8());
        !s)
        return fail("mix", s.error().toString());
    QJsonObject settings{{"data", data->sourcePath},
                         {"data_fingerprint", data->fingerprint()},
                         {"sample_rate", data->sampleRate},
                         {"count", qint64(a.count)},
                         {"sources", a.sources},
                         {"level_db_min", a.minLevel},
                         {"level_db_max", a.maxLevel},
                         {"samples", qint64(options.length)},
                         {"seed", QString::number(a.seed)},
                         {"group_by", qs(a.groupBy)},
                         {"speakers", QJsonArray::fromStringList(wanted)},
                         {"match", qs(a.match)},
                         {"utterances_drawn_from", qint64(pool.size())}};
    if (Status s = writeFileAtomically(dir.filePath(QStringLiteral("mixtures.json")),
                                       QJsonDocument(settings).toJson());
        !s)
        return fail("mix", s.error().toString());
    std::printf("%lld mixtures of %d speakers from %lld utterances written to %s (mixtures.csv)\n",
                static_cast<long long>(a.count), a.sources, static_cast<long long>(pool.size()),
                out.toUtf8().constData());
    return ExitOk;
}

} // namespace

void addMixCommand(CLI::App &app, Context &ctx)
{
    auto o = std::make_shared<MixArgs>();
    CLI::App *cmd = app.add_subcommand(
        "mix",
        "Mixtures of different speakers' utterances (speech separation): each utterance at an RMS "
        "of "
        "0.05 (-26 dBFS), the second one's level relative to the first drawn uniformly from the "
        "range, "
        "zero-padded to the longer one (or cut/padded to --seconds), summed; written as 32-bit "
        "float WAV (mix_NNNNN.wav and mix_NNNNN_sourceK.wav) with mixtures.csv (which "
        "utterances, speakers, levels) and mixtures.json (the settings). Reproducible from the "
        "seed.");
    cmd->add_option("DATA", o->data, "An audio folder or manifest (labels are not needed)")
        ->required();
    cmd->add_option("--out", o->out, "Folder to write into (created)")->required();
    cmd->add_option("--count", o->count, "Mixtures to make")->capture_default_str();
    cmd->add_option("--sources", o->sources, "Speakers per mixture")->capture_default_str();
    cmd->add_option("--level-min", o->minLevel, "Lowest level of source 1 over source 2, dB")
        ->capture_default_str();
    cmd->add_option("--level-max", o->maxLevel, "Highest level of source 1 over source 2, dB")
        ->capture_default_str();
    cmd->add_option("--seconds", o->seconds, "Length of every mixture (0: the longest utterance)")
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the draws")->capture_default_str();
    cmd->add_option("--group-by", o->groupBy,
                    "Where the speaker is: speaker (FSDD's {digit}_{speaker}_{take}), field:N, "
                    "manifest, regex:RE")
        ->capture_default_str();
    cmd->add_option("--speakers", o->speakers, "Only these speakers (comma list)");
    cmd->add_option("--match", o->match,
                    "Only utterances whose path matches this regular expression "
                    "(e.g. '_[0-4]\\.wav$' for FSDD's test takes)");
    cmd->add_option("--sample-rate", o->sampleRate, "Resample to this rate in Hz (0: the files')");
    cmd->callback([o, &ctx] { runCommand(ctx, "mix", [&] { return runMix(*o); }); });
}

} // namespace twb::cli
