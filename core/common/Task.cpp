#include "Task.h"

namespace twb {

QString taskName(Task task)
{
    switch (task) {
    case Task::Forecast:
        return QStringLiteral("forecast");
    case Task::Classify:
        return QStringLiteral("classify");
    case Task::Reconstruct:
        return QStringLiteral("reconstruct");
    case Task::Separate:
        return QStringLiteral("separate");
    }
    return {};
}

std::optional<Task> taskFromName(const QString &name)
{
    for (Task t : {Task::Forecast, Task::Classify, Task::Reconstruct, Task::Separate})
        if (taskName(t) == name)
            return t;
    return std::nullopt;
}

} // namespace twb
