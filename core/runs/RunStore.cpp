#include "RunStore.h"
#include "AtomicFile.h"
#include "common/Errors.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSysInfo>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace twb {

namespace {

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QByteArray jsonBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

/// True when `status` says "running" on this host for a pid that no longer exists. A status
/// from another host, or without a pid, cannot be checked and is taken at its word.
bool runningProcessIsGone(const QJsonObject &status)
{
    if (status.value(QStringLiteral("state")).toString() != QLatin1String("running"))
        return false;
    const qint64 pid = status.value(QStringLiteral("pid")).toInteger();
    const QString host = status.value(QStringLiteral("host")).toString();
    if (pid <= 0 || (!host.isEmpty() && host != QSysInfo::machineHostName()))
        return false;
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

QJsonObject EpochRecord::toJson() const
{
    return {{QStringLiteral("epoch"), qint64(epoch)}, {QStringLiteral("train_loss"), trainLoss},
            {QStringLiteral("val_loss"), valLoss},    {QStringLiteral("lr"), lr},
            {QStringLiteral("seconds"), seconds},     {QStringLiteral("best"), best}};
}

EpochRecord EpochRecord::fromJson(const QJsonObject &json)
{
    EpochRecord r;
    r.epoch = json.value(QStringLiteral("epoch")).toInteger();
    r.trainLoss = json.value(QStringLiteral("train_loss")).toDouble();
    r.valLoss = json.value(QStringLiteral("val_loss")).toDouble();
    r.lr = json.value(QStringLiteral("lr")).toDouble();
    r.seconds = json.value(QStringLiteral("seconds")).toDouble();
    r.best = json.value(QStringLiteral("best")).toBool();
    return r;
}

QString runStateName(RunState state)
{
    switch (state) {
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::Finished:
        return QStringLiteral("finished");
    case RunState::Interrupted:
        return QStringLiteral("interrupted");
    case RunState::Failed:
        break;
    }
    return QStringLiteral("failed");
}

Expected<RunStore> RunStore::create(const QString &dir)
{
    QDir d(dir);
    // A folder with an empty checkpoints/ and no config.json is a start that was killed before
    // it wrote anything: starting again there is allowed.
    const bool hasCheckpoints = !QDir(d.filePath(QStringLiteral("checkpoints")))
                                     .entryList(QDir::Files | QDir::Hidden | QDir::System)
                                     .isEmpty();
    if (d.exists(QStringLiteral("config.json")) || hasCheckpoints)
        return makeError(QStringLiteral("the folder already holds a run; resume it (--resume) or "
                                        "choose another --run-dir"),
                         dir);
    if (!d.mkpath(QStringLiteral("checkpoints")))
        return makeError(QStringLiteral("cannot create the run folder"), dir);
    return RunStore(d.absolutePath());
}

Expected<RunStore> RunStore::open(const QString &dir)
{
    QDir d(dir);
    if (!d.exists())
        return makeError(QStringLiteral("run folder does not exist"), dir);
    if (!d.exists(QStringLiteral("config.json")))
        return makeError(QStringLiteral("not a run folder (no config.json)"), dir);
    return RunStore(d.absolutePath());
}

RunStore RunStore::follower(const QString &dir)
{
    RunStore store(QDir(dir).absolutePath());
    store.m_readOnly = true;
    return store;
}

QString RunStore::filePath(const QString &name) const
{
    return QDir(m_dir).filePath(name);
}

QString RunStore::checkpointDir() const
{
    return filePath(QStringLiteral("checkpoints"));
}

QString RunStore::checkpointPath(const QString &name) const
{
    return QDir(checkpointDir()).filePath(name);
}

Status RunStore::writeConfig(const QJsonObject &config) const
{
    if (m_readOnly)
        return {};
    return writeFileAtomically(filePath(QStringLiteral("config.json")), jsonBytes(config));
}

Expected<QJsonObject> RunStore::readJson(const QString &name) const
{
    return readJsonObjectFile(filePath(name));
}

Expected<QJsonObject> RunStore::readConfig() const
{
    return readJson(QStringLiteral("config.json"));
}

Status RunStore::writeStatus(RunState state, const QString &message, const QJsonObject &extra) const
{
    if (m_readOnly)
        return {};
    QJsonObject o = extra;
    o[QStringLiteral("state")] = runStateName(state);
    o[QStringLiteral("message")] = message;
    o[QStringLiteral("updated")] = nowUtc();
    return writeFileAtomically(filePath(QStringLiteral("status.json")), jsonBytes(o));
}

Status RunStore::writeRunningStatus(const QJsonObject &extra) const
{
    QJsonObject o = extra;
    o[QStringLiteral("pid")] = qint64(::getpid());
    o[QStringLiteral("host")] = QSysInfo::machineHostName();
    return writeStatus(RunState::Running, QString(), o);
}

Expected<QJsonObject> RunStore::readStatus() const
{
    Expected<QJsonObject> status = readJson(QStringLiteral("status.json"));
    if (status && runningProcessIsGone(*status)) {
        const qint64 pid = status->value(QStringLiteral("pid")).toInteger();
        (*status)[QStringLiteral("state")] = runStateName(RunState::Interrupted);
        (*status)[QStringLiteral("message")] =
            QStringLiteral("the training process (pid %1) is gone: killed, or the machine "
                           "restarted; resume it")
                .arg(pid);
        (*status)[QStringLiteral("process_gone")] = true;
    }
    return status;
}

qint64 RunStore::livePid() const
{
    Expected<QJsonObject> status = readStatus();
    if (!status || status->value(QStringLiteral("state")).toString() != QLatin1String("running"))
        return 0;
    return status->value(QStringLiteral("pid")).toInteger();
}

QStringList RunStore::removeStaleTemporaries() const
{
    static const QRegularExpression temporary(QStringLiteral("\\.tmp-[A-Za-z0-9]{6}$"));
    QStringList removed;
    if (m_readOnly)
        return removed;
    for (const QString &folder : {m_dir, checkpointDir()}) {
        const QDir d(folder);
        const QStringList names = d.entryList(QDir::Files | QDir::Hidden | QDir::System);
        for (const QString &name : names)
            if (temporary.match(name).hasMatch() && QFile::remove(d.filePath(name)))
                removed << QDir(m_dir).relativeFilePath(d.filePath(name));
    }
    return removed;
}

Status RunStore::loadMetrics(std::int64_t keepBefore)
{
    m_epochs.clear();
    QFile file(filePath(QStringLiteral("metrics.jsonl")));
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(file.errorString()),
                         file.fileName());
    qint64 line = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        if (text.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        if (!doc.isObject())
            return Error{QStringLiteral("not a JSON object"), file.fileName(), line};
        const EpochRecord r = EpochRecord::fromJson(doc.object());
        if (r.epoch < keepBefore)
            m_epochs.push_back(r);
    }
    return {};
}

void RunStore::clearMetrics()
{
    m_epochs.clear();
    if (m_readOnly)
        return;
    QFile::remove(filePath(QStringLiteral("metrics.csv")));
    QFile::remove(filePath(QStringLiteral("metrics.jsonl")));
}

Status RunStore::appendEpoch(const EpochRecord &record)
{
    m_epochs.push_back(record);
    if (m_readOnly)
        return {};
    QByteArray csv = "epoch,train_loss,val_loss,lr,seconds,best\n";
    QByteArray jsonl;
    for (const EpochRecord &r : m_epochs) {
        csv += QByteArray::number(r.epoch) + ',' + QByteArray::number(r.trainLoss, 'g', 10) + ',' +
               QByteArray::number(r.valLoss, 'g', 10) + ',' + QByteArray::number(r.lr, 'g', 10) +
               ',' + QByteArray::number(r.seconds, 'f', 3) + ',' + (r.best ? "true" : "false") +
               '\n';
        jsonl += QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) + '\n';
    }
    if (Status s = writeFileAtomically(filePath(QStringLiteral("metrics.csv")), csv); !s)
        return s;
    return writeFileAtomically(filePath(QStringLiteral("metrics.jsonl")), jsonl);
}

void RunStore::log(const QString &line) const
{
    if (m_readOnly)
        return;
    QFile file(filePath(QStringLiteral("log.txt")));
    if (file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        file.write((nowUtc() + QLatin1Char(' ') + line + QLatin1Char('\n')).toUtf8());
}

} // namespace twb
