// SpectrogramView: the data behind the view (CSV, HDF5) and image exports.

#include "dsp/Window.h"
#include "render/SpectrogramFile.h"
#include "widgets/common/ViewExporter.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QFileInfo>

namespace twb {

namespace {
constexpr std::int64_t kMaxCsvFrames = 100000; // see csvTable()
} // namespace

CsvTable SpectrogramView::csvTable() const
{
    CsvTable table;
    const SpectrogramComputer *c = computer();
    if (!c || c->frames() == 0)
        return table;
    const std::int64_t f0 = c->nearestFrame(m_t0);
    const std::int64_t f1 = c->nearestFrame(m_t1) + 1;
    if (f1 - f0 > kMaxCsvFrames)
        return table;
    Expected<dsp::FloatMatrix> m = c->computeFrames(f0, f1);
    if (!m)
        return table;
    table.header << QStringLiteral("time_s");
    for (double hz : c->rowHz())
        table.header << csvNumber(hz);
    for (std::int64_t j = 0; j < m->cols; ++j) {
        QStringList row;
        row.reserve(int(m->rows + 1));
        row << csvNumber(c->frameTime(f0 + j));
        for (std::int64_t r = 0; r < m->rows; ++r)
            row << csvNumber((*m)(r, j));
        table.rows << row;
    }
    return table;
}

Status SpectrogramView::saveHdf5(const QString &path) const
{
    const SpectrogramComputer *c = computer();
    if (!c || c->frames() == 0)
        return Error{QStringLiteral("the view shows no spectrogram"), path};
    const std::int64_t f0 = c->nearestFrame(m_t0);
    const std::int64_t f1 = c->nearestFrame(m_t1) + 1;
    Expected<dsp::FloatMatrix> m = c->computeFrames(f0, f1);
    if (!m)
        return Error{m.error().reason, path};
    std::vector<double> times(std::size_t(f1 - f0));
    for (std::size_t j = 0; j < times.size(); ++j)
        times[j] = c->frameTime(f0 + std::int64_t(j));
    const SpectrogramSettings &s = c->settings();
    SpectrogramDescription d;
    d.source = m_name;
    d.sampleRate = m_sampleRate;
    d.nFft = s.stft.nFft;
    d.hop = s.stft.hop;
    d.winLength = s.stft.winLength;
    d.window = dsp::windowName(s.stft.window.type);
    d.kaiserBeta = s.stft.window.kaiserBeta;
    d.center = s.stft.center;
    d.power = s.kind == dsp::SpectrumKind::Power ? 2 : 1;
    d.db = true;
    if (const dsp::MelFilterbank *bank = c->melBank()) {
        d.nMels = bank->mels();
        d.fmin = bank->options().fmin;
        d.fmax = m_sampleRate / 2;
        d.melScale =
            s.melScale == dsp::MelScale::Htk ? QStringLiteral("htk") : QStringLiteral("slaney");
        d.melNorm = QStringLiteral("slaney");
    }
    return writeSpectrogramHdf5(path, *m, c->rowHz(), times, d);
}

Status SpectrogramView::exportTo(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5"))
        return saveHdf5(path);
    if (suffix == QLatin1String("csv")) {
        if (!computer())
            return Error{QStringLiteral("the view shows no spectrogram"), path};
        if (csvTable().header.isEmpty())
            return Error{QStringLiteral("too many frames are visible for a CSV file (more than "
                                        "%1); zoom in or export HDF5")
                             .arg(kMaxCsvFrames),
                         path};
        return ViewExporter::saveCsv(*this, path);
    }
    computeVisibleNow();
    return ViewExporter::save(this, path);
}

} // namespace twb
