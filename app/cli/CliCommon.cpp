#include "CliCommon.h"
#include "common/Errors.h"
#include "data/AtomicWrite.h"
#include "train/RunLoader.h"

#include <QBuffer>
#include <QDateTime>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <thread>

namespace twb::cli {

const ModelRegistry &Context::registry()
{
    if (!m_registry) {
        m_registry.emplace();
        m_registry->scan();
    }
    return *m_registry;
}

PluginLookup Context::pluginLookup()
{
    return [this](const QString &id) -> Expected<ModelSource> {
        const ModelRegistry &r = registry();
        if (const PluginRecord *record = r.record(id))
            return ModelSource{record->plugin, record->name, record->version};
        QStringList ids;
        for (const PluginRecord &p : r.plugins())
            ids << p.id;
        QString reason = QStringLiteral("unknown model \"%1\" (available: %2)")
                             .arg(id, ids.isEmpty() ? QStringLiteral("none") : ids.join(", "));
        for (const PluginProblem &p : r.problems())
            reason += QStringLiteral("; refused plugin %1: %2").arg(p.path, p.reason);
        return makeError(reason);
    };
}

void warnIfDataChanged(const char *command, const QString &dataPath, const QString &fingerprint,
                       const QJsonObject &provenance)
{
    if (fingerprint != provenance.value(QStringLiteral("data_fingerprint")).toString())
        warn(command, QStringLiteral("%1 changed since the run was trained (fingerprint differs)")
                          .arg(dataPath));
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void runCommand(Context &ctx, const char *command, const std::function<int()> &body)
{
    try {
        ctx.exitCode = body();
    } catch (const std::exception &e) {
        ctx.exitCode = fail(command, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
}

int fail(const char *command, const QString &message)
{
    std::fprintf(stderr, "twb-cli %s: error: %s\n", command, message.toUtf8().constData());
    return ExitFailure;
}

void warn(const char *command, const QString &message)
{
    std::fprintf(stderr, "twb-cli %s: warning: %s\n", command, message.toUtf8().constData());
}

Status savePng(const QImage &image, const QString &path)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return Error{QStringLiteral("could not encode the PNG image"), path};
    buffer.close();
    return writeFileAtomically(path, bytes);
}

void checkCount(CLI::Option *option, std::int64_t low, std::int64_t high, const QString &why)
{
    option->check(CLI::Validator(
        [low, high, why](const std::string &text) -> std::string {
            std::int64_t value = 0;
            const char *end = text.data() + text.size();
            const auto [rest, ec] = std::from_chars(text.data(), end, value);
            if (ec == std::errc() && rest == end && value >= low && value <= high)
                return {};
            // CLI11 puts the flag's name in front: "--threads: 100000 is out of range: ...".
            return QStringLiteral("%1 is out of range: from %2 to %3 (%4)")
                .arg(qs(text))
                .arg(low)
                .arg(high)
                .arg(why)
                .toStdString();
        },
        QStringLiteral("INT in [%1, %2]").arg(low).arg(high).toStdString()));
}

int maxThreads()
{
    return int(std::max(4u, 4 * std::thread::hardware_concurrency()));
}

Expected<std::int64_t> channelIndex(const LoadedRun &run, const QString &text, const char *option)
{
    if (text.isEmpty())
        return std::int64_t(-1);
    const qsizetype byName = run.channelNames.indexOf(text);
    if (byName >= 0)
        return std::int64_t(byName);
    bool ok = false;
    const qlonglong number = text.toLongLong(&ok);
    if (ok && number >= 0 && number < run.channelNames.size())
        return std::int64_t(number);
    return Error{QStringLiteral("%1 %2 is neither a channel name nor a number below %3 "
                                "(channels: %4)")
                     .arg(QString::fromUtf8(option), text)
                     .arg(run.channelNames.size())
                     .arg(run.channelNames.join(QStringLiteral(", "))),
                 {},
                 0};
}

void printJson(const QJsonValue &value)
{
    const QByteArray bytes = value.isArray()    ? QJsonDocument(value.toArray()).toJson()
                             : value.isObject() ? QJsonDocument(value.toObject()).toJson()
                                                : QJsonDocument(QJsonArray{value}).toJson();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void printText(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

QString formatTime(std::int64_t msSinceEpoch, bool withMs)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC)
        .toString(withMs ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                         : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace twb::cli
