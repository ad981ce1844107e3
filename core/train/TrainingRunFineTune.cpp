// TrainingRun: the fine-tuning recipe (--finetune) after --init-from, and again on resume.

#include "TrainingRun.h"
#include "common/Errors.h"
#include "nn/Model.h"

#include <QJsonArray>

namespace twb {

Status TrainingRun::setUpRecipe(Model &model, const TrainConfig &config, const QStringList &head,
                                const QString &checkpoint, QJsonObject &provenance)
{
    m_fineTune = {};
    Expected<FineTuneRecipe> recipe = FineTuneRecipe::parse(config.finetune);
    if (!recipe)
        return recipe.error();
    // The head: the fresh parameters (buffers such as BatchNorm statistics are not trained).
    QStringList parameters;
    for (const auto &p : model.named_parameters(true))
        if (head.contains(QString::fromStdString(p.key())))
            parameters << QString::fromStdString(p.key());
    Expected<FineTunePlan> plan = applyRecipe(model, *recipe, parameters, checkpoint);
    if (!plan)
        return plan.error();
    m_fineTune = *plan;
    provenance[QStringLiteral("finetune")] = plan->toJson(*recipe, parameters);
    if (recipe->kind == FineTuneRecipe::Kind::LinearProbe)
        onMessage(QStringLiteral("linear probe: only %1 train; %2 parameter tensors stay fixed")
                      .arg(parameters.join(QStringLiteral(", ")))
                      .arg(plan->frozen.size()));
    else if (recipe->kind == FineTuneRecipe::Kind::HeadFirst)
        onMessage(QStringLiteral("head first: only %1 train for %2 epoch(s), then all %3 more "
                                 "parameter tensors join")
                      .arg(parameters.join(QStringLiteral(", ")))
                      .arg(recipe->headEpochs)
                      .arg(plan->thawLater.size()));
    return {};
}

Status TrainingRun::resumeRecipe(Model &model, const TrainConfig &config, const QJsonObject &saved)
{
    m_fineTune = {};
    const QJsonObject finetune = saved.value(QStringLiteral("finetune")).toObject();
    if (finetune.isEmpty())
        return {};
    Expected<FineTuneRecipe> recipe = FineTuneRecipe::parse(config.finetune);
    if (!recipe)
        return recipe.error();
    QStringList head;
    for (const QJsonValue &name : finetune.value(QStringLiteral("head")).toArray())
        head << name.toString();
    Expected<FineTunePlan> plan =
        applyRecipe(model, *recipe, head, m_store->filePath(QStringLiteral("config.json")));
    if (!plan)
        return plan.error();
    m_fineTune = *plan;
    return {};
}

} // namespace twb
