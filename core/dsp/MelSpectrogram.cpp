#include "MelSpectrogram.h"

#include "SimdKernels.h"

#include <algorithm>
#include <vector>

namespace twb::dsp {

Expected<FloatMatrix> melSpectrogram(Stft &stft, const MelFilterbank &bank,
                                     std::span<const float> signal, SpectrumKind kind,
                                     std::int64_t f0, std::int64_t f1)
{
    if (bank.bins() != stft.bins())
        return Error{QStringLiteral("the mel bank has %1 bins, the STFT %2")
                         .arg(bank.bins())
                         .arg(stft.bins()),
                     {},
                     0};
    if (Status s = stft.checkLength(std::int64_t(signal.size())); !s)
        return s.error();
    const std::int64_t frames = stft.frameCount(std::int64_t(signal.size()));
    if (f0 < 0 || f1 < f0 || f1 > frames)
        return Error{QStringLiteral("frame range [%1, %2) is outside the %3 frames of the signal")
                         .arg(f0)
                         .arg(f1)
                         .arg(frames),
                     {},
                     0};
    const int mels = bank.mels();
    const int bins = stft.bins();
    FloatMatrix out(mels, f1 - f0, FloatMatrix::Uninitialized{});
    // Blocks of frames keep the column writes of the [nMels, frames] layout in cache; blocks
    // after the first start at even frames (pairs of frames share one FFT, see
    // Stft::spectraOfFrames).
    // Each block of spectra is turned bins-major ([bins, block]) so that the filters run over
    // the block's frames at once and write straight into the [nMels, frames] output.
    constexpr std::int64_t block = 16;
    std::vector<float> spectra(static_cast<std::size_t>(block * bins));
    std::vector<float> columns(static_cast<std::size_t>(bins * block));
    for (std::int64_t j0 = f0; j0 < f1;) {
        const std::int64_t j1 = std::min(f1, (j0 + block) & ~std::int64_t(1));
        const int n = int(j1 - j0);
        stft.spectraOfFrames(signal, j0, j1, kind, spectra.data());
        simd::transpose(simd::bestIsa(), spectra.data(), n, bins, bins, columns.data(), block);
        bank.applyToColumns(columns.data(), block, n, out.row(0) + (j0 - f0), out.cols);
        j0 = j1;
    }
    return out;
}

Expected<FloatMatrix> melSpectrogram(std::span<const float> signal, const StftOptions &stft,
                                     MelOptions mel, SpectrumKind kind)
{
    auto engine = Stft::create(stft);
    if (!engine)
        return engine.error();
    mel.nFft = engine->options().nFft;
    auto bank = MelFilterbank::create(mel);
    if (!bank)
        return bank.error();
    return melSpectrogram(*engine, *bank, signal, kind, 0,
                          engine->frameCount(std::int64_t(signal.size())));
}

Expected<FloatMatrix> logMelSpectrogram(std::span<const float> signal, const StftOptions &stft,
                                        const MelOptions &mel, const DbOptions &db)
{
    auto spec = melSpectrogram(signal, stft, mel, SpectrumKind::Power);
    if (!spec)
        return spec;
    powerToDb(spec->data, db);
    return spec;
}

} // namespace twb::dsp
