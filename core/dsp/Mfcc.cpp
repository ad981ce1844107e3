#include "Mfcc.h"

#include "MelSpectrogram.h"

#include <cmath>
#include <numbers>

namespace twb::dsp {

FloatMatrix dctOrthonormal(int nOut, int nIn)
{
    FloatMatrix d(nOut, nIn);
    for (int k = 0; k < nOut; ++k) {
        const double s = std::sqrt((k == 0 ? 1.0 : 2.0) / nIn);
        for (int n = 0; n < nIn; ++n)
            d(k, n) = float(s * std::cos(std::numbers::pi * k * (2 * n + 1) / (2.0 * nIn)));
    }
    return d;
}

Expected<FloatMatrix> mfccFromLogMel(const FloatMatrix &logMelDb, int nMfcc)
{
    const std::int64_t mels = logMelDb.rows;
    if (nMfcc < 1 || nMfcc > mels)
        return Error{QStringLiteral("the number of MFCCs must be between 1 and the number of mel "
                                    "bands (%1), got %2")
                         .arg(mels)
                         .arg(nMfcc),
                     {},
                     0};
    const FloatMatrix d = dctOrthonormal(nMfcc, int(mels));
    FloatMatrix out(nMfcc, logMelDb.cols);
    std::vector<double> acc(std::size_t(logMelDb.cols));
    for (int k = 0; k < nMfcc; ++k) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::int64_t m = 0; m < mels; ++m) {
            const double w = d(k, m);
            const float *src = logMelDb.row(m);
            for (std::int64_t j = 0; j < logMelDb.cols; ++j)
                acc[std::size_t(j)] += w * src[j];
        }
        for (std::int64_t j = 0; j < logMelDb.cols; ++j)
            out(k, j) = float(acc[std::size_t(j)]);
    }
    return out;
}

Expected<FloatMatrix> mfcc(std::span<const float> signal, const MfccOptions &options)
{
    auto logMel = logMelSpectrogram(signal, options.stft, options.mel, options.db);
    if (!logMel)
        return logMel;
    return mfccFromLogMel(*logMel, options.nMfcc);
}

} // namespace twb::dsp
