#pragma once

// Small attention sets and forward traces for the tests of the Explain tab's clients, views and
// controller.

#include "FakeCli.h"
#include "attention/AttentionFile.h"
#include "attention/AttentionSet.h"
#include "attention/ForwardTrace.h"

#include <QList>
#include <QStringList>

#include <string>
#include <utility>

namespace twb::test {

/// One layer, two heads, three time-range tokens ("patch 0..2" over rows [2t, 2t + 2)) of test
/// window 4. Head h, query q puts 0.5 on key (q + peak + h) % 3; every other weight is 0.25.
inline explain::AttentionSet setWithPeak(int peak)
{
    explain::AttentionSet set;
    set.modelId = "patchtst";
    set.sampleLabel = "test window 4";
    set.sampleIndex = 4;
    explain::AttentionLayer layer{2, 3, 3, {}};
    for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 3; ++q)
            for (int k = 0; k < 3; ++k)
                layer.weights.push_back(k == (q + peak + h) % 3 ? 0.5f : 0.25f);
    set.layers.push_back(layer);
    for (int t = 0; t < 3; ++t) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.begin = 2 * t;
        token.end = 2 * t + 2;
        token.label = "patch " + std::to_string(t);
        set.tokens.push_back(token);
    }
    return set;
}

/// Two layers (the second peaks one key further), channel 1 of "HUFL", "OT", and the 6-row,
/// 2-channel input the tokens cover.
inline explain::AttentionSet smallSet()
{
    explain::AttentionSet set = setWithPeak(0);
    set.layers.push_back(setWithPeak(1).layers.front());
    set.channel = 1;
    set.channelNames = {"HUFL", "OT"};
    for (int i = 0; i < 12; ++i)
        set.input.push_back(float(i) / 10.0f);
    set.inputRows = 6;
    set.inputCols = 2;
    return set;
}

/// A trace of sample `index` with two stages and one parameter.
inline explain::ForwardTrace smallTrace(std::int64_t index)
{
    explain::ForwardTrace trace;
    trace.modelId = "dlinear";
    trace.sampleLabel = "test window " + std::to_string(index);
    trace.sampleIndex = index;
    const float values[6] = {0.f, 1.f, 2.f, 3.f, 4.f, 5.f};
    trace.stages.push_back(explain::makeForwardStage("input", {1, 2, 3}, values));
    trace.stages.push_back(explain::makeForwardStage("output", {1, 3, 2}, values));
    trace.parameters.push_back({"linear.weight", {3, 2}, 6});
    trace.totalParameters = 6;
    trace.prediction = explain::makeForwardStage("prediction", {1, 3, 2}, values);
    return trace;
}

/// For copyingCli(): sample-1.h5 and sample-2.h5 in `files` (setWithPeak(i) of test window
/// i), the child of sample 1 taking 30 s (sleep-1).
inline bool writeSlowAndQuickSamples(const QString &files)
{
    for (int index : {1, 2}) {
        explain::AttentionSet set = setWithPeak(index);
        set.sampleIndex = index;
        set.sampleLabel = "test window " + std::to_string(index);
        if (!explain::writeAttentionFile(
                QDir(files).filePath(QStringLiteral("sample-%1.h5").arg(index)), set))
            return false;
    }
    return writeFile(QDir(files).filePath(QStringLiteral("sleep-1")), "30");
}

/// The checkpoints of epochPeaks(): their files, in the order listCheckpoints() gives them.
inline const QList<std::pair<QString, int>> &epochPeaks()
{
    // The peak of head 0, query 0 moves with the epoch: key 0, 1, 2, then best = epoch 4.
    static const QList<std::pair<QString, int>> peaks{
        {"epoch_002.pt", 0}, {"epoch_004.pt", 1}, {"epoch_010.pt", 2}, {"best.pt", 1}};
    return peaks;
}

/// A run folder `runDir` with the checkpoints of epochPeaks(), and for copyingCli() their
/// attention files in `files` (setWithPeak of each checkpoint's peak).
inline bool writeEpochRun(const QString &runDir, const QString &files)
{
    QStringList names;
    for (const auto &[name, peak] : epochPeaks()) {
        names << name;
        const QString file = QDir(files).filePath(QString(name).replace(".pt", ".h5"));
        if (!explain::writeAttentionFile(file, setWithPeak(peak)))
            return false;
    }
    return makeRun(runDir, names);
}

} // namespace twb::test
