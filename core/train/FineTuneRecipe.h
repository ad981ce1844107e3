#pragma once

#include "Optimizer.h"
#include "common/Expected.h"

#include <torch/torch.h>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

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

/// What a recipe does to a model: the parameters it freezes for the whole run (linear probe)
/// or until `thawEpoch` (head first; 0-based epoch from which they train).
struct FineTunePlan
{
    QStringList frozen;                 ///< frozen for the whole run
    std::vector<std::string> thawLater; ///< frozen until thawEpoch
    std::int64_t thawEpoch = 0;
    QJsonObject toJson(const FineTuneRecipe &recipe, const QStringList &head) const;
};

/// Freezes (requires_grad false) every parameter of `model` that is not in `head` as the
/// recipe says. Errors: a linear probe or head-first with an empty head (every parameter came
/// from the source: nothing is fresh), naming `source`.
Expected<FineTunePlan> applyRecipe(torch::nn::Module &model, const FineTuneRecipe &recipe,
                                   const QStringList &head, const QString &source);

/// The parameters a Trainer optimises: those that require a gradient and those of `thawLater`
/// (frozen now, trained from a later epoch: in the optimizer from the start, which skips a
/// parameter without gradient), in registration order.
NamedParameters optimizedParameters(const torch::nn::Module &model,
                                    const std::vector<std::string> &thawLater);

/// Sets requires_grad on the parameters named in `names`.
void thawParameters(torch::nn::Module &model, const std::vector<std::string> &names);

/// The source of --init-from as config.json records it: the run folder (or file), the
/// checkpoint, its SHA-256 (of the file's bytes), and when it is a run folder that run's task,
/// model and data fingerprint (from its config.json).
QJsonObject initSourceJson(const QString &initFrom, const QString &checkpointPath);

/// With --init-from a run folder of the same model: the hyperparameters the user did not give
/// take that run's values (so that a fine-tuned PatchTST has the pretrained patches and width).
/// Returns the keys taken.
QStringList inheritHyperparameters(TrainConfig &config);

} // namespace twb
