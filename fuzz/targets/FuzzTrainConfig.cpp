#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "train/TrainConfig.h"

#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>

namespace twb::fuzz {

// A run's config.json as `train --config`, `train --resume` and the window's run views read it.
// Beyond "no crash", one property: a configuration that validates must survive what a run does
// with it (saved with toJson, read back with fromJson) unchanged, with no differences for
// `--resume` to complain about. A violation aborts, as a crash would.
int fuzzTrainConfig(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("config.json"));
    Expected<TrainConfig> config = TrainConfig::fromFile(path);
    if (!config)
        return 0;
    (void)config->validateGroupsAndFolds();
    if (!config->validate(path))
        return 0;
    (void)config->scheduleOptions();
    (void)config->optimizerOptions();

    const QJsonObject saved = config->toJson();
    Expected<TrainConfig> again = TrainConfig::fromJson(saved, path);
    if (!again) {
        std::fprintf(stderr, "fuzzTrainConfig: a saved configuration is refused: %s\n",
                     qPrintable(again.error().toString()));
        std::abort();
    }
    if (again->toJson() != saved || !config->differences(*again).isEmpty()) {
        std::fprintf(stderr,
                     "fuzzTrainConfig: the configuration changed when saved and read "
                     "back (differences: %s)\n%s\n",
                     qPrintable(config->differences(*again).join(QStringLiteral(", "))),
                     QJsonDocument(saved).toJson().constData());
        std::abort();
    }
    return 0;
}

} // namespace twb::fuzz
