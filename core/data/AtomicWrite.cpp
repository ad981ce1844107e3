#include "AtomicWrite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace twb {

namespace {

QString systemReason(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString randomSuffix()
{
    static constexpr char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QString suffix;
    for (int i = 0; i < 6; ++i)
        suffix +=
            QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)]);
    return suffix;
}

/// Creates a new temporary file next to `path`; fd >= 0, or fd = -1 and errno set.
int createTemporary(const QString &path, QString *tempPath)
{
    for (int attempt = 0; attempt < 32; ++attempt) {
        *tempPath = path + QStringLiteral(".tmp-") + randomSuffix();
        const int fd = ::open(QFile::encodeName(*tempPath).constData(),
                              O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/// Writes all of `bytes`, retrying short writes and EINTR; 0 or the errno of the failure.
int writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, std::size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : ENOSPC;
        data += n;
        left -= n;
    }
    return 0;
}

/// fsync of the folder holding `path`, so that a rename in it is durable.
int syncFolder(const QString &path)
{
    const int fd = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const int result = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return result;
}

} // namespace

Status writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    const QFileInfo info(path);
    if (path.isEmpty() || info.isDir())
        return Error{QStringLiteral("not a file name"), path};
    if (!info.absoluteDir().exists())
        return Error{QStringLiteral("the folder %1 does not exist").arg(info.absolutePath()), path};

    QString temp;
    const int fd = createTemporary(path, &temp);
    if (fd < 0)
        return Error{QStringLiteral("cannot create a file next to it: %1").arg(systemReason(errno)),
                     path};
    int failure = writeAll(fd, bytes);
    const char *step = "cannot write";
    if (failure == 0 && ::fsync(fd) != 0) {
        failure = errno;
        step = "cannot flush to disk";
    }
    if (::close(fd) != 0 && failure == 0) {
        failure = errno;
        step = "cannot write";
    }
    if (failure == 0 && std::rename(QFile::encodeName(temp).constData(),
                                    QFile::encodeName(path).constData()) != 0) {
        failure = errno;
        step = "cannot move the finished file into place";
    }
    if (failure != 0) {
        ::unlink(QFile::encodeName(temp).constData());
        return Error{QStringLiteral("%1: %2").arg(QLatin1String(step), systemReason(failure)),
                     path};
    }
    if (const int synced = syncFolder(path); synced != 0)
        return Error{QStringLiteral("written, but the folder cannot be flushed to disk: %1")
                         .arg(systemReason(synced)),
                     path};
    return Status::ok();
}

Status copyFileAtomically(const QString &source, const QString &path)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(source, in.errorString()), path};
    return writeFileAtomically(path, in.readAll());
}

} // namespace twb
