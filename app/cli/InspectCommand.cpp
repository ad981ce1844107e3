// twb-cli inspect FILE [--labelled | --as KIND] [--json]: size, time range (series) or cases,
// classes and lengths (labelled data), per-channel statistics and missing values.

#include "CliCommon.h"
#include "InspectResults.h"
#include "audio/LabelledLoader.h"
#include "data/CalendarFeatures.h"
#include "data/DatasetLoader.h"
#include "data/DatasetSummary.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace twb::cli {

namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonArray channelsJson(const std::vector<ChannelStats> &stats)
{
    QJsonArray channels;
    for (const ChannelStats &s : stats)
        channels.append(QJsonObject{{QStringLiteral("name"), s.name},
                                    {QStringLiteral("count"), qint64(s.count)},
                                    {QStringLiteral("missing"), qint64(s.missing)},
                                    {QStringLiteral("mean"), number(s.mean)},
                                    {QStringLiteral("std"), number(s.std)},
                                    {QStringLiteral("min"), number(s.min)},
                                    {QStringLiteral("max"), number(s.max)}});
    return channels;
}

/// The per-channel table of the text output, header included.
QString channelsText(const std::vector<ChannelStats> &stats)
{
    QString text = QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(QStringLiteral("channel"), -16)
                       .arg(QStringLiteral("count"), 10)
                       .arg(QStringLiteral("missing"), 8)
                       .arg(QStringLiteral("mean"), 12)
                       .arg(QStringLiteral("std"), 12)
                       .arg(QStringLiteral("min"), 12)
                       .arg(QStringLiteral("max"), 12);
    for (const ChannelStats &s : stats)
        text += QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                    .arg(s.name, -16)
                    .arg(s.count, 10)
                    .arg(s.missing, 8)
                    .arg(s.mean, 12, 'g', 6)
                    .arg(s.std, 12, 'g', 6)
                    .arg(s.min, 12, 'g', 6)
                    .arg(s.max, 12, 'g', 6);
    return text;
}

int runInspectLabelled(const QString &file, bool json)
{
    Expected<LabelledDataset> loaded = loadLabelled(file);
    if (!loaded)
        return fail("inspect", loaded.error().toString());
    const LabelledDataset &data = *loaded;
    const std::vector<ChannelStats> stats = summarize(data);
    const std::vector<std::int64_t> counts = data.classCounts();
    QJsonArray classes;
    QStringList classText;
    for (qsizetype i = 0; i < data.classNames.size(); ++i) {
        classes.append(QJsonObject{{QStringLiteral("name"), data.classNames[i]},
                                   {QStringLiteral("cases"), qint64(counts[std::size_t(i)])}});
        classText << QStringLiteral("%1: %2").arg(data.classNames[i]).arg(counts[std::size_t(i)]);
    }
    if (json) {
        printJson(QJsonObject{
            {QStringLiteral("file"), data.sourcePath},
            {QStringLiteral("kind"), QStringLiteral("labelled")},
            {QStringLiteral("fingerprint"), data.fingerprint()},
            {QStringLiteral("cases"), qint64(data.size())},
            {QStringLiteral("classes"), classes},
            {QStringLiteral("channel_count"), qint64(data.channels())},
            {QStringLiteral("sample_rate"),
             data.sampleRate > 0 ? QJsonValue(data.sampleRate) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("min_length"), qint64(data.minLength())},
            {QStringLiteral("max_length"), qint64(data.maxLength())},
            {QStringLiteral("channels"), channelsJson(stats)},
            {QStringLiteral("missing"),
             QJsonObject{{QStringLiteral("total"), qint64(data.missingValues)}}},
            {QStringLiteral("skipped"), QJsonArray::fromStringList(data.skipped)}});
        return ExitOk;
    }
    QString text =
        QStringLiteral("%1: %2 labelled cases x %3 %4, %5 classes (%6)\n")
            .arg(data.sourcePath)
            .arg(data.size())
            .arg(data.channels())
            .arg(data.channels() == 1 ? QStringLiteral("channel") : QStringLiteral("channels"))
            .arg(data.classNames.size())
            .arg(classText.join(QStringLiteral(", ")));
    text += data.equalLength() ? QStringLiteral("length %1 (every case)\n").arg(data.minLength())
                               : QStringLiteral("lengths %1 .. %2 (unequal)\n")
                                     .arg(data.minLength())
                                     .arg(data.maxLength());
    if (data.sampleRate > 0)
        text += QStringLiteral("sound clips at %1 Hz: %2 .. %3 s\n")
                    .arg(data.sampleRate)
                    .arg(double(data.minLength()) / data.sampleRate, 0, 'g', 4)
                    .arg(double(data.maxLength()) / data.sampleRate, 0, 'g', 4);
    text += channelsText(stats);
    text += QStringLiteral("missing values: %1\n").arg(data.missingValues);
    if (!data.skipped.isEmpty())
        text += QStringLiteral("skipped: %1 (%2)\n")
                    .arg(data.skipped.size())
                    .arg(data.skipped.join(QStringLiteral("; ")));
    printText(text);
    return ExitOk;
}

