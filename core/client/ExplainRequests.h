#pragma once

#include <QString>

#include <QtGlobal>

namespace twb {

/// What the Explain tab asks `twb-cli attention` for: plain data, emitted by the views and run
/// by AttentionJob (which turns it into a command line).
struct AttentionRequest
{
    AttentionRequest() = default;
    AttentionRequest(const QString &runDir, qint64 index, int channel = -1)
        : runDir(runDir)
        , index(index)
        , channel(channel)
    {}

    QString runDir;        ///< the run folder
    qint64 index = 0;      ///< test sample (forecast window or classification case), from 0
    int channel = -1;      ///< channel-independent models: the channel explained; -1 = the default
    int count = 1;         ///< > 1: the mean attention of `count` test samples from `index` on
    bool saliency = false; ///< also gradient x input of the prediction (one sample only)
    QString checkpoint;    ///< a file of RUN/checkpoints ("epoch_004.pt"); empty = the run's best

    bool operator==(const AttentionRequest &) const = default;
};

/// What the Forward pass tab asks `twb-cli forward` for.
struct ForwardRequest
{
    ForwardRequest() = default;
    ForwardRequest(const QString &runDir, qint64 index)
        : runDir(runDir)
        , index(index)
    {}

    QString runDir;
    qint64 index = 0; ///< test sample, from 0

    bool operator==(const ForwardRequest &) const = default;
};

} // namespace twb
