#pragma once

#include "Decibel.h"
#include "Matrix.h"
#include "MelFilterbank.h"
#include "Stft.h"
#include "common/Expected.h"

#include <span>

namespace twb::dsp {

/// Mel spectrogram of frames [f0, f1) as `[nMels, f1 - f0]` (row = mel band, column = frame):
/// the filterbank applied to each frame's power (librosa power=2) or magnitude (power=1)
/// spectrum. The bank's nFft must equal the STFT's. Same threading rules as Stft.
Expected<FloatMatrix> melSpectrogram(Stft &stft, const MelFilterbank &bank,
                                     std::span<const float> signal, SpectrumKind kind,
                                     std::int64_t f0, std::int64_t f1);

/// The whole mel spectrogram `[nMels, frames]`; `mel.nFft` is taken from `stft.nFft`.
Expected<FloatMatrix> melSpectrogram(std::span<const float> signal, const StftOptions &stft,
                                     MelOptions mel, SpectrumKind kind = SpectrumKind::Power);

/// Log-mel in dB `[nMels, frames]`: powerToDb of the power mel spectrogram (librosa
/// power_to_db(melspectrogram(...)) with the given ref, amin and top_db).
Expected<FloatMatrix> logMelSpectrogram(std::span<const float> signal, const StftOptions &stft,
                                        const MelOptions &mel, const DbOptions &db = {});

} // namespace twb::dsp
