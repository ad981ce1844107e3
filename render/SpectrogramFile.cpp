#include "SpectrogramFile.h"

#include "data/Hdf5File.h"

namespace twb {

Status writeSpectrogramHdf5(const QString &path, const dsp::FloatMatrix &values,
                            const std::vector<double> &rowHz, const std::vector<double> &frameTimes,
                            const SpectrogramDescription &d)
{
    if (std::int64_t(rowHz.size()) != values.rows || std::int64_t(frameTimes.size()) != values.cols)
        return Error{QStringLiteral("the spectrogram is %1 x %2 but has %3 frequencies and %4 "
                                    "times")
                         .arg(values.rows)
                         .arg(values.cols)
                         .arg(rowHz.size())
                         .arg(frameTimes.size()),
                     path};
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    const QString ds = QStringLiteral("/spectrogram");
    Status s = writer->writeFloats(ds, values.data.data(), {values.rows, values.cols});
    if (s)
        s = writer->writeDoubles(QStringLiteral("/frequencies"), rowHz.data(),
                                 {std::int64_t(rowHz.size())});
    if (s)
        s = writer->writeDoubles(QStringLiteral("/times"), frameTimes.data(),
                                 {std::int64_t(frameTimes.size())});
    if (!s)
        return s;

    const QString units =
        d.db ? QStringLiteral("dB")
             : (d.power == 1 ? QStringLiteral("magnitude") : QStringLiteral("power"));
    const std::pair<const char *, QString> strings[] = {
        {"source", d.source},    {"window", d.window}, {"mel_scale", d.melScale},
        {"mel_norm", d.melNorm}, {"units", units},     {"layout", QStringLiteral("[bins, frames]")},
    };
    for (const auto &[name, value] : strings)
        if (Status a = writer->setAttribute(ds, QString::fromLatin1(name), value); !a)
            return a;
    const std::pair<const char *, std::int64_t> ints[] = {
        {"n_fft", d.nFft},    {"hop", d.hop},          {"win_length", d.winLength},
        {"center", d.center}, {"power", d.power},      {"db", d.db},
        {"n_mels", d.nMels},  {"frames", values.cols}, {"bins", values.rows},
    };
    for (const auto &[name, value] : ints)
        if (Status a = writer->setAttribute(ds, QString::fromLatin1(name), value); !a)
            return a;
    const std::pair<const char *, double> doubles[] = {
        {"sample_rate", d.sampleRate},
        {"kaiser_beta", d.kaiserBeta},
        {"top_db", d.topDb},
        {"fmin", d.fmin},
        {"fmax", d.fmax},
        {"start_seconds", d.startSeconds},
    };
    for (const auto &[name, value] : doubles)
        if (Status a = writer->setAttribute(ds, QString::fromLatin1(name), value); !a)
            return a;
    return writer->commit();
}

} // namespace twb
