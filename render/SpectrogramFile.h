#pragma once

#include "common/Expected.h"
#include "dsp/Matrix.h"

#include <QString>

#include <vector>

namespace twb {

/// Everything needed to reproduce a spectrogram, stored as HDF5 attributes.
struct SpectrogramDescription
{
    QString source;          ///< the audio file (empty for a signal from memory)
    double sampleRate = 0.0; ///< Hz of the analysed signal (after any resampling)
    int nFft = 0;
    int hop = 0;             ///< samples
    int winLength = 0;       ///< samples
    QString window;          ///< dsp::windowName
    double kaiserBeta = 0.0; ///< only meaningful for "kaiser"
    bool center = true;
    int power = 2;             ///< 1 magnitude, 2 power
    bool db = false;           ///< values are dB (10 log10 power / 20 log10 magnitude, ref 1)
    double topDb = 0.0;        ///< dB clip below the maximum; 0 = none (only with db)
    int nMels = 0;             ///< 0: linear STFT bins; else mel bands
    double fmin = 0.0;         ///< Hz (mel only)
    double fmax = 0.0;         ///< Hz (mel only)
    QString melScale;          ///< "htk" or "slaney" (mel only)
    QString melNorm;           ///< "slaney" or "none" (mel only)
    double startSeconds = 0.0; ///< time of the signal's first sample (for an excerpt)
};

/// Writes an HDF5 file (atomically, Hdf5Writer) readable by h5py:
///   /spectrogram  float32 [rows, frames]: row = frequency bin or mel band (ascending), column =
///                 frame; every field of `description` as an attribute of this dataset
///                 (sample_rate, n_fft, hop, win_length, window, kaiser_beta, center (0/1), power,
///                 db (0/1), top_db, n_mels, fmin, fmax, mel_scale, mel_norm, source, units)
///   /frequencies  float64 [rows]: Hz of each row (bin k * sr / nFft, or a band's centre)
///   /times        float64 [frames]: seconds of each frame's centre
/// Errors (with the path) for mismatched sizes or a failing write.
Status writeSpectrogramHdf5(const QString &path, const dsp::FloatMatrix &values,
                            const std::vector<double> &rowHz, const std::vector<double> &frameTimes,
                            const SpectrogramDescription &description);

} // namespace twb
