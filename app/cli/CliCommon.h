#pragma once

#include "common/Expected.h"
#include "plugin/ModelRegistry.h"
#include "train/ModelFactory.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

class QImage;

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace twb {
struct LoadedRun;
}

namespace twb::cli {

/// Exit codes of twb-cli (also documented in `twb-cli --help`).
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1,     ///< bad input or a failed run; the message is on stderr
    ExitUsage = 2,       ///< the command line itself is wrong
    ExitInterrupted = 3, ///< SIGTERM/SIGINT/"stop": last.pt written, resume with --resume
    ExitDiverged = 4,    ///< the loss became NaN or Inf
};

/// State shared by the subcommands of one twb-cli process (single thread).
class Context
{
public:
    /// The plugin registry, scanned on first use (TWB_PLUGIN_PATH, the build tree, the install).
    const ModelRegistry &registry();
    /// Finds a model by id; the error lists the available ids and the registry's problems.
    PluginLookup pluginLookup();

    int exitCode = ExitOk;

private:
    std::optional<ModelRegistry> m_registry;
};

/// Runs `body` as the action of subcommand `command`: exceptions become an error message and
/// ExitFailure; the returned code goes to ctx.exitCode.
void runCommand(Context &ctx, const char *command, const std::function<int()> &body);

/// "twb-cli <command>: error: <message>" on stderr; returns ExitFailure.
int fail(const char *command, const QString &message);
/// "twb-cli <command>: warning: <message>" on stderr.
void warn(const char *command, const QString &message);

/// A channel of the run given by name or number (`option` names the flag in errors); -1 when
/// `text` is empty. Errors list the run's channels.
Expected<std::int64_t> channelIndex(const LoadedRun &run, const QString &text, const char *option);

/// Writes `image` as a PNG file: encoded in memory, then writeFileAtomically (on failure the
/// old file stays as it was). Errors name the file and the reason (the system's, or a null
/// image that cannot be encoded).
Status savePng(const QImage &image, const QString &path);

/// Refuses (exit code 2, while the command line is parsed) a value of the integer option `option`
/// outside [low, high]; the message names the flag, the bounds and `why` the upper one.
void checkCount(CLI::Option *option, std::int64_t low, std::int64_t high, const QString &why);
/// The most --threads accepted: 4 x std::thread::hardware_concurrency() (at least 4).
int maxThreads();

/// Warns (on stderr, as `command`) that `dataPath` changed since a run was trained when
/// `fingerprint` differs from the run's provenance "data_fingerprint".
void warnIfDataChanged(const char *command, const QString &dataPath, const QString &fingerprint,
                       const QJsonObject &provenance);

/// Writes JSON (indented) followed by a newline to stdout.
void printJson(const QJsonValue &value);
/// Writes text to stdout as UTF-8.
void printText(const QString &text);

/// A CSV field: as it is, or quoted (inner quotes doubled) when it holds a comma, a quote or a
/// line break.
QString csvField(const QString &text);

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

/// "yyyy-MM-dd HH:mm:ss" (with ".zzz" when `withMs`) of ms since epoch, in UTC (the loader reads
/// times without offset as UTC, so this gives back the file's notation).
QString formatTime(std::int64_t msSinceEpoch, bool withMs = false);

void addModelsCommand(CLI::App &app, Context &ctx);
void addInspectCommand(CLI::App &app, Context &ctx);
void addTrainCommand(CLI::App &app, Context &ctx);
void addEvalCommand(CLI::App &app, Context &ctx);
void addPredictCommand(CLI::App &app, Context &ctx);
void addExportCommand(CLI::App &app, Context &ctx);

} // namespace twb::cli
