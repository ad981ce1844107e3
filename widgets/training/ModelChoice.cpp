#include "ModelChoice.h"

#include <algorithm>

namespace twb {

namespace {

QStringList preferredIds(Task task)
{
    switch (task) {
    case Task::Forecast:
        return {QStringLiteral("patchtst"), QStringLiteral("dlinear"),
                QStringLiteral("itransformer")};
    case Task::Classify:
        return {QStringLiteral("tst"), QStringLiteral("t2"), QStringLiteral("ast")};
    case Task::Separate:
        return {QStringLiteral("convtasnet"), QStringLiteral("sepformer")};
    case Task::Reconstruct:
        break;
    }
    return {};
}

} // namespace

QString preferredModel(const std::vector<ModelTasks> &models, Task task, const QString &current,
                       bool sound)
{
    if (models.empty())
        return {};
    const QString name = taskName(task);
    auto find = [&](const QString &id) {
        return std::find_if(models.begin(), models.end(),
                            [&](const ModelTasks &m) { return m.id == id; });
    };
    auto fits = [&](const ModelTasks &m) {
        return m.tasks.contains(name);
    };

    if (sound && task == Task::Classify)
        if (const auto it = find(QStringLiteral("ast")); it != models.end() && fits(*it))
            return it->id;
    const auto chosen = find(current);
    if (chosen != models.end() && fits(*chosen))
        return current;
    for (const QString &id : preferredIds(task))
        if (const auto it = find(id); it != models.end() && fits(*it))
            return id;
    if (const auto it = std::find_if(models.begin(), models.end(), fits); it != models.end())
        return it->id;
    return chosen != models.end() ? current : models.front().id;
}

} // namespace twb