int runInspect(const QString &file, bool json)
{
    Expected<SeriesDataset> loaded = loadSeries(file);
    if (!loaded)
        return fail("inspect", loaded.error().toString());
    const SeriesDataset &data = *loaded;
    const std::vector<ChannelStats> stats = summarize(data);

    QJsonObject timeRange;
    if (data.hasTimestamps()) {
        const std::int64_t step = medianStepMs(data.timestamps);
        const bool ms = step % 1000 != 0;
        timeRange = {{QStringLiteral("column"), data.timeColumn},
                     {QStringLiteral("start"), formatTime(data.timestamps.front(), ms)},
                     {QStringLiteral("end"), formatTime(data.timestamps.back(), ms)},
                     {QStringLiteral("median_step_seconds"), double(step) / 1000.0}};
    }
    QJsonArray firstCells;
    for (const MissingReport::Cell &c : data.missing.firstCells)
        firstCells.append(
            QJsonObject{{QStringLiteral("row"), qint64(c.row)},
                        {QStringLiteral("line"), qint64(c.line)},
                        {QStringLiteral("channel"), data.channelNames.value(c.channel)}});

    if (json) {
        printJson(QJsonObject{{QStringLiteral("file"), data.sourcePath},
                              {QStringLiteral("kind"), QStringLiteral("series")},
                              {QStringLiteral("fingerprint"), data.fingerprint()},
                              {QStringLiteral("rows"), qint64(data.rows())},
                              {QStringLiteral("channel_count"), qint64(data.channels())},
                              {QStringLiteral("time_range"), data.hasTimestamps()
                                                                 ? QJsonValue(timeRange)
                                                                 : QJsonValue(QJsonValue::Null)},
                              {QStringLiteral("channels"), channelsJson(stats)},
                              {QStringLiteral("missing"),
                               QJsonObject{{QStringLiteral("total"), qint64(data.missing.total())},
                                           {QStringLiteral("first_cells"), firstCells}}}});
        return ExitOk;
    }
    QString text = QStringLiteral("%1: %2 rows x %3 channels\n")
                       .arg(data.sourcePath)
                       .arg(data.rows())
                       .arg(data.channels());
    if (data.hasTimestamps())
        text += QStringLiteral("time (%1): %2 .. %3, median step %4 s\n")
                    .arg(data.timeColumn, timeRange.value(QStringLiteral("start")).toString(),
                         timeRange.value(QStringLiteral("end")).toString())
                    .arg(timeRange.value(QStringLiteral("median_step_seconds")).toDouble());
    else
        text += QStringLiteral("no time column\n");
    text += channelsText(stats);
    text += QStringLiteral("missing values: %1").arg(data.missing.total());
    QStringList cells;
    for (const QJsonValue &c : firstCells) {
        const QJsonObject o = c.toObject();
        cells << QStringLiteral("row %1%2 %3")
                     .arg(o.value(QStringLiteral("row")).toInteger())
                     .arg(o.value(QStringLiteral("line")).toInteger() > 0
                              ? QStringLiteral(" (line %1)")
                                    .arg(o.value(QStringLiteral("line")).toInteger())
                              : QString(),
                          o.value(QStringLiteral("channel")).toString());
    }
    if (!cells.isEmpty())
        text += QStringLiteral(" (first: %1)").arg(cells.join(QStringLiteral(", ")));
    printText(text + QLatin1Char('\n'));
    return ExitOk;
}

} // namespace

void addInspectCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string file;
        bool labelled = false;
        std::string as;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "inspect", "Rows, channels, time range, per-channel statistics and missing values of a "
                   "data file; cases, classes and lengths of labelled data");
    cmd->add_option("FILE", o->file,
                    "CSV or HDF5 series (\"file.h5:/group/dataset\" picks one), or labelled "
                    "cases: a .ts or .arff file or a folder of sound clips")
        ->required();
    cmd->add_flag("--labelled", o->labelled,
                  "Read FILE as labelled cases even when it looks like a series: an audio "
                  "manifest CSV (path,label[,split]) or the labelled HDF5 layout");
    cmd->add_option("--as", o->as,
                    "What FILE is: series, labelled (as --labelled), predictions (a forecasting "
                    "run's predictions.h5) or class-predictions (a classification run's); "
                    "default: series, or labelled for .ts, .arff, sound files and folders")
        ->check(CLI::IsMember({"series", "labelled", "predictions", "class-predictions"}));
    cmd->add_flag("--json", o->json, "Machine output");
    cmd->callback([&ctx, o] {
        runCommand(ctx, "inspect", [&] {
            const QString file = qs(o->file);
            if (o->as == "predictions")
                return runInspectPredictions(file, o->json);
            if (o->as == "class-predictions")
                return runInspectClassPredictions(file, o->json);
            const bool labelled =
                o->as == "labelled" || (o->as.empty() && (o->labelled || isLabelledDataPath(file)));
            return labelled ? runInspectLabelled(file, o->json) : runInspect(file, o->json);
        });
    });
}

} // namespace twb::cli
