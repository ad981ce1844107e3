#include "TrainingEvents.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace twb {

namespace {

std::int64_t integer(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}

double real(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toDouble();
}

} // namespace

TrainingEvent parseTrainingEvent(const QByteArray &line)
{
    const QByteArray trimmed = line.trimmed();
    if (!trimmed.startsWith('{'))
        return TrainingOtherLine{};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return TrainingOtherLine{};
    const QJsonObject o = doc.object();
    const QString event = o.value(QLatin1String("event")).toString();

    if (event == QLatin1String("start")) {
        TrainingStarted s;
        s.epochs = integer(o, "epochs");
        s.batchesPerEpoch = integer(o, "batches_per_epoch");
        s.trainWindows = integer(o, "train_windows");
        s.valWindows = integer(o, "val_windows");
        s.startEpoch = o.contains(QLatin1String("start_epoch")) ? integer(o, "start_epoch") : 1;
        s.trainableParameters = integer(o, "trainable_parameters");
        s.summary = o;
        return s;
    }
    if (event == QLatin1String("batch"))
        return TrainingBatch{integer(o, "epoch"), integer(o, "batch"), integer(o, "batches"),
                             real(o, "loss"),     real(o, "lr"),       real(o, "samples_per_sec"),
                             real(o, "eta_sec")};
    if (event == QLatin1String("epoch"))
        return TrainingEpoch{integer(o, "epoch"), real(o, "train_loss"),
                             real(o, "val_loss"), real(o, "lr"),
                             real(o, "seconds"),  o.value(QLatin1String("best")).toBool()};
    if (event == QLatin1String("early_stop"))
        return TrainingEarlyStop{integer(o, "epoch"), integer(o, "best_epoch"),
                                 real(o, "best_val_loss"), integer(o, "patience")};
    if (event == QLatin1String("done")) {
        const QJsonObject test = o.value(QLatin1String("test")).toObject();
        TrainingDone d;
        d.bestEpoch = integer(o, "best_epoch");
        d.mse = real(test, "mse");
        d.mae = real(test, "mae");
        d.mseOriginal = real(test, "mse_original");
        d.maeOriginal = real(test, "mae_original");
        d.windows = integer(test, "windows");
        d.classification = test.contains(QLatin1String("accuracy"));
        d.accuracy = real(test, "accuracy");
        d.macroF1 = real(test, "macro_f1");
        d.logLoss = real(test, "log_loss");
        d.examples = integer(test, "examples");
        return d;
    }
    if (event == QLatin1String("error") || event == QLatin1String("interrupted"))
        return TrainingMessage{event == QLatin1String("error") ? TrainingMessage::Kind::Error
                                                               : TrainingMessage::Kind::Interrupted,
                               o.value(QLatin1String("message")).toString()};
    return TrainingOtherLine{};
}

} // namespace twb
