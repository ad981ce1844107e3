#include "LabelledDataSummary.h"

#include "audio/LabelledLoader.h"
#include "client/FileProbe.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

#include <algorithm>

namespace twb {

QString matchingTestFile(const QString &trainPath)
{
    const QFileInfo info(trainPath);
    static const QRegularExpression train(QStringLiteral("_TRAIN$"),
                                          QRegularExpression::CaseInsensitiveOption);
    QString base = info.completeBaseName();
    const QRegularExpressionMatch match = train.match(base);
    if (!match.hasMatch())
        return {};
    const bool upper = match.captured(0) == QLatin1String("_TRAIN");
    base.replace(match.capturedStart(0), match.capturedLength(0),
                 upper ? QStringLiteral("_TEST") : QStringLiteral("_test"));
    const QString candidate = info.dir().filePath(base + QLatin1Char('.') + info.suffix());
    return QFileInfo(candidate).isFile() ? candidate : QString();
}

namespace {

QString classCounts(const LabelledDataset &data)
{
    const std::vector<std::int64_t> counts = data.classCounts();
    QStringList parts;
    for (std::size_t i = 0; i < counts.size() && i < 12; ++i)
        parts << QStringLiteral("%1: %2").arg(data.classNames[qsizetype(i)]).arg(counts[i]);
    if (counts.size() > 12)
        parts << QStringLiteral("\u2026");
    return parts.join(QStringLiteral(", "));
}

QString lengths(const LabelledDataset &data)
{
    const std::int64_t lo = data.minLength();
    const std::int64_t hi = data.maxLength();
    if (data.sampleRate > 0.0)
        return lo == hi ? QObject::tr("%1 s").arg(double(lo) / data.sampleRate, 0, 'g', 3)
                        : QObject::tr("%1\u2013%2 s")
                              .arg(double(lo) / data.sampleRate, 0, 'g', 3)
                              .arg(double(hi) / data.sampleRate, 0, 'g', 3);
    return lo == hi ? QObject::tr("length %1").arg(lo)
                    : QObject::tr("lengths %1\u2013%2").arg(lo).arg(hi);
}

} // namespace

LabelledDataSummary summarizeLabelled(const QString &path, const QString &include)
{
    LabelledDataSummary s;
    s.path = QFileInfo(path).absoluteFilePath();
    if (std::optional<Error> unsafe = probeFileInChild(s.path, ProbeKind::Labelled)) {
        s.error = std::move(unsafe);
        return s;
    }
    const Expected<LabelledDataset> data = loadLabelled(s.path);
    if (!data) {
        s.error = data.error();
        return s;
    }
    QStringList parts{
        QObject::tr("%1 cases").arg(data->size()),
        QObject::tr("%1 classes (%2)").arg(data->classNames.size()).arg(classCounts(*data)),
        data->channels() == 1 ? QObject::tr("1 channel")
                              : QObject::tr("%1 channels").arg(data->channels())};
    if (data->sampleRate > 0.0)
        parts << QObject::tr("%1 Hz").arg(data->sampleRate);
    parts << lengths(*data);
    if (data->missingValues > 0)
        parts << QObject::tr("%1 missing values").arg(data->missingValues);
    if (!data->skipped.isEmpty())
        parts << QObject::tr("%1 files skipped").arg(data->skipped.size());
    s.summary = parts.join(QStringLiteral(" \u00b7 "));
    s.testData = matchingTestFile(s.path);
    s.sampleRate = data->sampleRate;
    s.preview = previewOf(*data, kPreviewCasesPerClass, include);
    s.channelStats = summarize(*data);
    auto steps = std::make_shared<SeriesDataset>();
    steps->sourcePath = s.path;
    steps->channelNames = data->channelNames;
    std::int64_t values = 0;
    for (const LabelledCase &c : data->cases)
        values += std::int64_t(c.values.size());
    // Every k-th step of the whole sequence when it is too long to keep.
    const std::int64_t every =
        std::max<std::int64_t>(1, (values + kMaxPooledValues - 1) / kMaxPooledValues);
    const std::int64_t channels = data->channels();
    steps->values.reserve(std::size_t(values / every + channels));
    std::int64_t step = 0;
    for (const LabelledCase &c : data->cases)
        for (std::int64_t t = 0; t < c.length; ++t, ++step)
            if (step % every == 0)
                steps->values.insert(steps->values.end(), c.values.begin() + t * channels,
                                     c.values.begin() + (t + 1) * channels);
    s.allSteps = std::move(steps);
    return s;
}

} // namespace twb
