#include "TaskPipeline.h"
#include "ClassifyPipeline.h"
#include "ForecastPipeline.h"
#include "PretrainPipeline.h"
#include "SeparatePipeline.h"

namespace twb {

std::unique_ptr<TaskPipeline> makeTaskPipeline(const QString &task)
{
    if (task == QLatin1String("forecast"))
        return std::make_unique<ForecastPipeline>();
    if (task == QLatin1String("classify"))
        return std::make_unique<ClassifyPipeline>();
    if (task == QLatin1String("pretrain"))
        return std::make_unique<PretrainPipeline>();
    if (task == QLatin1String("separate"))
        return std::make_unique<SeparatePipeline>();
    return nullptr;
}

} // namespace twb
