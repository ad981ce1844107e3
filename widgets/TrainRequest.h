#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <cstdint>

namespace twb {

/// One training run as the GUI asks for it: the settings of the model panel, turned into the
/// arguments of `twb-cli train` (see app/cli/TrainCommand.cpp). Plain data, any thread.
struct TrainRequest
{
    QString dataPath;     ///< a path spec for `--data` ("file.csv", "file.h5:/group/ds")
    QString modelId;      ///< `--model`
    QString split;        ///< `--split`; empty = the CLI's default for the file
    QStringList channels; ///< `--channels` (joined with commas); empty = every channel
    std::int64_t lookback = 96;
    std::int64_t horizon = 24;
    std::int64_t epochs = 10;
    std::int64_t batchSize = 32;
    double lr = 1e-3;
    std::uint64_t seed = 2021;
    std::int64_t patience = 3; ///< 0 = no early stopping
    int threads = 0;           ///< `--threads`; 0 = not given (the CLI uses the physical cores)
    /// Canonical values (HyperparameterValues::map()): qint64, double, bool or QString. Every
    /// key becomes one `--set key=value`, defaults included, so that the command reproduces the
    /// run even if the plugin's defaults change.
    QVariantMap hyperparameters;
    QString runDir; ///< `--run-dir`: the new run folder

    /// "dlinear on ETTh1.csv (L 96, H 24)", for lists and titles.
    QString displayName() const;

    /// The arguments after the program: "train --data ... --run-dir DIR" in a fixed order.
    QStringList arguments() const;
};

/// One value of `--set` as typed on a command line: integers in decimal, reals in the shortest
/// form that reads back exactly, booleans as true/false, text as it is.
QString commandLineValue(const QVariant &value);

/// `argument` quoted for a POSIX shell: unchanged when it only holds characters that need no
/// quoting ([A-Za-z0-9_@%+=:,./-]), otherwise in single quotes with each ' written as '\''.
/// The empty string becomes ''.
QString shellQuote(const QString &argument);

/// `program` and `arguments` as one shell command line (each part shellQuote'd).
QString shellCommand(const QString &program, const QStringList &arguments);

/// A folder name for a new run: "<model>-<data file base name>-<yyyyMMdd-hhmmss>", with
/// characters other than letters, digits, '.', '_' and '-' replaced by '_'.
QString runFolderName(const TrainRequest &request, const QDateTime &when);

/// `parent`/runFolderName(...), with "-2", "-3" ... appended while that path exists.
QString uniqueRunDir(const QString &parent, const TrainRequest &request, const QDateTime &when);

} // namespace twb

Q_DECLARE_METATYPE(twb::TrainRequest)
