#include "SeparationExport.h"

#include "audio/AudioWriter.h"
#include "common/Errors.h"
#include "data/Hdf5File.h"

#include <QDir>

#include <algorithm>

namespace twb {

namespace {

Status checkExample(const SeparationResults &results, int example, const QString &where)
{
    if (example < 0 || example >= results.listenableCount())
        return makeError(QStringLiteral("no mixture %1 among the %2 kept as sound")
                             .arg(example + 1)
                             .arg(results.listenableCount()),
                         where);
    const SeparationWaveforms &w = results.listenable[std::size_t(example)];
    const auto sameLength = [&](const std::vector<std::vector<float>> &rows) {
        return int(rows.size()) == results.sourceCount &&
               std::all_of(rows.begin(), rows.end(),
                           [&](const auto &r) { return r.size() == w.mixture.size(); });
    };
    if (w.mixture.empty() || !sameLength(w.references) || !sameLength(w.estimates))
        return makeError(QStringLiteral("mixture %1 does not hold %2 references and estimates of "
                                        "its length")
                             .arg(example + 1)
                             .arg(results.sourceCount),
                         where);
    return Status::ok();
}

/// The S values of one metric for mixture `example`.
std::vector<double> perSource(const SeparationResults &results, SeparationMetric metric,
                              int example)
{
    std::vector<double> out;
    for (int s = 0; s < results.sourceCount; ++s)
        out.push_back(results.value(metric, example, s));
    return out;
}

/// [S][T] as one row-major block.
std::vector<float> flattened(const std::vector<std::vector<float>> &rows)
{
    std::vector<float> out;
    for (const std::vector<float> &row : rows)
        out.insert(out.end(), row.begin(), row.end());
    return out;
}

} // namespace

Expected<QStringList> writeSeparationSourcesWav(const SeparationResults &results, int example,
                                                const QString &folder)
{
    if (Status ok = checkExample(results, example, folder); !ok)
        return ok.error();
    if (!QDir().mkpath(folder))
        return makeError(QStringLiteral("cannot create the folder"), folder);
    const SeparationWaveforms &w = results.listenable[std::size_t(example)];
    QStringList written;
    for (int s = 0; s < int(w.estimates.size()); ++s) {
        const QString path = QDir(folder).filePath(
            QStringLiteral("mixture-%1-estimate-%2.wav").arg(example + 1).arg(s + 1));
        if (Status st = writeWavFloat(path, w.estimates[std::size_t(s)], results.sampleRate); !st)
            return st.error();
        written << path;
    }
    return written;
}

Status writeSeparationExampleHdf5(const SeparationResults &results, int example,
                                  const QString &path)
{
    if (Status ok = checkExample(results, example, path); !ok)
        return ok;
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    const SeparationWaveforms &w = results.listenable[std::size_t(example)];
    const std::int64_t s = results.sourceCount, t = std::int64_t(w.mixture.size());
    const std::vector<float> references = flattened(w.references);
    const std::vector<float> estimates = flattened(w.estimates);
    Status st = writer->writeFloats(QStringLiteral("/mixture"), w.mixture.data(), {t});
    if (st)
        st = writer->writeFloats(QStringLiteral("/references"), references.data(), {s, t});
    if (st)
        st = writer->writeFloats(QStringLiteral("/estimates"), estimates.data(), {s, t});
    const std::pair<const char *, SeparationMetric> metrics[] = {
        {"/si_snr", SeparationMetric::SiSnr},
        {"/si_snri", SeparationMetric::SiSnri},
        {"/sdr", SeparationMetric::Sdr},
        {"/sdri", SeparationMetric::Sdri}};
    for (const auto &[name, metric] : metrics)
        if (st) {
            const std::vector<double> v = perSource(results, metric, example);
            st = writer->writeDoubles(QLatin1String(name), v.data(), {s});
        }
    if (st) {
        std::vector<double> levels;
        for (int k = 0; k < results.sourceCount; ++k)
            levels.push_back(results.levelDb(example, k));
        st = writer->writeDoubles(QStringLiteral("/levels_db"), levels.data(), {s});
    }
    if (st)
        st = writer->writeStrings(QStringLiteral("/sources"), results.sourceNames(example));
    const QString root = QStringLiteral("/");
    if (st)
        st = writer->setAttribute(root, QStringLiteral("sample_rate"), results.sampleRate);
    if (st)
        st = writer->setAttribute(root, QStringLiteral("mixture"), std::int64_t(example));
    if (st)
        st = writer->setAttribute(root, QStringLiteral("sources"),
                                  results.mixtureSources.value(example));
    if (st)
        st = writer->setAttribute(root, QStringLiteral("predictions"), results.path);
    if (st)
        st = writer->setAttribute(root, QStringLiteral("task"), QStringLiteral("separate"));
    if (st)
        st = writer->commit();
    return st;
}

CsvTable separationMetricsTable(const SeparationResults &results)
{
    CsvTable table;
    if (results.mixtureCount() == 0)
        return table;
    table.header = {QStringLiteral("mixture"), QStringLiteral("sources")};
    for (int s = 1; s <= results.sourceCount; ++s)
        for (const char *name : {"si_snr", "si_snri", "sdr", "sdri", "level_db"})
            table.header << QStringLiteral("%1_%2").arg(QLatin1String(name)).arg(s);
    for (int i = 0; i < results.mixtureCount(); ++i) {
        QStringList row{QString::number(i + 1), results.mixtureSources[i]};
        for (int s = 0; s < results.sourceCount; ++s) {
            for (SeparationMetric metric : {SeparationMetric::SiSnr, SeparationMetric::SiSnri,
                                            SeparationMetric::Sdr, SeparationMetric::Sdri})
                row << csvNumber(results.value(metric, i, s));
            row << csvNumber(results.levelDb(i, s));
        }
        table.rows.append(row);
    }
    return table;
}

} // namespace twb
