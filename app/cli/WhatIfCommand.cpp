// twb-cli whatif RUN [--data FILE] --index I [edits] [--json]: one test sample of a run
// predicted as it is and after an edit (tokens, time ranges, channels or spectrogram regions
// masked; attention heads switched off), side by side.
// twb-cli whatif RUN [--data FILE] --serve: the same for a stream of requests, one JSON object
// per line on stdin, one JSON answer per line on stdout; the model is loaded once, so each
// answer takes one or two forward passes (what the workbench's what-if view talks to).

#include "CliCommon.h"
#include "explain/SampleSelection.h"
#include "explain/WhatIf.h"
#include "protocol/WhatIfMessages.h"
#include "train/RunLoader.h"
#include "train/SeparationData.h"

#include <CLI/CLI.hpp>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>

namespace twb::cli {

namespace {

struct WhatIfArgs
{
    std::string run, data, checkpoint = "best.pt", channel, maskTokens;
    std::vector<std::string> maskRows, maskChannels, maskRegions, headsOff;
    std::int64_t index = 0;
    double fill = 0.0;
    bool serve = false;
    bool json = false;
};

Error usage(const QString &message)
{
    return Error{message, {}, 0};
}

/// "A:B" as two integers; an empty B means -1 ("to the end").
Expected<std::pair<std::int64_t, std::int64_t>> span(const QString &text, const char *flag)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    bool okA = false, okB = true;
    const qlonglong a = parts.value(0).toLongLong(&okA);
    const qlonglong b = parts.size() == 2 && !parts[1].isEmpty() ? parts[1].toLongLong(&okB) : -1;
    if (parts.size() != 2 || !okA || !okB)
        return usage(QStringLiteral("%1 %2: expected BEGIN:END (END empty = to the end)")
                         .arg(QString::fromUtf8(flag), text));
    return std::pair<std::int64_t, std::int64_t>{a, b};
}

/// The edit given by the command-line flags, checked as a request's edit is.
Expected<WhatIfEdit> editFromFlags(const LoadedRun &run, const WhatIfArgs &a)
{
    QJsonObject edit;
    QJsonArray tokens, regions, heads;
    for (const QString &t : qs(a.maskTokens).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int token = t.trimmed().toInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--mask-tokens: %1 is not a token number").arg(t));
        tokens.append(token);
    }
    for (const std::string &rows : a.maskRows) {
        Expected<std::pair<std::int64_t, std::int64_t>> r = span(qs(rows), "--mask-rows");
        if (!r)
            return r.error();
        regions.append(QJsonArray{qint64(r->first), qint64(r->second), 0, -1});
    }
    for (const std::string &channel : a.maskChannels) {
        Expected<std::int64_t> c = channelIndex(run, qs(channel), "--mask-channel");
        if (!c)
            return c.error();
        regions.append(QJsonArray{0, -1, qint64(*c), qint64(*c + 1)});
    }
    for (const std::string &region : a.maskRegions) {
        const QStringList parts = qs(region).split(QLatin1Char(','));
        if (parts.size() != 2)
            return usage(QStringLiteral("--mask-region %1: expected R0:R1,C0:C1").arg(qs(region)));
        Expected<std::pair<std::int64_t, std::int64_t>> r = span(parts[0], "--mask-region");
        Expected<std::pair<std::int64_t, std::int64_t>> c = span(parts[1], "--mask-region");
        if (!r)
            return r.error();
        if (!c)
            return c.error();
        regions.append(
            QJsonArray{qint64(r->first), qint64(r->second), qint64(c->first), qint64(c->second)});
    }
    for (const std::string &head : a.headsOff) {
        Expected<std::pair<std::int64_t, std::int64_t>> h = span(qs(head), "--head-off");
        if (!h || h->second < 0)
            return usage(QStringLiteral("--head-off %1: expected LAYER:HEAD").arg(qs(head)));
        heads.append(QJsonArray{qint64(h->first), qint64(h->second)});
    }
    Expected<std::int64_t> channel = channelIndex(run, qs(a.channel), "--channel");
    if (!channel)
        return channel.error();
    edit.insert(QStringLiteral("mask_tokens"), tokens);
    edit.insert(QStringLiteral("token_channel"), qint64(*channel));
    edit.insert(QStringLiteral("regions"), regions);
    edit.insert(QStringLiteral("heads_off"), heads);
    edit.insert(QStringLiteral("fill"), a.fill);
    return WhatIfEdit::fromJson(edit);
}

double meanSquared(const std::vector<float> &a, const std::vector<float> &b)
{
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (std::isfinite(a[i]) && std::isfinite(b[i])) {
            sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
            ++n;
        }
    return n ? sum / double(n) : 0.0;
}

std::size_t argmax(const std::vector<float> &p)
{
    return std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
}

/// The one line of the plain output: what the edit masked and what it changed.
QString changeText(const WhatIfChange &c, bool classify, const std::string &label,
                   std::int64_t changed, std::int64_t total)
{
    const QString masked =
        QStringLiteral("%1: %2 of %3 input values masked").arg(qs(label)).arg(changed).arg(total);
    if (classify)
        return QStringLiteral("%1; predicted \"%2\" (p = %3) -> \"%4\" (p = %5)\n")
            .arg(masked, c.classOriginal)
            .arg(c.pOriginal, 0, 'f', 3)
            .arg(c.classEdited)
            .arg(c.pEdited, 0, 'f', 3);
    if (const std::optional<double> before = c.meanSiSnri(false), after = c.meanSiSnri(true);
        before && after) {
        QStringList sources;
        for (std::size_t s = 0; s < c.siSnrOriginal.size(); ++s)
            sources << QStringLiteral("source %1 %2 -> %3 dB")
                           .arg(s + 1)
                           .arg(c.siSnrOriginal[s], 0, 'f', 2)
                           .arg(c.siSnrEdited[s], 0, 'f', 2);
        return QStringLiteral("%1; SI-SNRi %2 dB -> %3 dB (SI-SNR %4)\n")
            .arg(masked)
            .arg(*before, 0, 'f', 2)
            .arg(*after, 0, 'f', 2)
            .arg(sources.join(QLatin1String(", ")));
    }
    QString line = QStringLiteral("%1; forecast changed by %2 on average, %3 at most "
                                  "(data units)")
                       .arg(masked)
                       .arg(c.meanAbsChange, 0, 'g', 4)
                       .arg(c.maxAbsChange, 0, 'g', 4);
    if (c.mseOriginal && c.mseEdited)
        line += QStringLiteral("; MSE against the truth %1 -> %2")
                    .arg(*c.mseOriginal, 0, 'g', 4)
                    .arg(*c.mseEdited, 0, 'g', 4);
    return line + QLatin1Char('\n');
}

/// What changed, in a few numbers: computed once from the outcome.
WhatIfChange summarize(const explain::WhatIfOutcome &o, const LoadedRun &run)
{
    WhatIfChange s;
    if (o.classify) {
        const std::size_t before = argmax(o.original), after = argmax(o.edited);
        s.classOriginal = run.classNames.value(qsizetype(before));
        s.classEdited = run.classNames.value(qsizetype(after));
        s.pOriginal = o.original[before];
        s.pEdited = o.edited[after];
        s.pEditedOfOriginalClass = o.edited[before];
        return s;
    }
    double sumChange = 0.0;
    for (std::size_t i = 0; i < o.original.size(); ++i) {
        const double d = std::abs(double(o.edited[i]) - o.original[i]);
        s.maxAbsChange = std::max(s.maxAbsChange, d);
        sumChange += d;
    }
    s.meanAbsChange = o.original.empty() ? 0.0 : sumChange / double(o.original.size());
    s.siSnrOriginal = o.siSnrOriginal;
    s.siSnrEdited = o.siSnrEdited;
    s.siSnrMixture = o.siSnrMixture;
    if (!o.truth.empty()) {
        s.mseOriginal = meanSquared(o.original, o.truth);
        s.mseEdited = meanSquared(o.edited, o.truth);
    }
    return s;
}

/// One answered edit: the sample, the predictions before and after, the time it took.
struct Answer
{
    const explain::ExplainSample *sample = nullptr;
    explain::WhatIfOutcome outcome;
    double ms = 0.0;
};

WhatIfAnswer answerMessage(const LoadedRun &run, const Answer &answered)
{
    const explain::ExplainSample &sample = *answered.sample;
    const explain::WhatIfOutcome &o = answered.outcome;
    WhatIfAnswer a;
    a.classify = o.classify;
    a.index = sample.index;
    a.samples = sample.count;
    a.label = qs(sample.label);
    a.rows = int(o.rows);
    a.cols = int(o.cols);
    a.names = o.classify ? run.classNames : run.channelNames;
    if (o.separate) {
        a.separate = true;
        a.names.clear();
        for (std::int64_t s = 0; s < o.cols; ++s)
            a.names << QStringLiteral("source %1").arg(s + 1);
        // loadRun checked the provenance of a separation run
        a.sampleRate = separationShape(run.provenance, run.dir)->sampleRate;
    }
    a.original = o.original;
    a.edited = o.edited;
    a.changedInputs = o.changedInputs;
    a.inputValues = o.inputValues;
    a.inputRows = int(sample.input.size(1));
    const auto inputCols = int(sample.input.size(2));
    for (int c = 0; c < inputCols; ++c)
        a.inputNames << (o.separate ? QStringLiteral("mixture")
                         : run.channelNames.size() == inputCols
                             ? run.channelNames[c]
                             : QStringLiteral("column %1").arg(c));
    a.change = summarize(o, run);
    a.milliseconds = answered.ms;
    if (o.classify) {
        if (sample.truth >= 0)
            a.truthClass = run.classNames.value(qsizetype(sample.truth));
    } else {
        a.lookback = int(sample.input.size(1)); // separate: the mixture's samples (= rows)
        a.history = o.history;
        a.editedHistory = o.editedHistory;
        a.truth = o.truth;
    }
    return a;
}

/// Samples already prepared, by index (preparing reads and scales the data file).
class SampleCache
{
public:
    SampleCache(const LoadedRun &run, QString data)
        : m_run(run)
        , m_data(std::move(data))
    {}

