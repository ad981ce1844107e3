#include "FileProbe.h"

#include "CliProcess.h"
#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstring>

namespace twb {

namespace {

/// Files a child has read, as "path|size|mtime": a changed file is probed again.
QMutex passedMutex;
QSet<QString> &passedFiles()
{
    static QSet<QString> files;
    return files;
}

QString identityOf(const QFileInfo &info)
{
    return QStringLiteral("%1|%2|%3")
        .arg(info.absoluteFilePath())
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch());
}

/// The line of a dying child's error output that says most: a sanitizer's "SUMMARY:", else the
/// last line.
QString diagnosisOf(const QStringList &tail)
{
    for (auto it = tail.crbegin(); it != tail.crend(); ++it)
        if (it->startsWith(QLatin1String("SUMMARY:")))
            return *it;
    return tail.last();
}

int defaultTimeoutMs(qint64 bytes)
{
    constexpr qint64 bytesPerSecond = 10'000'000;
    return int(std::min<qint64>(60'000 + bytes / bytesPerSecond * 1000, 3'600'000));
}

} // namespace

QString probeKindName(ProbeKind kind)
{
    switch (kind) {
    case ProbeKind::Series:
        return QStringLiteral("series");
    case ProbeKind::Labelled:
        return QStringLiteral("labelled");
    case ProbeKind::Predictions:
        return QStringLiteral("predictions");
    case ProbeKind::ClassPredictions:
        return QStringLiteral("class-predictions");
    }
    return {};
}

std::optional<Error> probeFileInChild(const QString &pathSpec, ProbeKind kind,
                                      const ProbeOptions &options)
{
    if (!QCoreApplication::instance())
        return std::nullopt; // no event loop for a child (twb-cli itself, tools)
    const QString file = parseSeriesPathSpec(pathSpec).file;
    const QFileInfo info(file);
    if (!info.isFile() || !isHdf5File(file))
        return std::nullopt;
    const QString identity = identityOf(info) + QLatin1Char('|') + pathSpec;
    {
        QMutexLocker lock(&passedMutex);
        if (passedFiles().contains(identity))
            return std::nullopt;
    }

    CliProcess child;
    if (!options.program.isEmpty())
        child.setProgram(options.program);
    QEventLoop loop;
    std::optional<CliExit> end;
    QObject::connect(&child, &CliProcess::ended, &loop, [&](const CliExit &exit) {
        end = exit;
        loop.quit();
    });
    const int timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : defaultTimeoutMs(info.size());
    bool timedOut = false;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &child, [&] {
        timedOut = true;
        child.kill();
    });
    if (!child.start({QStringLiteral("inspect"), pathSpec, QStringLiteral("--as"),
                      probeKindName(kind), QStringLiteral("--json")}))
        return std::nullopt;
    timer.start(timeoutMs);
    if (!end)
        loop.exec();
    timer.stop();

    if (!end || end->kind == CliExit::Kind::NotStarted)
        return std::nullopt; // no twb-cli to ask: read it here, as without the probe
    if (timedOut)
        return Error{QStringLiteral("reading it did not finish in %1 s and was stopped: the HDF5 "
                                    "library loops on some damaged files (HDF5 1.10.8); the "
                                    "file was not opened")
                         .arg(timeoutMs / 1000.0, 0, 'g', 3),
                     file};
    if (end->kind == CliExit::Kind::Crashed) {
        const QString detail = child.lastErrorLines(2);
        return Error{
            QStringLiteral("reading it crashed the HDF5 library (%1): the file is "
                           "damaged; it was read in a separate process, and was not "
                           "opened%2")
                .arg(end->signal > 0 ? QString::fromLocal8Bit(strsignal(end->signal)) : end->reason,
                     detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail)),
            file};
    }
    if (end->code == 0) {
        QMutexLocker lock(&passedMutex);
        passedFiles().insert(identity);
        return std::nullopt;
    }
    // A refusal is twb-cli's own message; anything else (a sanitizer's report, a loader that
    // could not start it) is a child that died without saying why.
    const QStringList tail = child.errorTail();
    const bool refused = std::any_of(tail.cbegin(), tail.cend(), [](const QString &line) {
        return line.startsWith(QLatin1String("twb-cli inspect: error:"));
    });
    if (refused)
        return std::nullopt;
    return Error{
        QStringLiteral("reading it ended the twb-cli that read it first with exit code %1 "
                       "and no message of its own%2; the file was not opened")
            .arg(end->code)
            .arg(tail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(diagnosisOf(tail))),
        file};
}

} // namespace twb
