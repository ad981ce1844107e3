#include "Checkpoint.h"
#include "PickleCheck.h"
#include "common/Errors.h"
#include "runs/AtomicFile.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cstring>

namespace twb {

namespace {

/// 1: the first layout; 2: with "checksum" (SHA-256 of the content, checked on load).
constexpr std::int64_t checkpointFormat = 2;
constexpr std::int64_t firstFormatWithChecksum = 2;

void hashTensor(QCryptographicHash &hash, const std::string &name, const torch::Tensor &tensor)
{
    hash.addData(QByteArrayView(name.data(), qsizetype(name.size() + 1)));
    if (!tensor.defined() || tensor.numel() == 0) // saved as an empty tensor when undefined
        return;
    const torch::Tensor t = tensor.contiguous().cpu();
    const std::string header = std::string(c10::toString(t.scalar_type())) + c10::str(t.sizes());
    hash.addData(QByteArrayView(header.data(), qsizetype(header.size() + 1)));
    hash.addData(QByteArrayView(static_cast<const char *>(t.data_ptr()), qsizetype(t.nbytes())));
}

void hashDict(QCryptographicHash &hash, const TensorDict &dict)
{
    std::vector<std::string> names;
    for (const auto &entry : dict)
        names.push_back(entry.key());
    std::sort(names.begin(), names.end());
    for (const std::string &name : names)
        hashTensor(hash, name, dict.at(name));
}

/// SHA-256 (hex) of everything a checkpoint holds: tensors by name, optimizer kind, state, lr.
std::string contentChecksum(const Checkpoint &c)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hashDict(hash, c.model);
    hashDict(hash, c.optimizer);
    hashTensor(hash, "rng", c.rngState);
    const TrainState &s = c.state;
    const QString scalars = QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8|%9|%10|%11")
                                .arg(QString::fromStdString(c.optimizerKind))
                                .arg(s.epoch)
                                .arg(s.batch)
                                .arg(s.globalStep)
                                .arg(s.bestValLoss, 0, 'g', 17)
                                .arg(s.bestEpoch)
                                .arg(s.badEpochs)
                                .arg(s.epochLossSum, 0, 'g', 17)
                                .arg(s.epochSamples)
                                .arg(s.finished ? 1 : 0)
                                .arg(c.lr, 0, 'g', 17);
    hash.addData(scalars.toUtf8());
    if (s.swaCount > 0) // absent before weight averaging existed: older checksums still match
        hash.addData(QStringLiteral("|swa %1").arg(s.swaCount).toUtf8());
    if (s.worldSize != 1) // absent before data-parallel training existed
        hash.addData(QStringLiteral("|world %1").arg(s.worldSize).toUtf8());
    return hash.result().toHex().toStdString();
}

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
    if (s.swaCount > 0)
        d.insert("swa_count", s.swaCount);
    if (s.worldSize != 1)
        d.insert("world_size", s.worldSize);
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

torch::Tensor rngState()
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
}

void setRngState(const torch::Tensor &state)
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state);
}

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
    for (auto &b : module.named_buffers(true)) {
        // A buffer that a model fills when it is fitted (nn/OnePassFit.h) is empty until then and
        // takes the checkpoint's shape; set_ keeps the module's own handle to it valid.
        if (b.value().numel() == 0) {
            auto it = dict.find(b.key());
            if (it != dict.end()) {
                b.value().set_(it->value().clone().to(b.value().device()));
                continue;
            }
        }
        if (Status s = copyInto(b.key(), b.value()); !s)
            return s;
    }
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
    root.insert("checksum", contentChecksum(checkpoint));
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

namespace {

/// The bytes of a file as LibTorch's zip reader asks for them, never more than there are.
/// torch::pickle_load (LibTorch 1.13) reads through a VectorReader that copies whatever range
/// it is asked for: a checkpoint whose zip directory points past its end made it read past the
/// buffer (found by fuzz_checkpoint; fuzz/regressions/checkpoint). A short read here makes the
/// zip reader report the damage instead. Borrows `bytes`, which must outlive it.
class BoundedReadAdapter final : public caffe2::serialize::ReadAdapterInterface
{
public:
    explicit BoundedReadAdapter(const QByteArray &bytes)
        : m_bytes(bytes)
    {}
    size_t size() const override { return size_t(m_bytes.size()); }
    size_t read(uint64_t pos, void *buf, size_t n, const char * /*what*/) const override
    {
        if (pos >= size())
            return 0;
        const size_t count = std::min(n, size() - size_t(pos));
        std::memcpy(buf, m_bytes.constData() + pos, count);
        return count;
    }

private:
    const QByteArray &m_bytes;
};

/// What torch::pickle_load does, over BoundedReadAdapter, with the pickled part checked first
/// (checkPickleStream): a damaged length there would make LibTorch allocate gigabytes.
Expected<c10::IValue> pickleLoad(const QByteArray &bytes, const QString &path)
{
    caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BoundedReadAdapter>(bytes));
    const char *pickleName = "data.pkl";
    if (!reader.hasRecord(pickleName))
        return makeError(QStringLiteral("not a twb checkpoint (no data.pkl in the archive)"), path);
    const auto [pickle, pickleSize] = reader.getRecord(pickleName);
    if (Status checked = checkPickleStream(
            QByteArrayView(static_cast<const char *>(pickle.get()), qsizetype(pickleSize)), path);
        !checked)
        return checked.error();
    return torch::jit::readArchiveAndTensors("data", /*pickle_prefix=*/"", /*tensor_prefix=*/"",
                                             c10::nullopt, c10::nullopt, c10::nullopt, reader);
}

} // namespace

Expected<Checkpoint> loadCheckpoint(const QString &path)
{
    Expected<QByteArray> raw = readWholeFile(path);
    if (!raw)
        return raw.error();
    Checkpoint c;
    try {
        Expected<c10::IValue> loaded = pickleLoad(*raw, path);
        if (!loaded)
            return loaded.error();
        const c10::IValue value = std::move(*loaded);
        if (!value.isGenericDict())
            return makeError(QStringLiteral("not a twb checkpoint (no dictionary at the top)"),
                             path);
        const auto root = value.toGenericDict();
        const std::int64_t format =
            root.contains("format") && root.at("format").isInt() ? root.at("format").toInt() : 0;
        if (format < 1 || format > checkpointFormat)
            return makeError(
                QStringLiteral("not a twb checkpoint of format 1 to %1").arg(checkpointFormat),
                path);
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
        if (s.contains("swa_count") && s.at("swa_count").isInt())
            c.state.swaCount = s.at("swa_count").toInt();
        if (s.contains("world_size") && s.at("world_size").isInt())
            c.state.worldSize = s.at("world_size").toInt();
        if (format >= firstFormatWithChecksum) {
            const std::string stored =
                root.contains("checksum") ? root.at("checksum").toStringRef() : std::string();
            if (stored != contentChecksum(c))
                return makeError(QStringLiteral("corrupted checkpoint: its content does not match "
                                                "the checksum written with it (the file changed "
                                                "after it was saved); use another checkpoint or "
                                                "train again"),
                                 path);
        }
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("unreadable checkpoint: %1")
                             .arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                         path);
    }
    return c;
}

} // namespace twb