    Expected<const explain::ExplainSample *> get(std::int64_t index)
    {
        if (auto it = m_samples.find(index); it != m_samples.end())
            return &it->second;
        Expected<explain::ExplainSample> sample = explain::selectSample(m_run, m_data, index);
        if (!sample)
            return sample.error();
        if (m_samples.size() >= 32)
            m_samples.erase(m_samples.begin());
        return &m_samples.emplace(index, std::move(*sample)).first->second;
    }

private:
    const LoadedRun &m_run;
    QString m_data;
    std::map<std::int64_t, explain::ExplainSample> m_samples;
};

Expected<Answer> answer(const LoadedRun &run, SampleCache &samples, std::int64_t index,
                        const WhatIfEdit &edit)
{
    QElapsedTimer clock;
    clock.start();
    Expected<const explain::ExplainSample *> sample = samples.get(index);
    if (!sample)
        return sample.error();
    Expected<explain::WhatIfOutcome> outcome = explain::runWhatIf(run, **sample, edit);
    if (!outcome)
        return outcome.error();
    return Answer{*sample, std::move(*outcome), double(clock.nsecsElapsed()) / 1e6};
}

void writeLine(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fflush(stdout);
}

/// One answer per request line until stdin ends. A bad request gets {"ok": false, "error"}
/// and the session goes on; "id" is echoed so that a client can match answers.
int serve(const LoadedRun &run, SampleCache &samples)
{
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        QJsonParseError parseError{};
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(line), &parseError);
        QJsonObject reply;
        if (!doc.isObject()) {
            reply = WhatIfAnswer::errorJson(QStringLiteral("the request is not a JSON object: %1")
                                                .arg(parseError.errorString()));
        } else {
            Expected<WhatIfRequest> request = WhatIfRequest::fromJson(doc.object());
            Expected<Answer> result = request ? answer(run, samples, request->index, request->edit)
                                              : Expected<Answer>(request.error());
            reply = result ? answerMessage(run, *result).toJson()
                           : WhatIfAnswer::errorJson(result.error().toString());
            const QJsonValue id = doc.object().value(QLatin1String("id"));
            if (!id.isUndefined())
                reply.insert(QStringLiteral("id"), id);
        }
        writeLine(reply);
    }
    return ExitOk;
}

