#include "FineTuneRecipe.h"
#include "TrainConfig.h"
#include "common/Errors.h"

#include <algorithm>

namespace twb {

Expected<FineTuneRecipe> FineTuneRecipe::parse(const QString &text)
{
    FineTuneRecipe recipe;
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("full"))
        return recipe;
    if (t == QLatin1String("linear-probe")) {
        recipe.kind = Kind::LinearProbe;
        return recipe;
    }
    if (t.startsWith(QLatin1String("head-first:"))) {
        bool ok = false;
        const qint64 n = t.mid(11).toLongLong(&ok);
        if (ok && n >= 1) {
            recipe.kind = Kind::HeadFirst;
            recipe.headEpochs = n;
            return recipe;
        }
    }
    return makeError(QStringLiteral("finetune \"%1\" is not a recipe: full, linear-probe or "
                                    "head-first:N (N >= 1 epochs of the head alone)")
                         .arg(text));
}

QString FineTuneRecipe::name() const
{
    switch (kind) {
    case Kind::Full:
        return QStringLiteral("full");
    case Kind::LinearProbe:
        return QStringLiteral("linear-probe");
    case Kind::HeadFirst:
        return QStringLiteral("head-first:%1").arg(headEpochs);
    }
    return {};
}

Status validateFineTuning(const TrainConfig &config)
{
    Expected<FineTuneRecipe> recipe = FineTuneRecipe::parse(config.finetune);
    if (!recipe)
        return recipe.error();
    if (!config.finetune.trimmed().isEmpty() && config.initFrom.isEmpty())
        return makeError(QStringLiteral("finetune needs init-from (the run to fine-tune)"));
    if (recipe->kind == FineTuneRecipe::Kind::HeadFirst && recipe->headEpochs >= config.epochs)
        return makeError(QStringLiteral("finetune head-first:%1 trains the head alone for %1 "
                                        "epochs, but the run has only %2 epochs")
                             .arg(recipe->headEpochs)
                             .arg(config.epochs));
    if (!(config.trainFraction > 0.0 && config.trainFraction <= 1.0))
        return makeError(
            QStringLiteral("train-fraction must lie in (0, 1]; got %1").arg(config.trainFraction));
    if (config.task == QLatin1String("pretrain") && !config.target.isEmpty())
        return makeError(QStringLiteral("target is for forecasting: pretraining reconstructs "
                                        "every channel"));
    return {};
}

} // namespace twb
