#pragma once

// What the tests that run twb-cli share (tst_cli, tst_cli_attention, tst_cli_forward,
// tst_cli_whatif, tst_whatifpanel).

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cmath>
#include <csignal>
#include <sys/resource.h>

namespace twb::test {

struct Result
{
    int exitCode = -1; ///< -1: timed out or crashed
    QByteArray out;
    QByteArray err;
};

/// Runs `cli args` in `workDir`; kills it after `timeoutMs`. With `fileSizeLimit` >= 0 the
/// child may write files of at most that many bytes (RLIMIT_FSIZE, SIGXFSZ ignored: a longer
/// write fails with EFBIG, as on a full disk). A non-empty `environment` replaces the child's.
inline Result runCli(const QString &cli, const QString &workDir, const QStringList &args,
                     int timeoutMs = 240000, qint64 fileSizeLimit = -1,
                     const QProcessEnvironment &environment = {})
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    if (!environment.isEmpty())
        p.setProcessEnvironment(environment);
    if (fileSizeLimit >= 0) {
        p.setChildProcessModifier([fileSizeLimit] {
            std::signal(SIGXFSZ, SIG_IGN); // stays ignored across exec
            const rlimit limit{rlim_t(fileSizeLimit), rlim_t(fileSizeLimit)};
            setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    p.start(cli, args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// Writes `rows` hourly rows from 2022-01-01 00:00 UTC: "date,a,b" with a = sin(0.2 r) and b =
/// 50 + 10 cos(0.07 r) (one channel in other units). False if the file cannot be written.
inline bool writeHourlyWaves(const QString &path, int rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("date,a,b\n");
    const QDateTime t0(QDate(2022, 1, 1), QTime(0, 0), Qt::UTC);
    for (int r = 0; r < rows; ++r)
        f.write(t0.addSecs(3600LL * r).toString("yyyy-MM-dd HH:mm:ss").toUtf8() + ',' +
                QByteArray::number(std::sin(0.2 * r), 'f', 5) + ',' +
                QByteArray::number(50 + 10 * std::cos(0.07 * r), 'f', 5) + '\n');
    return f.error() == QFileDevice::NoError;
}

/// `twb-cli train` arguments of a tiny PatchTST on `csv` (ETTh1) for one epoch: lookback 96
/// with patches of 16 every 8, so (96 - 16) / 8 + 2 = 12 tokens, 2 layers x 2 heads.
inline QStringList tinyPatchTstTrainArgs(const QString &csv, const QString &runDir)
{
    return {"train",    "--data",     csv,          "--model",      "patchtst",     "--task",
            "forecast", "--lookback", "96",         "--horizon",    "24",           "--epochs",
            "1",        "--stride",   "16",         "--batch-size", "64",           "--seed",
            "3",        "--threads",  "1",          "--set",        "patch_len=16", "--set",
            "stride=8", "--set",      "d_model=16", "--set",        "n_heads=2",    "--set",
            "d_ff=32",  "--set",      "e_layers=2", "--run-dir",    runDir,         "--progress",
            "none"};
}

/// The model part of `twb-cli train` for a tiny TST classifier (1 layer, d_model 16, 2 heads),
/// seed 1, one thread, no progress output.
inline QStringList tinyTstArgs()
{
    return {"--model", "tst",        "--seed",     "1",         "--threads", "1",
            "--set",   "d_model=16", "--set",      "n_heads=2", "--set",     "num_layers=1",
            "--set",   "d_ff=32",    "--progress", "none"};
}

} // namespace twb::test
