#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace twb {

// The messages of `twb-cli whatif`: the edit (flags, or one request line of --serve) and the
// answer (the --json output, or one answer line of --serve). Encoders and decoders here, used
// by twb-cli and by the window's what-if client; tests/core/protocol/tst_whatifmessages.cpp
// round-trips them. Plain values; any thread.

/// A rectangle of the model's input [time (frames), channels (mel bins)] in input indices,
/// half-open; an end of -1 means "to the end". A whole channel is rows [0, -1) x [c, c + 1), a
/// time range rows [a, b) x all columns, a spectrogram region frames x bins.
struct InputRegion
{
    std::int64_t rowBegin = 0;
    std::int64_t rowEnd = -1;
    std::int64_t colBegin = 0;
    std::int64_t colEnd = -1;

    bool operator==(const InputRegion &) const = default;
};

/// One attention head of one encoder layer (both from 0).
struct HeadRef
{
    int layer = 0;
    int head = 0;

    bool operator==(const HeadRef &) const = default;
};

/// A what-if edit of one sample: input values masked (set to `fill`, 0 on the normalised scale
/// = the train mean) and heads switched off. Empty = the original sample.
struct WhatIfEdit
{
    std::vector<int> tokens;          ///< token indices of Model::tokens(), as maskTokens
    std::int64_t tokenChannel = -1;   ///< time tokens of channel-independent models: the
                                      ///< channel masked (-1 = all channels)
    std::vector<InputRegion> regions; ///< input rectangles masked
    std::vector<HeadRef> headsOff;    ///< heads switched off
    float fill = 0.0f;

    bool isEmpty() const { return tokens.empty() && regions.empty() && headsOff.empty(); }
    bool operator==(const WhatIfEdit &) const = default;

    /// {"mask_tokens": [3, 4], "token_channel": 6, "regions": [[r0, r1, c0, c1], ...],
    ///  "heads_off": [[layer, head], ...], "fill": 0}; every key optional when read.
    /// Errors name the key and what is wrong with it.
    static Expected<WhatIfEdit> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;
};

/// One request line of `twb-cli whatif --serve`: the edit's keys, the test sample and an id
/// that the answer echoes: {"id": any, "index": I, "mask_tokens": ..., ...}.
struct WhatIfRequest
{
    QJsonValue id;          ///< echoed in the answer; undefined = none
    std::int64_t index = 0; ///< test window (forecast) or test case (classify)
    WhatIfEdit edit;

    /// Errors: "index" missing or negative, or the edit's (WhatIfEdit::fromJson).
    static Expected<WhatIfRequest> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;
};

/// What an edit changed, in a few numbers (the answer's "summary").
struct WhatIfChange
{
    // classify
    QString classOriginal, classEdited;
    double pOriginal = 0.0, pEdited = 0.0;
    double pEditedOfOriginalClass = 0.0; ///< the originally predicted class after the edit
    // forecast, in the data's units (separate: of the waveforms)
    double meanAbsChange = 0.0, maxAbsChange = 0.0;
    std::optional<double> mseOriginal, mseEdited; ///< against the truth, when it is known
    // separate, dB per reference source: SI-SNR of the estimates before and after the edit and
    // of the unedited mixture (empty for the other tasks)
    std::vector<double> siSnrOriginal, siSnrEdited, siSnrMixture;

    /// Mean SI-SNR improvement over the mixture across the sources, before (edited = false) or
    /// after the edit, in dB; nothing unless the three per-source lists are filled and agree.
    std::optional<double> meanSiSnri(bool edited) const;

    /// classify {"class_original","class_edited","p_original","p_edited",
    /// "p_edited_of_original_class"}; forecast {"mean_abs_change","max_abs_change"
    /// [,"mse_original","mse_edited"]}; separate adds {"si_snr_original","si_snr_edited",
    /// "si_snr_mixture": per source, "si_snri_original","si_snri_edited": means}.
    QJsonObject toJson(bool classify) const;
    static WhatIfChange fromJson(const QJsonObject &object);
};

/// One answer: a sample's prediction before and after an edit.
struct WhatIfAnswer
{
    bool classify = false;
    bool separate = false;    ///< a separation run: rows are samples, columns sources
    double sampleRate = 0.0;  ///< separate: the mixture's rate (Hz), for a time axis
    std::int64_t index = 0;   ///< the test sample
    std::int64_t samples = 0; ///< samples in the test part
    QString label;            ///< "test window 12 (2017-10-20 08:00)", "0_george_0.wav"
    int rows = 0;             ///< forecast: horizon; classify: 1; separate: samples
    int cols = 0;             ///< forecast: channels; classify: classes; separate: sources
    QStringList names;        ///< channel, class or source names
    /// Row-major [rows, cols]: forecast values in the data's units, class probabilities, or
    /// the estimated sources in the references' order.
    std::vector<float> original;
    std::vector<float> edited;
    /// Forecast, row-major in the data's units: lookback x cols, and horizon x cols (the truth
    /// may be empty). Separate: the mixture before and after the edit (lookback = rows values)
    /// and the references, rows x cols. NaN is written as null and read back as NaN.
    std::vector<float> history;
    std::vector<float> editedHistory;
    std::vector<float> truth;
    int lookback = 0;
    QString truthClass; ///< classify: the true class name (may be empty)
    std::int64_t changedInputs = 0;
    std::int64_t inputValues = 0;
    /// The model's input of the sample [1, inputRows, inputNames.size()] (time steps, frames or
    /// samples x channels, mel bins or one mixture) and its column names, so that a client that
    /// has no attention set of the sample (a model without attention) can offer its regions.
    /// 0 and empty when the answer does not say (older answers).
    int inputRows = 0;
    QStringList inputNames;
    WhatIfChange change;
    double milliseconds = 0.0; ///< time the CLI took for the answer

    /// {"ok": true, "index", "samples", "label", "task", "rows", "cols", "names", "original",
    ///  "edited", "changed_inputs", "input_values", "input_rows", "input_names", "summary",
    ///  "ms", classify: "truth_class"
    ///  when known; forecast and separate: "lookback", "history", "edited_history", "truth";
    ///  separate: "sample_rate"}
    QJsonObject toJson() const;
    /// Reads an answer; errors say what is missing or inconsistent ({"ok": false} answers give
    /// their "error" text).
    static Expected<WhatIfAnswer> fromJson(const QJsonObject &answer);
    /// {"ok": false, "error": message}
    static QJsonObject errorJson(const QString &message);

    /// The column of channel/class `col` of a row-major [rows, cols] array.
    std::vector<float> column(const std::vector<float> &values, int col) const;
};

} // namespace twb
