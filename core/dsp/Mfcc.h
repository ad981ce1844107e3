#pragma once

#include "Decibel.h"
#include "Matrix.h"
#include "MelFilterbank.h"
#include "Stft.h"
#include "common/Expected.h"

#include <span>

namespace twb::dsp {

/// The first `nOut` rows of the orthonormal DCT-II of size nIn, `[nOut, nIn]`:
/// D[k, n] = s_k cos(pi k (2n + 1) / (2 nIn)), s_0 = sqrt(1 / nIn), s_k = sqrt(2 / nIn)
/// (scipy.fft.dct(type=2, norm="ortho")). Computed in double. Needs 1 <= nOut <= nIn.
FloatMatrix dctOrthonormal(int nOut, int nIn);

/// MFCCs `[nMfcc, frames]` of a log-mel spectrogram `[nMels, frames]` (in dB): the orthonormal
/// DCT-II along the mel axis, first nMfcc coefficients (librosa.feature.mfcc with dct_type 2,
/// norm "ortho", lifter 0). Errors when nMfcc is not in 1..nMels.
Expected<FloatMatrix> mfccFromLogMel(const FloatMatrix &logMelDb, int nMfcc);

struct MfccOptions
{
    StftOptions stft; ///< librosa uses n_fft 2048, hop 512
    MelOptions mel;   ///< nFft is taken from stft
    DbOptions db;     ///< power_to_db of the mel power spectrogram (ref 1, amin 1e-10, 80 dB)
    int nMfcc = 20;
};

/// MFCCs `[nMfcc, frames]` of a signal: log-mel (dB) then mfccFromLogMel.
Expected<FloatMatrix> mfcc(std::span<const float> signal, const MfccOptions &options);

} // namespace twb::dsp
