#include "Checkpoint.h"
#include "AtomicFile.h"
#include "Errors.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <QByteArray>
#include <QDir>
#include <QFileInfo>

namespace twb {

namespace {

constexpr std::int64_t checkpointFormat = 1;

c10::impl::GenericDict stateToDict(const TrainState &s)
{
    c10::impl::GenericDict d(c10::StringType::get(), c10::AnyType::get());
    d.insert("epoch", s.epoch);
    d.insert("batch", s.batch);
    d.insert("global_step", s.globalStep);
    d.insert("best_val_loss", s.bestValLoss);
    d.insert("best_epoch", s.bestEpoch);
    d.insert("bad_epochs", s.badEpochs);
    d.insert("epoch_loss_sum", s.epochLossSum);
    d.insert("epoch_samples", s.epochSamples);
    d.insert("finished", s.finished);
    return d;
}

TensorDict toTensorDict(const c10::IValue &value)
{
    TensorDict out;
    for (const auto &entry : value.toGenericDict())
        out.insert(entry.key().toStringRef(), entry.value().toTensor());
    return out;
}

} // namespace

TensorDict moduleStateDict(const torch::nn::Module &module)
{
    TensorDict out;
    for (const auto &p : module.named_parameters(true))
        out.insert(p.key(), p.value().detach().clone());
    for (const auto &b : module.named_buffers(true))
        out.insert(b.key(), b.value().detach().clone());
    return out;
}

Status loadModuleStateDict(torch::nn::Module &module, const TensorDict &dict, const QString &source)
{
    torch::NoGradGuard noGrad;
    auto copyInto = [&](const std::string &name, torch::Tensor &target) -> Status {
        auto it = dict.find(name);
        if (it == dict.end())
            return makeError(
                QStringLiteral("checkpoint lacks the tensor %1").arg(QString::fromStdString(name)),
                source);
        if (it->value().sizes() != target.sizes())
            return makeError(
                QStringLiteral("tensor %1 has shape %2 in the checkpoint but %3 in the "
                               "model")
                    .arg(QString::fromStdString(name),
                         QString::fromStdString(c10::str(it->value().sizes())),
                         QString::fromStdString(c10::str(target.sizes()))),
                source);
        target.copy_(it->value());
        return {};
    };
    for (auto &p : module.named_parameters(true))
        if (Status s = copyInto(p.key(), p.value()); !s)
            return s;
    for (auto &b : module.named_buffers(true))
        if (Status s = copyInto(b.key(), b.value()); !s)
            return s;
    return {};
}

Status saveCheckpoint(const QString &path, const Checkpoint &checkpoint)
{
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert("format", checkpointFormat);
    root.insert("model", checkpoint.model);
    root.insert("optimizer", checkpoint.optimizer);
    root.insert("optimizer_kind", checkpoint.optimizerKind);
    root.insert("state", stateToDict(checkpoint.state));
    root.insert("rng", checkpoint.rngState.defined() ? checkpoint.rngState
                                                     : torch::empty({0}, torch::kUInt8));
    root.insert("lr", checkpoint.lr);
    std::vector<char> bytes;
    try {
        bytes = torch::pickle_save(root);
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("cannot serialise the checkpoint: %1").arg(e.what()), path);
    }
    // The run's checkpoints/ folder is made here, when the first checkpoint is written, so that
    // reading a run (RunStore::open) never changes it.
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("cannot create the checkpoint folder"),
                         QFileInfo(path).absolutePath());
    return writeFileAtomically(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
}

Expected<Checkpoint> loadCheckpoint(const QString &path)
{
    Expected<QByteArray> raw = readWholeFile(path);
    if (!raw)
        return raw.error();
    Checkpoint c;
    try {
        const c10::IValue value = torch::pickle_load(std::vector<char>(raw->begin(), raw->end()));
        if (!value.isGenericDict())
            return makeError(QStringLiteral("not a twb checkpoint (no dictionary at the top)"),
                             path);
        const auto root = value.toGenericDict();
        if (!root.contains("format") || root.at("format").toInt() != checkpointFormat)
            return makeError(
                QStringLiteral("not a twb checkpoint of format %1").arg(checkpointFormat), path);
        c.model = toTensorDict(root.at("model"));
        c.optimizer = toTensorDict(root.at("optimizer"));
        c.optimizerKind = root.at("optimizer_kind").toStringRef();
        c.rngState = root.at("rng").toTensor();
        c.lr = root.at("lr").toDouble();
        const auto s = root.at("state").toGenericDict();
        c.state.epoch = s.at("epoch").toInt();
        c.state.batch = s.at("batch").toInt();
        c.state.globalStep = s.at("global_step").toInt();
        c.state.bestValLoss = s.at("best_val_loss").toDouble();
        c.state.bestEpoch = s.at("best_epoch").toInt();
        c.state.badEpochs = s.at("bad_epochs").toInt();
        c.state.epochLossSum = s.at("epoch_loss_sum").toDouble();
        c.state.epochSamples = s.at("epoch_samples").toInt();
        c.state.finished = s.at("finished").toBool();
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("unreadable checkpoint: %1")
                             .arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                         path);
    }
    return c;
}

} // namespace twb
