#include "SeparationFile.h"

#include "common/Errors.h"
#include "data/Hdf5File.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <limits>

namespace twb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString shapeText(const std::vector<std::int64_t> &dims)
{
    QStringList parts;
    for (std::int64_t d : dims)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

/// Checks that `name` exists with `expected` dims (-1: any size), or says what is wrong.
Status checkShape(const Hdf5Reader &reader, const QString &name,
                  const std::vector<std::int64_t> &expected, const QString &expectedText)
{
    if (!reader.hasDataset(name))
        return makeError(QStringLiteral("no dataset %1 (expected %2)").arg(name, expectedText),
                         reader.path());
    Expected<std::vector<std::int64_t>> dims = reader.datasetDims(name);
    if (!dims)
        return dims.error();
    bool ok = dims->size() == expected.size();
    for (std::size_t i = 0; ok && i < expected.size(); ++i)
        ok = expected[i] < 0 || (*dims)[i] == expected[i];
    if (!ok)
        return makeError(QStringLiteral("%1 has the shape %2, expected %3")
                             .arg(name, shapeText(*dims), expectedText),
                         reader.path());
    return Status::ok();
}

/// Reads the per-mixture metric `name` of shape [n, S] into `out`.
Status readMetric(const Hdf5Reader &reader, const QString &name, std::int64_t n, std::int64_t s,
                  std::vector<double> &out)
{
    const QString expected = QStringLiteral("[%1 mixtures, %2 sources]").arg(n).arg(s);
    if (Status st = checkShape(reader, name, {n, s}, expected); !st)
        return st;
    Expected<Hdf5Array> array = reader.readArray(name);
    if (!array)
        return array.error();
    out = std::move(array->values);
    return Status::ok();
}

/// Splits a [m, S, T] array into m × S waveforms of T samples.
std::vector<std::vector<float>> waveformsOf(const std::vector<float> &values, std::int64_t mixture,
                                            std::int64_t sources, std::int64_t samples)
{
    std::vector<std::vector<float>> out;
    for (std::int64_t s = 0; s < sources; ++s) {
        const auto first = values.begin() + (mixture * sources + s) * samples;
        out.emplace_back(first, first + samples);
    }
    return out;
}

double meanOf(const std::vector<double> &values)
{
    if (values.empty())
        return kNaN;
    double sum = 0.0;
    for (double v : values)
        sum += v; // a NaN makes the mean NaN, as torch's mean does in status.json
    return sum / double(values.size());
}

/// values[mixture * sources + source], NaN when out of range.
double at(const std::vector<double> &values, int mixture, int source, int sources)
{
    if (mixture < 0 || source < 0 || source >= sources)
        return kNaN;
    const std::size_t i = std::size_t(mixture) * std::size_t(sources) + std::size_t(source);
    return i < values.size() ? values[i] : kNaN;
}

const std::vector<double> &metricValues(const SeparationResults &r, SeparationMetric metric)
{
    switch (metric) {
    case SeparationMetric::SiSnr:
        return r.siSnr;
    case SeparationMetric::SiSnri:
        return r.siSnri;
    case SeparationMetric::Sdr:
        return r.sdr;
    case SeparationMetric::Sdri:
        break;
    }
    return r.sdri;
}

} // namespace

double SeparationResults::value(SeparationMetric metric, int mixture, int source) const
{
    return at(metricValues(*this, metric), mixture, source, sourceCount);
}

double SeparationResults::levelDb(int mixture, int source) const
{
    return at(levelsDb, mixture, source, sourceCount);
}

double SeparationResults::mixtureMean(SeparationMetric metric, int mixture) const
{
    if (mixture < 0 || mixture >= mixtureCount() || sourceCount <= 0)
        return kNaN;
    double sum = 0.0;
    for (int s = 0; s < sourceCount; ++s)
        sum += value(metric, mixture, s);
    return sum / sourceCount;
}

double SeparationResults::testMean(SeparationMetric metric) const
{
    return meanOf(metricValues(*this, metric));
}

double SeparationResults::sourceMean(SeparationMetric metric, int source) const
{
    if (source < 0 || source >= sourceCount || mixtureCount() == 0)
        return kNaN;
    double sum = 0.0;
    for (int i = 0; i < mixtureCount(); ++i)
        sum += value(metric, i, source);
    return sum / mixtureCount();
}

QStringList SeparationResults::sourceNames(int mixture) const
{
    QStringList names = mixtureSources.value(mixture).split(QStringLiteral(" + "));
    if (names.size() == sourceCount) {
        for (QString &name : names)
            name = QFileInfo(name).fileName();
        return names;
    }
    names.clear();
    for (int s = 0; s < sourceCount; ++s)
        names << QStringLiteral("source %1").arg(s + 1);
    return names;
}

