#pragma once

#include "ModelFactory.h"
#include "TrainConfig.h"
#include "common/Expected.h"
#include "data/StandardScaler.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace twb {

class Model;

/// A run folder loaded back for evaluation, prediction or export.
struct LoadedRun
{
    QString dir;
    TrainConfig config;     ///< as saved (split resolved, hyperparameters validated)
    QJsonObject configJson; ///< config.json as a whole, with "provenance"
    QJsonObject provenance;
    StandardScaler scaler;    ///< the train statistics of the run
    QStringList channelNames; ///< the model's input channels (mel bins for spectrograms)
    QStringList classNames;   ///< classification runs only
    ModelSource source;
    QString checkpointPath;
    std::shared_ptr<Model> model; ///< in eval mode, with the checkpoint's weights
};

/// Reads DIR/config.json, finds the plugin, recreates the model (for the run's task: forecast,
/// classify, or pretrain = Task::Reconstruct) and loads the weights of
/// DIR/checkpoints/<checkpoint>. Errors name the file and the reason (not a run folder, no
/// checkpoint, unknown model, weights that do not fit the model).
Expected<LoadedRun> loadRun(const QString &dir, const PluginLookup &lookup,
                            const QString &checkpoint = QStringLiteral("best.pt"));

} // namespace twb
