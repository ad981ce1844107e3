#pragma once

#include "FineTuneRecipe.h"
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