Expected<SeparationResults> readSeparationResults(const QString &runDirOrFile)
{
    const QFileInfo given(runDirOrFile);
    const QString path = given.isDir()
                             ? QDir(runDirOrFile).filePath(QStringLiteral("predictions.h5"))
                             : runDirOrFile;
    if (!QFileInfo::exists(path))
        return makeError(QStringLiteral("no predictions.h5 (written when a separation run "
                                        "finishes its test)"),
                         path);
    Expected<Hdf5Reader> opened = Hdf5Reader::open(path);
    if (!opened)
        return opened.error();
    const Hdf5Reader &reader = *opened;

    SeparationResults r;
    r.path = QFileInfo(path).absoluteFilePath();
    if (Status st = checkShape(reader, QStringLiteral("/si_snri"), {-1, -1},
                               QStringLiteral("[mixtures, sources]"));
        !st)
        return st.error();
    const std::vector<std::int64_t> dims = *reader.datasetDims(QStringLiteral("/si_snri"));
    const std::int64_t n = dims[0], s = dims[1];
    if (n < 1 || s < 1)
        return makeError(QStringLiteral("/si_snri has the shape %1: no mixtures or no sources")
                             .arg(shapeText(dims)),
                         path);
    r.sourceCount = int(s);

    Expected<double> rate =
        reader.numberAttribute(QStringLiteral("/si_snri"), QStringLiteral("sample_rate"));
    if (!rate)
        return makeError(QStringLiteral("no \"sample_rate\" attribute on /si_snri"), path);
    if (!(*rate > 0.0) || !std::isfinite(*rate))
        return makeError(QStringLiteral("the sample rate %1 Hz is not positive").arg(*rate), path);
    r.sampleRate = *rate;

    const std::pair<const char *, std::vector<double> *> metrics[] = {{"/si_snr", &r.siSnr},
                                                                      {"/si_snri", &r.siSnri},
                                                                      {"/sdr", &r.sdr},
                                                                      {"/sdri", &r.sdri},
                                                                      {"/levels_db", &r.levelsDb}};
    for (const auto &[name, out] : metrics)
        if (Status st = readMetric(reader, QLatin1String(name), n, s, *out); !st)
            return st.error();

    if (Status st = checkShape(reader, QStringLiteral("/sources"), {n},
                               QStringLiteral("[%1 mixtures]").arg(n));
        !st)
        return st.error();
    Expected<QStringList> sources = reader.readStrings(QStringLiteral("/sources"));
    if (!sources)
        return sources.error();
    r.mixtureSources = std::move(*sources);

    // The listenable mixtures: [m, T], and [m, S, T] for the references and estimates.
    if (Status st = checkShape(reader, QStringLiteral("/mixture"), {-1, -1},
                               QStringLiteral("[mixtures, samples]"));
        !st)
        return st.error();
    const std::vector<std::int64_t> waveDims = *reader.datasetDims(QStringLiteral("/mixture"));
    const std::int64_t m = waveDims[0], t = waveDims[1];
    if (m > n)
        return makeError(
            QStringLiteral("/mixture holds %1 mixtures, more than the %2 scored").arg(m).arg(n),
            path);
    if (m > 0 && t < 1)
        return makeError(QStringLiteral("/mixture has no samples"), path);
    const QString sourcesShape =
        QStringLiteral("[%1 mixtures, %2 sources, %3 samples]").arg(m).arg(s).arg(t);
    Expected<Hdf5FloatArray> mixture = reader.readFloatArray(QStringLiteral("/mixture"));
    if (!mixture)
        return mixture.error();
    std::vector<float> parts[2];
    const QString partNames[2] = {QStringLiteral("/references"), QStringLiteral("/estimates")};
    for (int k = 0; k < 2; ++k) {
        if (Status st = checkShape(reader, partNames[k], {m, s, t}, sourcesShape); !st)
            return st.error();
        Expected<Hdf5FloatArray> read = reader.readFloatArray(partNames[k]);
        if (!read)
            return read.error();
        parts[k] = std::move(read->values);
    }
    r.samples = m > 0 ? t : 0;
    for (std::int64_t i = 0; i < m; ++i) {
        SeparationWaveforms w;
        const auto first = mixture->values.begin() + i * t;
        w.mixture.assign(first, first + t);
        w.references = waveformsOf(parts[0], i, s, t);
        w.estimates = waveformsOf(parts[1], i, s, t);
        r.listenable.push_back(std::move(w));
    }
    return r;
}

} // namespace twb
