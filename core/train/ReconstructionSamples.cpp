#include "ReconstructionSamples.h"

#include "ExampleSet.h"
#include "common/Errors.h"
#include "data/AtomicWrite.h"
#include "data/StandardScaler.h"
#include "nn/EvalModeGuard.h"
#include "nn/Model.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace twb {

namespace {

/// [L, C] float32 → one JSON array per channel (channel-major), `scaler` applied if given.
QJsonArray channelArrays(torch::Tensor values, const StandardScaler *scaler)
{
    values = values.to(torch::kFloat).contiguous();
    const std::int64_t length = values.size(0);
    const std::int64_t channels = values.size(1);
    std::vector<float> rows(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    if (scaler)
        scaler->inverseTransform(rows.data(), length, channels);
    QJsonArray perChannel;
    for (std::int64_t c = 0; c < channels; ++c) {
        QJsonArray series;
        for (std::int64_t t = 0; t < length; ++t)
            series.append( // 7 significant digits: float32's precision, a third of the file
                QString::number(rows[std::size_t(t * channels + c)], 'g', 7).toDouble());
        perChannel.append(series);
    }
    return perChannel;
}

} // namespace

Status writeReconstructionSamples(Model &model, const ReconstructionSampleSource &source,
                                  const QString &path, std::int64_t count)
{
    if (!source.test || source.test->size() == 0)
        return makeError(QStringLiteral("%1: no test windows to reconstruct").arg(path));
    const std::int64_t n = source.test->size();
    count = std::clamp<std::int64_t>(count, 1, n);
    // Evenly spaced over the test part, first and last included.
    std::vector<std::int64_t> picked;
    for (std::int64_t k = 0; k < count; ++k)
        picked.push_back(count == 1 ? 0 : k * (n - 1) / (count - 1));
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());

    const ExampleBatch batch = source.test->batch(torch::tensor(picked, torch::kLong));
    if (!batch.hidden.defined())
        return makeError(QStringLiteral("%1: the test windows hide nothing (not a pretraining "
                                        "run)")
                             .arg(path));
    torch::Tensor reconstruction;
    try {
        EvalModeGuard evalMode(model);
        reconstruction = model.forward(batch.x, batchForwardOptions(batch)).prediction;
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("%1: the model failed on the test windows: %2")
                             .arg(path, QString::fromUtf8(e.what())));
    }
    if (!reconstruction.defined() || reconstruction.sizes() != batch.y.sizes())
        return makeError(QStringLiteral("%1: the model reconstructed shape %2 for windows of %3")
                             .arg(path,
                                  QString::fromStdString(reconstruction.defined()
                                                             ? c10::str(reconstruction.sizes())
                                                             : std::string("(none)")),
                                  QString::fromStdString(c10::str(batch.y.sizes()))));

    QJsonArray windows;
    for (std::size_t k = 0; k < picked.size(); ++k) {
        const std::int64_t i = std::int64_t(k);
        const torch::Tensor hidden = batch.hidden[i].to(torch::kBool);
        const torch::Tensor error = (reconstruction[i] - batch.y[i]).pow(2);
        const std::int64_t hiddenCount = hidden.sum().item<std::int64_t>();
        const double mse =
            hiddenCount > 0 ? error.masked_select(hidden).sum().item<double>() / hiddenCount : 0.0;
        QJsonObject w;
        w[QStringLiteral("index")] = qint64(picked[k]);
        if (std::size_t(picked[k]) < source.startRows.size())
            w[QStringLiteral("start_row")] = qint64(source.startRows[std::size_t(picked[k])]);
        w[QStringLiteral("masked_mse")] = mse;
        w[QStringLiteral("values")] = channelArrays(batch.y[i], source.scaler);
        w[QStringLiteral("reconstruction")] = channelArrays(reconstruction[i], source.scaler);
        w[QStringLiteral("hidden")] = channelArrays(hidden.to(torch::kFloat), nullptr);
        windows.append(w);
    }
    QJsonObject root;
    root[QStringLiteral("format")] = QStringLiteral("twb-reconstruction");
    root[QStringLiteral("version")] = 1;
    root[QStringLiteral("lookback")] = qint64(batch.y.size(1));
    root[QStringLiteral("channels")] = QJsonArray::fromStringList(source.channelNames);
    root[QStringLiteral("masking")] = source.masking;
    root[QStringLiteral("test_windows")] = qint64(n);
    root[QStringLiteral("windows")] = windows;
    return writeFileAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Compact));
}

} // namespace twb
