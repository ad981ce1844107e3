#include "MelSpectrogram.h"

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
    // Blocks of frames keep the column writes of the [nMels, frames] layout in cache.
    constexpr std::int64_t block = 16;
    std::vector<float> spectrum(static_cast<std::size_t>(bins));
    std::vector<float> melBlock(static_cast<std::size_t>(block * mels));
    for (std::int64_t j0 = f0; j0 < f1; j0 += block) {
        const std::int64_t j1 = std::min(f1, j0 + block);
        for (std::int64_t f = j0; f < j1; ++f) {
            stft.spectrumOfFrame(signal, f, kind, spectrum.data());
            bank.apply(spectrum.data(), melBlock.data() + (f - j0) * mels);
        }
        for (int m = 0; m < mels; ++m) {
            float *dst = out.row(m) + (j0 - f0);
            for (std::int64_t f = j0; f < j1; ++f)
                dst[f - j0] = melBlock[std::size_t((f - j0) * mels + m)];
        }
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
