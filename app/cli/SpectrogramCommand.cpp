// twb-cli spectrogram FILE --out OUT.h5|OUT.png: the STFT / mel spectrogram of a sound file with
// the same dsp code and options as the workbench's spectrogram view.

#include "CliCommon.h"
#include "audio/AudioReader.h"
#include "dsp/Decibel.h"
#include "dsp/MelFilterbank.h"
#include "dsp/Stft.h"
#include "dsp/Window.h"
#include "render/ColorMap.h"
#include "render/SpectrogramFile.h"
#include "render/SpectrogramImage.h"

#include <CLI/CLI.hpp>

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace twb::cli {

namespace {

struct SpectrogramArgs
{
    std::string file, out;
    int nFft = 512;
    int hop = 0;
    int winLength = 0;
    std::string window = "hann";
    double kaiserBeta = 12.0;
    bool center = true;
    int power = 2;
    int mels = 0;
    double fmin = 0.0;
    double fmax = 0.0;
    std::string melScale = "slaney";
    std::string melNorm = "slaney";
    bool db = false;
    double topDb = 80.0;
    std::string colormap = "viridis";
    double sampleRate = 0.0;
};

int usage(const QString &message)
{
    std::fprintf(stderr, "twb-cli spectrogram: error: %s\n", message.toUtf8().constData());
    return ExitUsage;
}

/// What the command line asks for, checked before any file is read.
struct SpectrogramRequest
{
    bool png = false;      ///< --out is a PNG image, else HDF5
    dsp::StftOptions stft; ///< resolved (defaults of hop and window length filled)
    ColorMapKind colormap{};
};

/// The request of the command line; an error is a usage error (its reason only).
Expected<SpectrogramRequest> checkedRequest(const SpectrogramArgs &a)
{
    SpectrogramRequest request;
    const QString out = qs(a.out);
    const QString suffix = QFileInfo(out).suffix().toLower();
    request.png = suffix == QLatin1String("png");
    if (!request.png && suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5"))
        return Error{QStringLiteral("--out must end in .h5, .hdf5 or .png: %1").arg(out),
                     QString()};
    dsp::StftOptions options;
    options.nFft = a.nFft;
    options.hop = a.hop;
    options.winLength = a.winLength;
    options.center = a.center;
    Expected<dsp::WindowType> window = dsp::windowTypeFromName(qs(a.window));
    if (!window)
        return window.error();
    options.window.type = *window;
    options.window.kaiserBeta = a.kaiserBeta;
    Expected<dsp::StftOptions> resolved = dsp::resolved(options);
    if (!resolved)
        return resolved.error();
    request.stft = *resolved;
    Expected<ColorMapKind> colormap = colorMapFromName(qs(a.colormap));
    if (!colormap)
        return colormap.error();
    request.colormap = *colormap;
    if (a.sampleRate < 0)
        return Error{QStringLiteral("--sample-rate must be positive"), QString()};
    return request;
}

/// The STFT of the whole clip [bins, frames] on every core (a long recording is split into
/// equal frame ranges, same values); an error when it has no frame. Errors name the clip.
Expected<dsp::FloatMatrix> linearSpectrogram(const AudioClip &clip, const dsp::StftOptions &stft,
                                             dsp::SpectrumKind kind)
{
    const std::span<const float> signal(clip.samples);
    Expected<dsp::FloatMatrix> values = dsp::parallelSpectrogram(signal, stft, kind);
    if (!values)
        return Error{values.error().reason, clip.path};
    if (values->cols == 0)
        return Error{QStringLiteral("%1 samples give no frame with n_fft %2 (use --center)")
                         .arg(clip.samples.size())
                         .arg(stft.nFft),
                     clip.path};
    return values;
}

/// The mel filterbank of --mel, --fmin, --fmax, --mel-scale and --mel-norm.
Expected<dsp::MelFilterbank> melFilterbank(const SpectrogramArgs &a, double sampleRate, int nFft)
{
    dsp::MelOptions mel;
    mel.sampleRate = sampleRate;
    mel.nFft = nFft;
    mel.nMels = a.mels;
    mel.fmin = a.fmin;
    mel.fmax = a.fmax;
    mel.scale = a.melScale == "htk" ? dsp::MelScale::Htk : dsp::MelScale::Slaney;
    mel.norm = a.melNorm == "none" ? dsp::MelNorm::None : dsp::MelNorm::Slaney;
    return dsp::MelFilterbank::create(mel);
}

/// The mel attributes of the HDF5 file.
void describeMel(SpectrogramDescription &d, const SpectrogramArgs &a,
                 const dsp::MelFilterbank &bank)
{
    d.nMels = a.mels;
    d.fmin = bank.options().fmin;
    d.fmax = bank.pointsHz().back();
    d.melScale = qs(a.melScale);
    d.melNorm = qs(a.melNorm);
}

/// The attributes of the HDF5 file: the clip, the STFT and the values' scale (the mel fields are
/// filled by the caller).
void describeStft(SpectrogramDescription &d, const SpectrogramArgs &a, const AudioClip &clip,
                  const dsp::StftOptions &stft)
{
    d.source = clip.path;
    d.sampleRate = clip.sampleRate;
    d.nFft = stft.nFft;
    d.hop = stft.hop;
    d.winLength = stft.winLength;
    d.window = dsp::windowName(stft.window.type);
    d.kaiserBeta = stft.window.kaiserBeta;
    d.center = stft.center;
    d.power = a.power;
    d.db = a.db;
    d.topDb = a.db && a.topDb > 0 ? a.topDb : 0.0;
}

dsp::DbOptions dbOptions(const SpectrogramArgs &a)
{
    dsp::DbOptions db;
    db.topDb = a.topDb > 0 ? std::optional<double>(a.topDb) : std::nullopt;
    return db;
}

/// Power or magnitude to dB in place (10 or 20 log10, ref 1).
void toDb(dsp::SpectrumKind kind, std::span<float> values, const dsp::DbOptions &options)
{
    if (kind == dsp::SpectrumKind::Power)
        dsp::powerToDb(values, options);
    else
        dsp::amplitudeToDb(values, options);
}

/// The PNG of `values`: in dB (converted here unless --db did it already), coloured over
/// --top-db (80 when 0) below their maximum.
Status writePng(const QString &out, const dsp::FloatMatrix &values, dsp::SpectrumKind kind,
                const SpectrogramArgs &a, ColorMapKind colormap)
{
    dsp::FloatMatrix shown = values;
    if (!a.db)
        toDb(kind, shown.data, dbOptions(a));
    float top = -std::numeric_limits<float>::infinity();
    for (float v : shown.data)
        if (std::isfinite(v))
            top = std::max(top, v);
    const DbRange range{double(top) - (a.topDb > 0 ? a.topDb : 80.0), double(top)};
    return savePng(renderSpectrogram(shown, ColorMap::get(colormap), range), out);
}

/// Seconds of the centre of each of `frames` frames.
std::vector<double> frameTimes(const dsp::Stft &stft, std::int64_t frames, double sampleRate)
{
    std::vector<double> times(static_cast<std::size_t>(frames));
    for (std::size_t f = 0; f < times.size(); ++f)
        times[f] = double(stft.frameCentre(std::int64_t(f))) / sampleRate;
    return times;
}

int runSpectrogram(const SpectrogramArgs &a)
{
    Expected<SpectrogramRequest> request = checkedRequest(a);
    if (!request)
        return usage(request.error().reason);
    const dsp::StftOptions &resolved = request->stft;
    AudioReadOptions readOptions;
    readOptions.targetRate = a.sampleRate;
    Expected<AudioClip> clip = readAudio(qs(a.file), readOptions);
    if (!clip)
        return fail("spectrogram", clip.error().toString());
    Expected<dsp::Stft> stft = dsp::Stft::create(resolved);
    if (!stft)
        return usage(stft.error().reason);
    const auto kind = a.power == 1 ? dsp::SpectrumKind::Magnitude : dsp::SpectrumKind::Power;
    Expected<dsp::FloatMatrix> values = linearSpectrogram(*clip, resolved, kind);
    if (!values)
        return fail("spectrogram", values.error().toString());

    std::vector<double> rowHz = stftRowFrequencies(resolved.nFft, clip->sampleRate);
    SpectrogramDescription d;
    if (a.mels > 0) {
        Expected<dsp::MelFilterbank> bank = melFilterbank(a, clip->sampleRate, resolved.nFft);
        if (!bank)
            return usage(bank.error().reason);
        Expected<dsp::FloatMatrix> melValues = bank->apply(*values);
        if (!melValues)
            return fail("spectrogram", melValues.error().toString());
        values = std::move(melValues);
        rowHz = melRowFrequencies(*bank);
        describeMel(d, a, *bank);
    }
    if (a.db)
        toDb(kind, values->data, dbOptions(a));

    const QString out = qs(a.out);
    Status written;
    if (request->png) {
        written = writePng(out, *values, kind, a, request->colormap);
    } else {
        describeStft(d, a, *clip, resolved);
        written = writeSpectrogramHdf5(out, *values, rowHz,
                                       frameTimes(*stft, values->cols, clip->sampleRate), d);
    }
    if (!written)
        return fail("spectrogram", written.error().toString());
    std::fprintf(stderr, "twb-cli spectrogram: %s written (%lld x %lld)\n",
                 out.toUtf8().constData(), static_cast<long long>(values->rows),
                 static_cast<long long>(values->cols));
    return ExitOk;
}

} // namespace

void addSpectrogramCommand(CLI::App &app, Context &ctx)
{
    auto o = std::make_shared<SpectrogramArgs>();
    CLI::App *cmd = app.add_subcommand(
        "spectrogram",
        "STFT or mel spectrogram of a sound file (WAV, FLAC, OGG; mixed to mono) as HDF5 "
        "(/spectrogram float32 [bins, frames] with every parameter as an attribute, /frequencies "
        "in Hz, /times in s) or as a PNG image (low frequencies at the bottom)");
    cmd->add_option("FILE", o->file, "The sound file")->required();
    cmd->add_option("--out", o->out, "Output .h5 or .png")->required();
    cmd->add_option("--n-fft", o->nFft, "FFT size; bins = n_fft / 2 + 1")->capture_default_str();
    cmd->add_option("--hop", o->hop, "Samples between frames (default n_fft / 4)");
    cmd->add_option("--win-length", o->winLength, "Window length <= n_fft (default n_fft)");
    cmd->add_option("--window", o->window, "Window type")
        ->check(CLI::IsMember({"hann", "hamming", "blackman", "blackman-harris", "kaiser", "rect"}))
        ->capture_default_str();
    cmd->add_option("--kaiser-beta", o->kaiserBeta, "Kaiser window beta")->capture_default_str();
    cmd->add_flag("--center,!--no-center", o->center,
                  "Reflect-pad n_fft / 2 samples at both ends (default on)");
    cmd->add_option("--power", o->power, "1 magnitude, 2 power")
        ->check(CLI::IsMember({1, 2}))
        ->capture_default_str();
    cmd->add_option("--mel", o->mels, "Mel bands (0 = linear STFT bins)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--fmin", o->fmin, "Lowest mel frequency in Hz")->capture_default_str();
    cmd->add_option("--fmax", o->fmax, "Highest mel frequency in Hz (default sample rate / 2)");
    cmd->add_option("--mel-scale", o->melScale, "Mel scale")
        ->check(CLI::IsMember({"htk", "slaney"}))
        ->capture_default_str();
    cmd->add_option("--mel-norm", o->melNorm, "Mel filter normalisation")
        ->check(CLI::IsMember({"slaney", "none"}))
        ->capture_default_str();
    cmd->add_flag("--db", o->db, "Store dB (10 log10 power or 20 log10 magnitude, ref 1)");
    cmd->add_option("--top-db", o->topDb,
                    "With --db: clip to the maximum minus this many dB (0 = no clip); the PNG's "
                    "dB range")
        ->capture_default_str();
    cmd->add_option("--colormap", o->colormap, "PNG colour map")
        ->check(CLI::IsMember({"viridis", "magma", "inferno", "grey"}))
        ->capture_default_str();
    cmd->add_option("--sample-rate", o->sampleRate, "Resample to this rate (Hz) first");
    cmd->callback(
        [&ctx, o] { runCommand(ctx, "spectrogram", [&] { return runSpectrogram(*o); }); });
}

} // namespace twb::cli
