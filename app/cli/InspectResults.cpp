#include "InspectResults.h"

#include "CliCommon.h"
#include "runs/ClassPredictionsFile.h"
#include "runs/PredictionsFile.h"

#include <QJsonArray>
#include <QJsonObject>

namespace twb::cli {

int runInspectPredictions(const QString &file, bool json)
{
    Expected<Hdf5Reader> reader = Hdf5Reader::open(file);
    if (!reader)
        return fail("inspect", reader.error().toString());
    Expected<PredictionsRecord> record = readPredictions(*reader);
    if (!record)
        return fail("inspect", record.error().toString());
    const ForecastPredictions &v = record->values;
    if (json) {
        printJson(QJsonObject{
            {QStringLiteral("file"), file},
            {QStringLiteral("kind"), QStringLiteral("predictions")},
            {QStringLiteral("split"), record->split},
            {QStringLiteral("windows"), qint64(v.windows)},
            {QStringLiteral("horizon"), qint64(v.horizon)},
            {QStringLiteral("channel_count"), qint64(v.channels)},
            {QStringLiteral("channels"), QJsonArray::fromStringList(record->channelNames)},
            {QStringLiteral("timestamped"), !record->windowStartTimes.empty()}});
        return ExitOk;
    }
    printText(
        QStringLiteral("%1: forecasts of the %2 part, %3 windows x %4 steps x %5 "
                       "(%6)%7\n")
            .arg(file, record->split)
            .arg(v.windows)
            .arg(v.horizon)
            .arg(v.channels)
            .arg(record->channelNames.join(QStringLiteral(", ")),
                 record->windowStartTimes.empty() ? QStringLiteral(", no time axis") : QString()));
    return ExitOk;
}

int runInspectClassPredictions(const QString &file, bool json)
{
    Expected<ClassPredictions> read = readClassPredictionsFile(file);
    if (!read)
        return fail("inspect", read.error().toString());
    const ClassPredictions &p = *read;
    std::int64_t labelled = 0, correct = 0;
    for (std::size_t i = 0; i < p.labels.size(); ++i) {
        if (p.labels[i] < 0)
            continue;
        ++labelled;
        correct += p.labels[i] == p.predicted[i] ? 1 : 0;
    }
    const QJsonValue accuracy =
        labelled > 0 ? QJsonValue(double(correct) / double(labelled)) : QJsonValue();
    if (json) {
        printJson(QJsonObject{{QStringLiteral("file"), file},
                              {QStringLiteral("kind"), QStringLiteral("class-predictions")},
                              {QStringLiteral("split"), p.split},
                              {QStringLiteral("cases"), qint64(p.cases)},
                              {QStringLiteral("classes"), QJsonArray::fromStringList(p.classNames)},
                              {QStringLiteral("labelled_cases"), qint64(labelled)},
                              {QStringLiteral("accuracy"), accuracy}});
        return ExitOk;
    }
    QString text = QStringLiteral("%1: class predictions of the %2 part, %3 cases, %4 classes (%5)")
                       .arg(file, p.split.isEmpty() ? QStringLiteral("?") : p.split)
                       .arg(p.cases)
                       .arg(p.classes)
                       .arg(p.classNames.join(QStringLiteral(", ")));
    if (labelled > 0)
        text += QStringLiteral(", accuracy %1 on %2 labelled cases")
                    .arg(accuracy.toDouble(), 0, 'f', 4)
                    .arg(labelled);
    printText(text + QLatin1Char('\n'));
    return ExitOk;
}

} // namespace twb::cli
