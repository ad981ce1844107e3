#include "FineTunePlan.h"
#include "TrainConfig.h"
#include "common/Errors.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <set>

namespace twb {

QJsonObject FineTunePlan::toJson(const FineTuneRecipe &recipe, const QStringList &head) const
{
    QJsonObject o{{QStringLiteral("recipe"), recipe.name()},
                  {QStringLiteral("head"), QJsonArray::fromStringList(head)}};
    if (recipe.kind == FineTuneRecipe::Kind::HeadFirst)
        o[QStringLiteral("thaw_epoch")] = qint64(thawEpoch + 1); // 1-based, as in metrics.csv
    return o;
}

Expected<FineTunePlan> applyRecipe(torch::nn::Module &model, const FineTuneRecipe &recipe,
                                   const QStringList &head, const QString &source)
{
    FineTunePlan plan;
    if (recipe.kind == FineTuneRecipe::Kind::Full)
        return plan;
    std::set<std::string> headNames;
    for (const QString &name : head)
        headNames.insert(name.toStdString());
    bool anyHead = false;
    for (const auto &p : model.named_parameters(true))
        anyHead = anyHead || headNames.count(p.key()) > 0;
    if (!anyHead)
        return makeError(QStringLiteral("finetune %1: every parameter of the model came from the "
                                        "source, so there is no fresh head to train alone (use "
                                        "--freeze PREFIX to choose what stays fixed)")
                             .arg(recipe.name()),
                         source);
    for (auto &p : model.named_parameters(true)) {
        if (headNames.count(p.key()) || !p.value().requires_grad())
            continue;
        p.value().set_requires_grad(false);
        if (recipe.kind == FineTuneRecipe::Kind::LinearProbe)
            plan.frozen << QString::fromStdString(p.key());
        else
            plan.thawLater.push_back(p.key());
    }
    plan.thawEpoch = recipe.headEpochs;
    return plan;
}

NamedParameters optimizedParameters(const torch::nn::Module &model,
                                    const std::vector<std::string> &thawLater)
{
    const std::set<std::string> later(thawLater.begin(), thawLater.end());
    NamedParameters out;
    for (const auto &item : model.named_parameters(true))
        if (item.value().requires_grad() || later.count(item.key()))
            out.emplace_back(item.key(), item.value());
    return out;
}

void thawParameters(torch::nn::Module &model, const std::vector<std::string> &names)
{
    const std::set<std::string> wanted(names.begin(), names.end());
    for (auto &p : model.named_parameters(true))
        if (wanted.count(p.key()) && !p.value().requires_grad())
            p.value().set_requires_grad(true);
}

namespace {

QJsonObject runConfigOf(const QString &initFrom)
{
    if (!QFileInfo(initFrom).isDir())
        return {};
    QFile f(QDir(initFrom).filePath(QStringLiteral("config.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

QJsonObject initSourceJson(const QString &initFrom, const QString &checkpointPath)
{
    QJsonObject o{{QStringLiteral("checkpoint"), QFileInfo(checkpointPath).absoluteFilePath()}};
    QFile f(checkpointPath);
    if (f.open(QIODevice::ReadOnly)) {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&f);
        o[QStringLiteral("checkpoint_sha256")] = QString::fromLatin1(hash.result().toHex());
    }
    const QJsonObject run = runConfigOf(initFrom);
    if (!run.isEmpty()) {
        const QJsonObject provenance = run.value(QStringLiteral("provenance")).toObject();
        o[QStringLiteral("run")] = QFileInfo(initFrom).absoluteFilePath();
        o[QStringLiteral("run_task")] = run.value(QStringLiteral("task"));
        o[QStringLiteral("run_model")] = run.value(QStringLiteral("model"));
        o[QStringLiteral("run_data_fingerprint")] =
            provenance.value(QStringLiteral("data_fingerprint"));
        o[QStringLiteral("run_start_time")] = provenance.value(QStringLiteral("start_time"));
    }
    return o;
}

QStringList inheritHyperparameters(TrainConfig &config)
{
    QStringList taken;
    if (config.initFrom.isEmpty())
        return taken;
    const QJsonObject run = runConfigOf(config.initFrom);
    if (run.value(QStringLiteral("model")).toString() != config.modelId)
        return taken;
    const QJsonObject values = run.value(QStringLiteral("hyperparameters")).toObject();
    for (auto it = values.begin(); it != values.end(); ++it)
        if (!config.hyperparameters.contains(it.key())) {
            config.hyperparameters.insert(it.key(), it.value().toVariant());
            taken << it.key();
        }
    return taken;
}

} // namespace twb
