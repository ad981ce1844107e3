#include "ReconstructionFile.h"

#include "common/Errors.h"
#include "runs/AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace twb {

namespace {

/// `array` as channels × lookback numbers, or why not.
template<typename T>
Expected<std::vector<std::vector<T>>> perChannel(const QJsonValue &value, qsizetype channels,
                                                 std::int64_t lookback, const QString &what)
{
    const QJsonArray array = value.toArray();
    if (array.size() != channels)
        return makeError(QStringLiteral("\"%1\" has %2 channels, expected %3")
                             .arg(what)
                             .arg(array.size())
                             .arg(channels));
    std::vector<std::vector<T>> out;
    for (const QJsonValue &row : array) {
        const QJsonArray steps = row.toArray();
        if (steps.size() != lookback)
            return makeError(QStringLiteral("\"%1\" has a channel of %2 steps, expected %3")
                                 .arg(what)
                                 .arg(steps.size())
                                 .arg(lookback));
        std::vector<T> series;
        series.reserve(std::size_t(lookback));
        for (const QJsonValue &v : steps) {
            if (!v.isDouble())
                return makeError(
                    QStringLiteral("\"%1\" holds a value that is not a number").arg(what));
            if constexpr (std::is_same_v<T, bool>)
                series.push_back(v.toDouble() != 0.0);
            else
                series.push_back(T(v.toDouble()));
        }
        out.push_back(std::move(series));
    }
    return out;
}

QString describeMasking(const QJsonObject &m)
{
    const QString percent = QString::number(100.0 * m.value(QStringLiteral("ratio")).toDouble());
    if (m.value(QStringLiteral("kind")).toString() == QLatin1String("patches"))
        return QStringLiteral("patches of %1 steps, %2 % hidden")
            .arg(m.value(QStringLiteral("patch_len")).toInt())
            .arg(percent);
    if (m.contains(QStringLiteral("mean_span")))
        return QStringLiteral("spans of mean %1 steps, %2 % hidden")
            .arg(m.value(QStringLiteral("mean_span")).toDouble())
            .arg(percent);
    return QString();
}

} // namespace

Expected<ReconstructionSamples> readReconstructionSamples(const QString &runDir)
{
    const QString path = QDir(runDir).filePath(QStringLiteral("reconstruction.json"));
    if (!QFileInfo::exists(path))
        return makeError(QStringLiteral("no reconstruction.json (written when a pretraining run "
                                        "finishes its test)"),
                         path);
    Expected<QJsonObject> read = readJsonObjectFile(path);
    if (!read)
        return read.error();
    const QJsonObject &root = *read;
    if (root.value(QStringLiteral("format")).toString() != QLatin1String("twb-reconstruction"))
        return makeError(QStringLiteral("not a reconstruction file (format \"%1\")")
                             .arg(root.value(QStringLiteral("format")).toString()),
                         path);
    ReconstructionSamples samples;
    samples.runDir = QFileInfo(runDir).absoluteFilePath();
    samples.lookback = root.value(QStringLiteral("lookback")).toInteger();
    samples.testWindows = root.value(QStringLiteral("test_windows")).toInteger();
    for (const QJsonValue &name : root.value(QStringLiteral("channels")).toArray())
        samples.channels << name.toString();
    samples.masking = describeMasking(root.value(QStringLiteral("masking")).toObject());
    if (samples.lookback <= 0 || samples.channels.isEmpty())
        return makeError(QStringLiteral("no lookback or no channels"), path);
    const qsizetype channels = samples.channels.size();
    for (const QJsonValue &value : root.value(QStringLiteral("windows")).toArray()) {
        const QJsonObject w = value.toObject();
        ReconstructionWindow window;
        window.index = w.value(QStringLiteral("index")).toInteger();
        window.startRow = w.value(QStringLiteral("start_row")).toInteger(-1);
        window.maskedMse = w.value(QStringLiteral("masked_mse")).toDouble();
        auto values = perChannel<float>(w.value(QStringLiteral("values")), channels,
                                        samples.lookback, QStringLiteral("values"));
        auto recon = perChannel<float>(w.value(QStringLiteral("reconstruction")), channels,
                                       samples.lookback, QStringLiteral("reconstruction"));
        auto hidden = perChannel<bool>(w.value(QStringLiteral("hidden")), channels,
                                       samples.lookback, QStringLiteral("hidden"));
        for (const Error *e : {values ? nullptr : &values.error(), recon ? nullptr : &recon.error(),
                               hidden ? nullptr : &hidden.error()})
            if (e)
                return makeError(QStringLiteral("window %1: %2").arg(window.index).arg(e->reason),
                                 path);
        window.values = std::move(*values);
        window.reconstruction = std::move(*recon);
        window.hidden = std::move(*hidden);
        samples.windows.push_back(std::move(window));
    }
    if (samples.windows.empty())
        return makeError(QStringLiteral("no windows"), path);
    return samples;
}

} // namespace twb
