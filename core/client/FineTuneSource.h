#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace twb {

/// The run a fine-tune starts from, as the model panel needs it: the weights' folder and the
/// architecture they fit. Plain data, any thread.
struct FineTuneSource
{
    QString runDir; ///< absolute path of the run folder (`--init-from`)
    QString name;   ///< the folder's name
    QString modelId;
    QString task; ///< the source run's task: "pretrain", "forecast" or "classify"
    /// config.json's "hyperparameters" (the architecture the weights fit), canonical values.
    QVariantMap hyperparameters;
    std::int64_t lookback = 0; ///< config.json's "lookback" (0 when absent)
};

/// Reads the source of a fine-tune from `runDir`/config.json. Errors name the file and the
/// reason (missing, not JSON, no model). Threading: any thread (reads one small file).
Expected<FineTuneSource> readFineTuneSource(const QString &runDir);

/// One learnable tensor as `twb-cli parameters --json` lists it.
struct ParameterEntry
{
    QString name; ///< "encoder.layers.0.self_attn.in_proj_weight"
    QList<qint64> shape;
    qint64 count = 0;
    bool frozen = false; ///< frozen by the run that was read
};

/// True for a tensor of a pretraining model's reconstruction head, the child module
/// "pretrain_head" (PatchTST, TST): a fine-tune never loads it (the new task's head replaces
/// it), so there is nothing of it to freeze.
bool isPretrainingHead(const QString &name);

/// Parses the output of `twb-cli parameters --json`; `source` names the file in errors.
Expected<QList<ParameterEntry>> parseParameterList(const QByteArray &json, const QString &source);

} // namespace twb
