#pragma once

// Torch-free (the fuzz build compiles it with TrainConfig): what the recipe is and its checks.
// Applying it to a model is FineTunePlan.h.

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace twb {

struct TrainConfig;

/// How a model initialised from another run (--init-from) is fine-tuned (--finetune).
/// "The head" is every parameter the source did not have (InitReport::notInSource): a
/// pretraining run's reconstruction head is not loaded (its names differ), so the new task's
/// head is fresh and everything else comes from the source.
struct FineTuneRecipe
{
    enum class Kind {
        Full,        ///< every parameter trains from the first epoch
        LinearProbe, ///< only the head trains; the rest stays bit-identical
        HeadFirst,   ///< the head alone for headEpochs epochs, then everything (PatchTST)
    };
    Kind kind = Kind::Full;
    std::int64_t headEpochs = 0; ///< HeadFirst: N >= 1

    /// "" or "full", "linear-probe", "head-first:N". The error quotes the text.
    static Expected<FineTuneRecipe> parse(const QString &text);
    QString name() const;
};

/// The checks of TrainConfig::validate for fine-tuning, low-label training and pretraining:
/// a recipe needs init-from and parses; head-first:N leaves at least one epoch after N;
/// train-fraction lies in (0, 1]; pretraining has no target channel.
Status validateFineTuning(const TrainConfig &config);

} // namespace twb
