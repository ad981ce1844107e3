// twb-cli predict RUN --data FILE --out FILE(.csv|.h5) [--all-windows]: forecasts in original
// units with timestamps continued at the data's median step.

#include "CliCommon.h"
#include "PredictClassify.h"
#include "PredictSeparate.h"
#include "audio/LabelledLoader.h"
#include "data/CalendarFeatures.h"
#include "data/ChannelSelection.h"
#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"
#include "nn/Model.h"
#include "runs/AtomicFile.h"
#include "train/ForecastWindows.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QFileInfo>

namespace twb::cli {

namespace {

/// Forecasts of some windows: origin rows (last input row) and values [windows, H, C].
struct Forecasts
{
    std::vector<std::int64_t> origins;
    std::vector<float> values; ///< original units
    std::int64_t horizon = 0;
    std::int64_t channels = 0;
};

/// The data's columns in the run's channel order, normalised with the run's scaler.
Expected<std::vector<float>> normalisedInput(const LoadedRun &run, const SeriesDataset &data)
{
    std::vector<std::int64_t> columns;
    QStringList missing;
    for (const QString &name : run.channelNames) {
        const qsizetype i = data.channelNames.indexOf(name);
        if (i < 0)
            missing << name;
        columns.push_back(i);
    }
    if (!missing.isEmpty())
        return Error{QStringLiteral("the data lacks channel(s) %1 of the run")
                         .arg(missing.join(QStringLiteral(", "))),
                     data.sourcePath, 0};
    const std::int64_t rows = data.rows(), c = std::int64_t(columns.size());
    std::vector<float> values(std::size_t(rows * c));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t j = 0; j < c; ++j)
            values[std::size_t(r * c + j)] = data.at(r, columns[std::size_t(j)]);
    run.scaler.transform(values, c);
    return values;
}

/// The calendar marks [rows + horizon, F] of the data's times continued `horizon` steps past
/// its end at the median step, at the run's frequency; undefined when the data has no time
/// column or the run's model was built without marks.
Expected<torch::Tensor> extendedMarks(const LoadedRun &run, const SeriesDataset &data)
{
    if (!data.hasTimestamps() || run.config.freq.isEmpty())
        return torch::Tensor();
    Expected<TimeFrequency> frequency = parseFrequency(run.config.freq);
    if (!frequency)
        return Error{frequency.error().reason, run.dir, 0};
    std::vector<std::int64_t> times = data.timestamps;
    const std::vector<std::int64_t> after =
        timesAfter(times.back(), medianStepMs(times), run.config.horizon);
    times.insert(times.end(), after.begin(), after.end());
    CalendarFeatures calendar = calendarFeatures(times, *frequency);
    if (calendar.names.isEmpty())
        return torch::Tensor();
    return torch::from_blob(calendar.values.data(),
                            {calendar.steps(), std::int64_t(calendar.names.size())}, torch::kFloat)
        .clone();
}

Expected<Forecasts> forecast(const LoadedRun &run, const SeriesDataset &data, bool allWindows,
                             std::int64_t *skipped)
{
    const std::int64_t lookback = run.config.lookback, horizon = run.config.horizon;
    const std::int64_t channels = run.channelNames.size(), rows = data.rows();
    if (rows < lookback)
        return Error{QStringLiteral("%1 rows are fewer than the run's lookback of %2")
                         .arg(rows)
                         .arg(lookback),
                     data.sourcePath, 0};
    Expected<std::vector<float>> input = normalisedInput(run, data);
    if (!input)
        return input.error();
    std::vector<std::int64_t> starts;
    for (std::int64_t s = allWindows ? 0 : rows - lookback; s <= rows - lookback; ++s)
        starts.push_back(s);
    *skipped = ForecastWindows::dropWindowsWithNan(input->data(), rows, channels, lookback, starts);
    if (starts.empty() || starts.back() != rows - lookback)
        return Error{QStringLiteral("the last %1 rows (the input of the forecast) contain missing "
                                    "values")
                         .arg(lookback),
                     data.sourcePath, 0};

    Expected<torch::Tensor> marks = extendedMarks(run, data);
    if (!marks)
        return marks.error();
    const torch::Tensor series = torch::from_blob(input->data(), {rows, channels}, torch::kFloat);
    const torch::Tensor startTensor = torch::tensor(starts, torch::kLong);
    const torch::Tensor steps = torch::arange(lookback, torch::kLong).unsqueeze(0);
    Forecasts out;
    out.horizon = horizon;
    out.channels = channels;
    torch::NoGradGuard noGrad;
    constexpr std::int64_t batch = 256;
    for (std::int64_t b = 0; b < std::int64_t(starts.size()); b += batch) {
        const std::int64_t n = std::min<std::int64_t>(batch, std::int64_t(starts.size()) - b);
        const torch::Tensor rowIndex = startTensor.narrow(0, b, n).unsqueeze(1) + steps;
        const torch::Tensor x =
            series.index_select(0, rowIndex.reshape({-1})).view({n, lookback, channels});
        ForwardOptions options;
        if (marks->defined()) {
            const torch::Tensor markRows =
                startTensor.narrow(0, b, n).unsqueeze(1) +
                torch::arange(lookback + horizon, torch::kLong).unsqueeze(0);
            const torch::Tensor windowMarks =
                marks->index_select(0, markRows.reshape({-1})).view({n, lookback + horizon, -1});
            options.historyMarks = windowMarks.narrow(1, 0, lookback);
            options.futureMarks = windowMarks.narrow(1, lookback, horizon);
        }
        const torch::Tensor y = run.model->forward(x, options).prediction.contiguous();
        std::vector<float> values(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
        run.scaler.inverseTransform(values.data(), n * horizon, channels);
        out.values.insert(out.values.end(), values.begin(), values.end());
    }
    for (std::int64_t s : starts)
        out.origins.push_back(s + lookback - 1);
    return out;
}

/// Time of row r: the data's own timestamp inside it, continued at the median step after it.
/// Without a time axis, the row number.
std::int64_t timeOfRow(const SeriesDataset &data, std::int64_t step, std::int64_t row)
{
    if (!data.hasTimestamps())
        return row;
    if (row < data.rows())
        return data.timestamps[std::size_t(row)];
    return data.timestamps.back() + (row - data.rows() + 1) * step;
}

Status writeCsv(const QString &path, const LoadedRun &run, const SeriesDataset &data,
                const Forecasts &f, bool allWindows)
{
    const std::int64_t step = medianStepMs(data.timestamps);
    const bool ms = data.hasTimestamps() && step % 1000 != 0;
    auto stamp = [&](std::int64_t row) -> QByteArray {
        const std::int64_t t = timeOfRow(data, step, row);
        return data.hasTimestamps() ? formatTime(t, ms).toUtf8() : QByteArray::number(t);
    };
    QByteArray csv = allWindows ? "origin,date" : "date";
    for (const QString &name : run.channelNames)
        csv += ',' + (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"'))
                          ? '"' + name.toUtf8().replace("\"", "\"\"") + '"'
                          : name.toUtf8());
    csv += '\n';
    for (std::size_t w = 0; w < f.origins.size(); ++w)
        for (std::int64_t h = 0; h < f.horizon; ++h) {
            if (allWindows)
                csv += stamp(f.origins[w]) + ',';
            csv += stamp(f.origins[w] + 1 + h);
            const float *row = f.values.data() + (std::int64_t(w) * f.horizon + h) * f.channels;
            for (std::int64_t c = 0; c < f.channels; ++c)
                csv += ',' + QByteArray::number(double(row[c]), 'g', 8);
            csv += '\n';
        }
    return writeFileAtomically(path, csv);
}

Status writeHdf5(const QString &path, const LoadedRun &run, const SeriesDataset &data,
                 const Forecasts &f)
{
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    const std::int64_t windows = std::int64_t(f.origins.size());
    const std::int64_t step = medianStepMs(data.timestamps);
    std::vector<std::int64_t> times;
    for (std::int64_t origin : f.origins)
        for (std::int64_t h = 0; h < f.horizon; ++h)
            times.push_back(timeOfRow(data, step, origin + 1 + h));
    const QString timePath =
        data.hasTimestamps() ? QStringLiteral("/time") : QStringLiteral("/row");
    Status s = writer->writeFloats(QStringLiteral("/forecast"), f.values.data(),
                                   {windows, f.horizon, f.channels});
    if (s)
        s = writer->writeInt64s(timePath, times.data(), {windows, f.horizon});
    if (s)
        s = writer->writeInt64s(QStringLiteral("/origin_row"), f.origins.data(), {windows});
    if (s)
        s = writer->writeStrings(QStringLiteral("/channel_names"), run.channelNames);
    if (s)
        s = writer->setAttribute(
            QStringLiteral("/forecast"), QStringLiteral("units"),
            QStringLiteral("original units of %1; %2")
                .arg(data.sourcePath, data.hasTimestamps()
                                          ? QStringLiteral("/time in ms since 1970-01-01 UTC")
                                          : QStringLiteral("/row: row numbers of the data")));
    if (s)
        s = writer->setAttribute(QStringLiteral("/"), QStringLiteral("run"), run.dir);
    if (s)
        s = writer->setAttribute(QStringLiteral("/"), QStringLiteral("model"), run.config.modelId);
    if (s)
        s = writer->commit();
    return s;
}

int runPredict(Context &ctx, const QString &runDir, const QString &dataPath, const QString &out,
               bool allWindows, bool unlabelled)
{
    Expected<LoadedRun> run = loadRun(runDir, ctx.pluginLookup());
    if (!run)
        return fail("predict", run.error().toString());
    if (run->config.task == QLatin1String("separate"))
        return runPredictSeparate(*run, dataPath, out);
    const QString suffix = QFileInfo(out).suffix().toLower();
    const bool csv = suffix == QLatin1String("csv");
    if (!csv && suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5"))
        return fail("predict",
                    QStringLiteral("%1: the output must end in .csv, .h5 or .hdf5").arg(out));
    if (run->config.task == QLatin1String("classify")) {
        const bool soundFile = QFileInfo(dataPath).isFile() && isSoundFileName(dataPath);
        return runPredictClassify(*run, dataPath, out, unlabelled || soundFile);
    }
    if (unlabelled)
        return fail("predict", QStringLiteral("--unlabelled is for classification runs; %1 "
                                              "forecasts")
                                   .arg(runDir));
    Expected<SeriesDataset> data = loadSeriesChannels(dataPath, run->config.channels);
    if (!data)
        return fail("predict", data.error().toString());
    std::int64_t skipped = 0;
    Expected<Forecasts> f = forecast(*run, *data, allWindows, &skipped);
    if (!f)
        return fail("predict", f.error().toString());
    if (skipped > 0)
        warn("predict", QStringLiteral("%1 windows with missing values were skipped").arg(skipped));
    const Status written =
        csv ? writeCsv(out, *run, *data, *f, allWindows) : writeHdf5(out, *run, *data, *f);
    if (!written)
        return fail("predict", written.error().toString());
    std::fprintf(stderr, "twb-cli predict: %lld window(s) x %lld steps written to %s\n",
                 qlonglong(f->origins.size()), qlonglong(f->horizon), out.toUtf8().constData());
    return ExitOk;
}

} // namespace

void addPredictCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string run, data, out;
        bool allWindows = false;
        bool unlabelled = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "predict", "Forecast the horizon past the end of a data file with a run's best weights "
                   "(original units; CSV columns date,<channels>), or, for a classification "
                   "run, the class probabilities of every case of a labelled data set or of new "
                   "sound files");
    cmd->add_option("RUN", o->run, "The run folder")->required();
    cmd->add_option("--data", o->data, "Data with the run's channels (by name)")->required();
    cmd->add_option("--out", o->out,
                    "Output .csv or .h5 (a separation run: a folder for the sources' WAV files)")
        ->required();
    cmd->add_flag("--all-windows", o->allWindows,
                  "Forecast from every window of the data as well (CSV columns origin,date,...)");
    cmd->add_flag("--unlabelled", o->unlabelled,
                  "Classification: --data carries no labels: a folder of sound files (every file "
                  "in it and below) or a .ts file with @classLabel false; the label column stays "
                  "empty. A single sound file is always read so");
    cmd->callback([&ctx, o] {
        runCommand(ctx, "predict", [&] {
            return runPredict(ctx, qs(o->run), qs(o->data), qs(o->out), o->allWindows,
                              o->unlabelled);
        });
    });
}

} // namespace twb::cli
