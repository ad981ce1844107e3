#include "FineTune.h"
#include "common/Errors.h"

#include <set>

namespace twb {

Expected<InitReport> initializeFrom(torch::nn::Module &module, const TensorDict &source,
                                    const QString &sourceName)
{
    std::vector<std::pair<std::string, torch::Tensor>> targets;
    for (const auto &p : module.named_parameters(true))
        targets.emplace_back(p.key(), p.value());
    for (const auto &b : module.named_buffers(true))
        targets.emplace_back(b.key(), b.value());

    InitReport report;
    std::set<std::string> modelNames;
    for (const auto &[name, target] : targets) {
        modelNames.insert(name);
        auto it = source.find(name);
        if (it == source.end()) {
            report.notInSource << QString::fromStdString(name);
            continue;
        }
        if (it->value().sizes() != target.sizes())
            return makeError(
                QStringLiteral("cannot initialise %1: shape %2 in the source, %3 in the "
                               "model")
                    .arg(QString::fromStdString(name),
                         QString::fromStdString(c10::str(it->value().sizes())),
                         QString::fromStdString(c10::str(target.sizes()))),
                sourceName);
        report.loaded << QString::fromStdString(name);
    }
    for (const auto &entry : source)
        if (!modelNames.count(entry.key()))
            report.notInModel << QString::fromStdString(entry.key());

    torch::NoGradGuard noGrad;
    for (auto &[name, target] : targets) {
        auto it = source.find(name);
        if (it != source.end())
            target.copy_(it->value());
    }
    return report;
}

Expected<QStringList> freezeParameters(torch::nn::Module &module, const QStringList &prefixes)
{
    QStringList frozen;
    for (const QString &prefix : prefixes) {
        const std::string p = prefix.toStdString();
        bool matched = false;
        for (auto &param : module.named_parameters(true)) {
            if (param.key().rfind(p, 0) != 0)
                continue;
            matched = true;
            if (param.value().requires_grad()) {
                param.value().set_requires_grad(false);
                frozen << QString::fromStdString(param.key());
            }
        }
        if (!matched)
            return makeError(
                QStringLiteral("--freeze %1 matches no parameter of the model").arg(prefix));
    }
    return frozen;
}

} // namespace twb