int runWhatIf(Context &ctx, const WhatIfArgs &a)
{
    Expected<LoadedRun> run = loadRun(qs(a.run), ctx.pluginLookup(), qs(a.checkpoint));
    if (!run)
        return fail("whatif", run.error().toString());
    SampleCache samples(*run, qs(a.data));
    if (a.serve) {
        writeLine({{"ready", true},
                   {"run", run->dir},
                   {"model", run->config.modelId},
                   {"task", run->config.task}});
        return serve(*run, samples);
    }
    Expected<WhatIfEdit> edit = editFromFlags(*run, a);
    if (!edit)
        return fail("whatif", edit.error().toString());
    Expected<Answer> result = answer(*run, samples, a.index, *edit);
    if (!result)
        return fail("whatif", result.error().toString());
    if (a.json)
        printJson(answerMessage(*run, *result).toJson());
    else
        printText(changeText(summarize(result->outcome, *run), result->outcome.classify,
                             result->sample->label, result->outcome.changedInputs,
                             result->outcome.inputValues));
    return ExitOk;
}

} // namespace

void addWhatIfCommand(CLI::App &app, Context &ctx)
{
    auto a = std::make_shared<WhatIfArgs>();
    CLI::App *cmd = app.add_subcommand(
        "whatif", "Predict one test sample of a run as it is and after an edit: tokens, time "
                  "ranges, channels or spectrogram regions masked, attention heads switched off");
    cmd->add_option("RUN", a->run, "The run folder")->required();
    cmd->add_option("--data", a->data, "The data (default: the run's), as for `attention`");
    cmd->add_option("--index", a->index, "Test window (forecast) or test case (classify)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--mask-tokens", a->maskTokens,
                    "Comma-separated attention tokens whose input is masked (see `attention`)");
    cmd->add_option("--channel", a->channel,
                    "Channel-independent models (PatchTST): mask the time tokens of this channel "
                    "only (name or number; default: every channel)");
    cmd->add_option("--mask-rows", a->maskRows,
                    "Mask input rows (time steps, frames) BEGIN:END of every channel; repeatable");
    cmd->add_option("--mask-channel", a->maskChannels,
                    "Mask a whole input channel (name or number); repeatable");
    cmd->add_option("--mask-region", a->maskRegions,
                    "Mask rows R0:R1 of columns C0:C1 (frames x mel bins of a spectrogram); "
                    "repeatable");
    cmd->add_option("--head-off", a->headsOff,
                    "Switch attention head LAYER:HEAD off (both from 0); repeatable");
    cmd->add_option("--fill", a->fill,
                    "The value masked inputs get on the normalised scale (default 0 = the train "
                    "mean)");
    cmd->add_option("--checkpoint", a->checkpoint,
                    "Checkpoint in RUN/checkpoints (default "
                    "best.pt)");
    cmd->add_flag("--serve", a->serve,
                  "Answer requests from stdin, one JSON object per line: {\"index\": I, "
                  "\"mask_tokens\": [..], \"token_channel\": C, \"regions\": [[r0, r1, c0, c1]], "
                  "\"heads_off\": [[layer, head]], \"fill\": F, \"id\": any}; one JSON line per "
                  "answer on stdout (the first line says ready)");
    cmd->add_flag("--json", a->json,
                  "Print the original and edited predictions, the input before and after and a "
                  "summary as JSON");
    cmd->callback([&ctx, a] { runCommand(ctx, "whatif", [&] { return runWhatIf(ctx, *a); }); });
}

} // namespace twb::cli
