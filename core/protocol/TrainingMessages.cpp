#include "TrainingMessages.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <initializer_list>

namespace twb {

namespace {

const QString eventKey = QStringLiteral("event");

std::int64_t integer(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}

double real(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toDouble();
}

QJsonObject event(const char *name, std::initializer_list<QPair<QString, QJsonValue>> fields)
{
    QJsonObject o(fields);
    o.insert(eventKey, QLatin1String(name));
    return o;
}

/// The keys of the "start" event that are not part of the run's summary.
const char *const startKeys[] = {
    "event",       "epochs",      "batches_per_epoch",    "train_windows",    "val_windows",
    "start_epoch", "start_batch", "trainable_parameters", "frozen_parameters"};

TrainStartEvent decodeStart(const QJsonObject &o)
{
    TrainStartEvent s;
    s.epochs = integer(o, "epochs");
    s.batchesPerEpoch = integer(o, "batches_per_epoch");
    s.trainWindows = integer(o, "train_windows");
    s.valWindows = integer(o, "val_windows");
    s.startEpoch = o.contains(QLatin1String("start_epoch")) ? integer(o, "start_epoch") : 1;
    s.startBatch = integer(o, "start_batch");
    s.trainableParameters = integer(o, "trainable_parameters");
    s.frozenParameters = integer(o, "frozen_parameters");
    s.summary = o;
    for (const char *key : startKeys)
        s.summary.remove(QLatin1String(key));
    return s;
}

TrainDoneEvent decodeDone(const QJsonObject &o)
{
    TrainDoneEvent d;
    d.bestEpoch = integer(o, "best_epoch");
    d.test = o.value(QLatin1String("test")).toObject();
    d.mse = real(d.test, "mse");
    d.mae = real(d.test, "mae");
    d.mseOriginal = real(d.test, "mse_original");
    d.maeOriginal = real(d.test, "mae_original");
    d.windows = integer(d.test, "windows");
    d.classification = d.test.contains(QLatin1String("accuracy"));
    d.accuracy = real(d.test, "accuracy");
    d.macroF1 = real(d.test, "macro_f1");
    d.logLoss = real(d.test, "log_loss");
    d.examples = integer(d.test, "examples");
    return d;
}

} // namespace

QJsonObject TrainStartEvent::toJson() const
{
    QJsonObject o = summary;
    o.insert(eventKey, QStringLiteral("start"));
    o.insert(QStringLiteral("epochs"), qint64(epochs));
    o.insert(QStringLiteral("batches_per_epoch"), qint64(batchesPerEpoch));
    o.insert(QStringLiteral("train_windows"), qint64(trainWindows));
    o.insert(QStringLiteral("val_windows"), qint64(valWindows));
    o.insert(QStringLiteral("start_epoch"), qint64(startEpoch));
    o.insert(QStringLiteral("start_batch"), qint64(startBatch));
    o.insert(QStringLiteral("trainable_parameters"), qint64(trainableParameters));
    o.insert(QStringLiteral("frozen_parameters"), qint64(frozenParameters));
    return o;
}

QJsonObject BatchEvent::toJson() const
{
    return event("batch", {{QStringLiteral("epoch"), qint64(epoch)},
                           {QStringLiteral("batch"), qint64(batch)},
                           {QStringLiteral("batches"), qint64(batches)},
                           {QStringLiteral("loss"), loss},
                           {QStringLiteral("lr"), lr},
                           {QStringLiteral("samples_per_sec"), samplesPerSec},
                           {QStringLiteral("eta_sec"), etaSec}});
}

QJsonObject EpochEvent::toJson() const
{
    return event("epoch", {{QStringLiteral("epoch"), qint64(epoch)},
                           {QStringLiteral("train_loss"), trainLoss},
                           {QStringLiteral("val_loss"), valLoss},
                           {QStringLiteral("lr"), lr},
                           {QStringLiteral("seconds"), seconds},
                           {QStringLiteral("best"), best}});
}

QJsonObject EarlyStopEvent::toJson() const
{
    return event("early_stop", {{QStringLiteral("epoch"), qint64(epoch)},
                                {QStringLiteral("best_epoch"), qint64(bestEpoch)},
                                {QStringLiteral("best_val_loss"), bestValLoss},
                                {QStringLiteral("patience"), qint64(patience)}});
}

QJsonObject TrainDoneEvent::toJson() const
{
    return event("done", {{QStringLiteral("best_epoch"), qint64(bestEpoch)},
                          {QStringLiteral("test"), test}});
}

QJsonObject TrainEndMessage::toJson() const
{
    return event(kind == Kind::Error ? "error" : "interrupted",
                 {{QStringLiteral("message"), message}});
}

QByteArray encodeTrainingLine(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

TrainingEvent parseTrainingEvent(const QByteArray &line)
{
    const QByteArray trimmed = line.trimmed();
    if (!trimmed.startsWith('{'))
        return OtherLine{};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return OtherLine{};
    const QJsonObject o = doc.object();
    const QString name = o.value(eventKey).toString();

    if (name == QLatin1String("start"))
        return decodeStart(o);
    if (name == QLatin1String("batch"))
        return BatchEvent{integer(o, "epoch"), integer(o, "batch"), integer(o, "batches"),
                          real(o, "loss"),     real(o, "lr"),       real(o, "samples_per_sec"),
                          real(o, "eta_sec")};
    if (name == QLatin1String("epoch"))
        return EpochEvent{integer(o, "epoch"), real(o, "train_loss"),
                          real(o, "val_loss"), real(o, "lr"),
                          real(o, "seconds"),  o.value(QLatin1String("best")).toBool()};
    if (name == QLatin1String("early_stop"))
        return EarlyStopEvent{integer(o, "epoch"), integer(o, "best_epoch"),
                              real(o, "best_val_loss"), integer(o, "patience")};
    if (name == QLatin1String("done"))
        return decodeDone(o);
    if (name == QLatin1String("error") || name == QLatin1String("interrupted"))
        return TrainEndMessage{name == QLatin1String("error") ? TrainEndMessage::Kind::Error
                                                              : TrainEndMessage::Kind::Interrupted,
                               o.value(QLatin1String("message")).toString()};
    return OtherLine{};
}

} // namespace twb
