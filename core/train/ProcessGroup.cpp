// The c10d side of ProcessGroup: TCPStore rendezvous and the Gloo process group.

#include "ProcessGroup.h"
#include "common/Errors.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <QStringList>

#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include <unistd.h>

namespace twb {

namespace {

constexpr const char *victimMark = "(a collective failed)";

std::string failedKey(int rank)
{
    return "twb/failed/" + std::to_string(rank);
}

std::string firstLine(const std::string &text)
{
    const std::size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

/// The network device Gloo binds to: GLOO_SOCKET_IFNAME's interface when set (as in PyTorch),
/// loopback when rank 0 is on this machine's loopback, else the address of this host's name.
std::shared_ptr<::gloo::transport::Device> makeDevice(const DistributedSettings &s)
{
    if (const char *name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name)
        return c10d::ProcessGroupGloo::createDeviceForInterface(name);
    if (s.masterAddr == QLatin1String("127.0.0.1") || s.masterAddr == QLatin1String("localhost"))
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

struct ProcessGroup::Impl
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
};

ProcessGroup::ProcessGroup(DistributedSettings settings, std::unique_ptr<Impl> impl)
    : m_settings(std::move(settings))
    , m_impl(std::move(impl))
{}

ProcessGroup::~ProcessGroup() = default;

Expected<std::unique_ptr<ProcessGroup>> ProcessGroup::join(const DistributedSettings &settings)
{
    const auto timeout = std::chrono::milliseconds(std::int64_t(settings.timeoutSeconds) * 1000);
    auto impl = std::make_unique<Impl>();
    const QString where = QStringLiteral("%1:%2").arg(settings.masterAddr).arg(settings.masterPort);
    try {
        c10d::TCPStoreOptions options;
        options.port = std::uint16_t(settings.masterPort);
        // Under torchrun's agent the store exists already: rank 0 is a client like the others.
        options.isServer = settings.rank == 0 && !settings.agentStore;
        options.numWorkers = std::size_t(settings.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(settings.masterAddr.toStdString(), options);
        if (settings.agentStore)
            impl->store =
                c10::make_intrusive<c10d::PrefixStore>(settings.storePrefix.toStdString(), tcp);
        else
            impl->store = tcp;
    } catch (const std::exception &e) {
        return makeError(
            QStringLiteral("%1: the rendezvous at %2 failed within %3 s (%4). Check MASTER_ADDR "
                           "and MASTER_PORT (the same on every rank, a port free on rank 0's host) "
                           "and that all %5 ranks were started")
                .arg(settings.describe(), where)
                .arg(settings.timeoutSeconds)
                .arg(QString::fromStdString(firstLine(e.what())))
                .arg(settings.worldSize));
    }
    try {
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        options->devices.push_back(makeDevice(settings));
        options->threads = 2;
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>("twb/gloo", impl->store);
        impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, settings.rank,
                                                                  settings.worldSize, options);
    } catch (const std::exception &e) {
        return makeError(
            QStringLiteral("%1: joining the Gloo process group through %2 failed within %3 s "
                           "(%4): not every rank arrived, or they disagree on WORLD_SIZE")
                .arg(settings.describe(), where)
                .arg(settings.timeoutSeconds)
                .arg(QString::fromStdString(firstLine(e.what()))));
    }
    return std::unique_ptr<ProcessGroup>(new ProcessGroup(settings, std::move(impl)));
}

void ProcessGroup::announceFailure(const QString &reason)
{
    if (m_broken)
        return;
    try {
        const std::string text = reason.toStdString();
        m_impl->store->set(failedKey(rank()), std::vector<std::uint8_t>(text.begin(), text.end()));
    } catch (...) {
        // the store is gone too (rank 0 left): nothing to tell
    }
}

void ProcessGroup::fail(const char *operation, const std::exception &error)
{
    // Tell the others this rank is a victim, give their words a moment to arrive, then name
    // the rank that failed first (it said why) or the ranks that said nothing (died or hang).
    announceFailure(QString::fromLatin1(victimMark));
    m_broken = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    QStringList silent, failed;
    bool storeGone = false;
    try {
        for (int r = 0; r < worldSize(); ++r) {
            if (r == rank())
                continue;
            if (!m_impl->store->check({failedKey(r)})) {
                silent << QString::number(r);
                continue;
            }
            const std::vector<std::uint8_t> said = m_impl->store->get(failedKey(r));
            const QString why = QString::fromUtf8(reinterpret_cast<const char *>(said.data()),
                                                  qsizetype(said.size()));
            if (why != QLatin1String(victimMark))
                failed << QStringLiteral("rank %1 failed: %2").arg(r).arg(why);
        }
    } catch (const std::exception &) {
        storeGone = true;
    }
    QString who;
    if (!failed.isEmpty())
        who = failed.join(QStringLiteral("; "));
    else if (storeGone)
        who = QStringLiteral("rank 0 (which serves the rendezvous store) is gone: it died, "
                             "failed or was killed");
    else if (!silent.isEmpty())
        who = QStringLiteral("rank%1 %2 stopped answering (died, or hung longer than the "
                             "%3 s timeout)")
                  .arg(silent.size() > 1 ? QStringLiteral("s") : QString(),
                       silent.join(QStringLiteral(", ")))
                  .arg(m_settings.timeoutSeconds);
    else
        who = QStringLiteral("every other rank reports a failed collective too");
    throw DistributedError(QStringLiteral("rank %1 of %2: %3 failed: %4 [%5]")
                               .arg(rank())
                               .arg(worldSize())
                               .arg(QString::fromLatin1(operation), who,
                                    QString::fromStdString(firstLine(error.what())))
                               .toStdString());
}

void ProcessGroup::broadcastFromMain(const std::vector<torch::Tensor> &tensors)
{
    torch::NoGradGuard noGrad;
    std::map<int, std::vector<torch::Tensor>> byType;
    for (const torch::Tensor &t : tensors)
        if (t.defined() && t.numel() > 0)
            byType[int(t.scalar_type())].push_back(t);
    try {
        for (auto &[type, group] : byType) {
            std::vector<torch::Tensor> flat;
            for (const torch::Tensor &t : group)
                flat.push_back(t.detach().reshape({-1}));
            std::vector<at::Tensor> message{torch::cat(flat)};
            c10d::BroadcastOptions options;
            options.rootRank = 0;
            m_impl->group->broadcast(message, options)->wait();
            std::int64_t offset = 0;
            for (const torch::Tensor &t : group) {
                t.detach().copy_(message[0].narrow(0, offset, t.numel()).view(t.sizes()));
                offset += t.numel();
            }
        }
    } catch (const DistributedError &) {
        throw;
    } catch (const std::exception &e) {
        fail("broadcast of rank 0's weights", e);
    }
}

void ProcessGroup::allReduceSum(const std::vector<torch::Tensor> &tensors)
{
    for (const torch::Tensor &t : tensors)
        startAllReduceSum(t);
    finishPending();
}

void ProcessGroup::startAllReduceSum(const torch::Tensor &tensor)
{
    try {
        std::vector<at::Tensor> one{tensor};
        c10d::AllreduceOptions options;
        options.reduceOp = c10d::ReduceOp::SUM;
        m_impl->pending.push_back(m_impl->group->allreduce(one, options));
    } catch (const std::exception &e) {
        m_impl->pending.clear();
        fail("all-reduce", e);
    }
}

void ProcessGroup::finishPending()
{
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
    pending.swap(m_impl->pending);
    try {
        for (auto &work : pending)
            work->wait();
    } catch (const std::exception &e) {
        fail("all-reduce", e);
    }
}

void ProcessGroup::allReduceMax(const torch::Tensor &tensor)
{
    try {
        std::vector<at::Tensor> one{tensor};
        c10d::AllreduceOptions options;
        options.reduceOp = c10d::ReduceOp::MAX;
        m_impl->group->allreduce(one, options)->wait();
    } catch (const std::exception &e) {
        fail("all-reduce", e);
    }
}

void ProcessGroup::barrier()
{
    try {
        m_impl->group->barrier()->wait();
    } catch (const std::exception &e) {
        fail("barrier", e);
    }
}

} // namespace twb
