#pragma once

// Scripted stand-ins for twb-cli (POSIX sh) shared by the tests of the explain clients
// (tests/core/client) and of their controller (tests/app).

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

namespace twb::test {

/// Writes an executable shell script `name` into `dir` and returns its path (empty on error).
inline QString writeScript(const QString &dir, const QString &name, const QByteArray &body)
{
    const QString path = QDir(dir).filePath(name);
    QFile script(path);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write("#!/bin/sh\n" + body);
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

/// Prints `stderrLines` (one echo each) to stderr and exits with `code`.
inline QString failingCli(const QString &dir, int code, const QList<QByteArray> &stderrLines)
{
    QByteArray body;
    for (const QByteArray &line : stderrLines)
        body += "echo '" + line + "' >&2\n";
    body += "exit " + QByteArray::number(code) + "\n";
    return writeScript(dir, QStringLiteral("fake-cli-%1").arg(code), body);
}

/// Logs its arguments to `log` (one line per call) and copies a file of `files` to --out:
/// `<checkpoint without .pt>.h5` when --checkpoint is given, else `sample-<index>.h5`; a file
/// `sleep-<index>` there holds seconds to wait first. Without such a file it prints two lines
/// to stderr ("twb-cli: cannot read checkpoint NAME" last) and exits with 3.
inline QString copyingCli(const QString &dir, const QString &files, const QString &log)
{
    return writeScript(dir, QStringLiteral("fake-cli"),
                       QStringLiteral("echo \"$@\" >> '%1'\n"
                                      "out=''; ck=''; index=''\n"
                                      "while [ $# -gt 0 ]; do\n"
                                      "  case \"$1\" in\n"
                                      "    --out) out=\"$2\"; shift;;\n"
                                      "    --checkpoint) ck=\"$2\"; shift;;\n"
                                      "    --index) index=\"$2\"; shift;;\n"
                                      "  esac\n"
                                      "  shift\n"
                                      "done\n"
                                      "files='%2'\n"
                                      "if [ -f \"$files/sleep-$index\" ]; then\n"
                                      "  sleep \"$(cat \"$files/sleep-$index\")\"\n"
                                      "fi\n"
                                      "src=\"$files/sample-$index.h5\"\n"
                                      "if [ -n \"$ck\" ]; then src=\"$files/${ck%.pt}.h5\"; fi\n"
                                      "if [ ! -f \"$src\" ]; then\n"
                                      "  echo 'loading the model' >&2\n"
                                      "  echo \"twb-cli: cannot read checkpoint $ck\" >&2\n"
                                      "  exit 3\n"
                                      "fi\n"
                                      "cp \"$src\" \"$out\"\n")
                           .arg(log, files)
                           .toUtf8());
}

/// Writes `bytes` into `path` (for broken files and sleep markers).
inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write(bytes) == bytes.size();
}

/// `dir`/files, created: where copyingCli() takes the files it "writes".
inline QString filesFolder(const QString &dir)
{
    const QString files = QDir(dir).filePath(QStringLiteral("files"));
    return QDir().mkpath(files) ? files : QString();
}

/// copyingCli() (logging to `dir`/log) whose sample 0 is a file that is not HDF5.
inline QString brokenFileCli(const QString &dir)
{
    const QString files = filesFolder(dir);
    if (!writeFile(QDir(files).filePath(QStringLiteral("sample-0.h5")), "this is not HDF5"))
        return {};
    return copyingCli(dir, files, QDir(dir).filePath(QStringLiteral("log")));
}

/// A run folder with empty checkpoint files of these names.
inline bool makeRun(const QString &runDir, const QStringList &checkpointNames)
{
    const QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    if (!QDir().mkpath(dir.path()))
        return false;
    for (const QString &name : checkpointNames)
        if (!writeFile(dir.filePath(name), "fake"))
            return false;
    return true;
}

/// The number of lines of `path` (0 when missing).
inline int lineCount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n'));
}

} // namespace twb::test
