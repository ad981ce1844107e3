// TrainingRun, data-parallel part: who writes the run folder and what it records about the
// ranks (issue 21).

#include "ProcessGroup.h"
#include "TrainingRun.h"
#include "common/Errors.h"

namespace twb {

namespace {

const QString worldSizeKey = QStringLiteral("world_size");

} // namespace

bool TrainingRun::isFollower() const
{
    return m_group && !m_group->isMain();
}

Expected<RunStore> TrainingRun::createStore(const QString &runDir) const
{
    if (!m_group)
        return RunStore::create(runDir);
    // Rank 0 decides whether the folder can take the run; the others learn it at a barrier,
    // so that a refused folder ends every rank with the same error.
    Expected<RunStore> store = m_group->isMain() ? RunStore::create(runDir)
                                                 : Expected<RunStore>(RunStore::follower(runDir));
    const torch::Tensor refused = torch::full({1}, store ? 0.0f : 1.0f);
    m_group->allReduceMax(refused);
    if (!store)
        return store;
    if (refused.item<float>() > 0.5f)
        return makeError(QStringLiteral("rank 0 refused the run folder (see its message)"), runDir);
    return store;
}

void TrainingRun::noteRanks(std::int64_t batchSize)
{
    if (!m_group)
        return;
    onMessage(QStringLiteral("data parallel: %1 ranks, this log written by %2; batch size %3 per "
                             "rank, %4 in all")
                  .arg(m_group->worldSize())
                  .arg(m_group->settings().describe())
                  .arg(batchSize)
                  .arg(batchSize * m_group->worldSize()));
}

void TrainingRun::recordWorldSize(QJsonObject &json) const
{
    if (m_group)
        json[worldSizeKey] = m_group->worldSize();
}

Status TrainingRun::updateWorldSize()
{
    Expected<QJsonObject> json = m_store->readConfig();
    if (!json)
        return json.error();
    const int before = json->value(worldSizeKey).toInt(1);
    const int now = m_group ? m_group->worldSize() : 1;
    if (before == now)
        return {};
    if (now > 1)
        (*json)[worldSizeKey] = now;
    else
        json->remove(worldSizeKey);
    if (Status s = m_store->writeConfig(*json); !s)
        return s;
    note(QStringLiteral("world size: %1 -> %2 ranks (--batch-size stays per rank: the global "
                        "batch is now %2 x it)")
             .arg(before)
             .arg(now));
    return {};
}

} // namespace twb
