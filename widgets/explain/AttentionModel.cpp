#include "AttentionModel.h"

#include "attention/AttentionMath.h"

#include <QCoreApplication>
#include <QThread>

namespace twb {

using explain::AttentionLayer;
using explain::AttentionSet;

/// Filled by the worker, read by the GUI thread only after the matching delivery.
struct AttentionModel::Derived
{
    std::vector<std::shared_ptr<const AttentionLayer>> headAverages;
    std::shared_ptr<const AttentionLayer> layerAverage;
    std::shared_ptr<const AttentionLayer> rollout;
    bool averagesDelivered = false;
    bool rolloutDelivered = false;
};

AttentionModel::AttentionModel(QObject *parent)
    : QObject(parent)
{}

AttentionModel::~AttentionModel()
{
    for (const QPointer<QThread> &worker : m_workers)
        if (worker)
            worker->wait();
}

void AttentionModel::clear()
{
    ++m_generation;
    m_set.reset();
    m_labels.clear();
    m_headAverages.clear();
    m_layerAverage.reset();
    m_rollout.reset();
    m_pending.reset();
    Q_EMIT attentionChanged();
}

void AttentionModel::setAttention(AttentionSet set)
{
    const std::uint64_t generation = ++m_generation;
    m_set = std::make_shared<const AttentionSet>(std::move(set));
    m_labels.clear();
    m_labels.reserve(qsizetype(m_set->tokens.size()));
    for (std::size_t i = 0; i < m_set->tokens.size(); ++i) {
        const std::string &label = m_set->tokens[i].label;
        m_labels.append(label.empty() ? QString::number(i) : QString::fromStdString(label));
    }
    m_headAverages.clear();
    m_layerAverage.reset();
    m_rollout.reset();
    auto derived = std::make_shared<Derived>();
    m_pending = derived;

    std::shared_ptr<const AttentionSet> input = m_set;
    QThread *worker = QThread::create([this, input, derived, generation] {
        for (const AttentionLayer &layer : input->layers)
            derived->headAverages.push_back(
                std::make_shared<const AttentionLayer>(explain::headAverage(layer)));
        derived->layerAverage =
            std::make_shared<const AttentionLayer>(explain::layerAverage(input->layers));
        QMetaObject::invokeMethod(
            this, [this, derived, generation] { adoptAverages(generation, derived); },
            Qt::QueuedConnection);
        derived->rollout = std::make_shared<const AttentionLayer>(explain::rollout(input->layers));
        QMetaObject::invokeMethod(
            this, [this, derived, generation] { adoptRollout(generation, derived); },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    std::erase_if(m_workers, [](const QPointer<QThread> &w) { return w.isNull(); });
    m_workers.emplace_back(worker);
    worker->start(QThread::LowPriority);
    Q_EMIT attentionChanged();
}

void AttentionModel::adoptAverages(std::uint64_t generation, std::shared_ptr<Derived> derived)
{
    if (generation != m_generation || derived->averagesDelivered)
        return;
    derived->averagesDelivered = true;
    m_headAverages = derived->headAverages;
    m_layerAverage = derived->layerAverage;
    Q_EMIT averagesReadyChanged();
}

void AttentionModel::adoptRollout(std::uint64_t generation, std::shared_ptr<Derived> derived)
{
    if (generation != m_generation || derived->rolloutDelivered)
        return;
    derived->rolloutDelivered = true;
    m_rollout = derived->rollout;
    Q_EMIT rolloutReadyChanged();
}

void AttentionModel::waitForDerived()
{
    if (!m_pending)
        return;
    if (!m_workers.empty() && m_workers.back())
        m_workers.back()->wait();
    // The worker has finished: its results are complete, adopt them now rather than waiting
    // for the queued deliveries (which then find them adopted and do nothing).
    const std::shared_ptr<Derived> derived = m_pending;
    adoptAverages(m_generation, derived);
    adoptRollout(m_generation, derived);
}

int AttentionModel::layerCount() const
{
    return m_set ? m_set->layerCount() : 0;
}

int AttentionModel::headCount() const
{
    return isEmpty() ? 0 : m_set->layers.front().heads;
}

int AttentionModel::tokenCount() const
{
    return m_set ? m_set->tokenCount() : 0;
}

AttentionMapRef AttentionModel::map(const AttentionSelection &selection) const
{
    if (isEmpty())
        return {};
    switch (selection.mode) {
    case AttentionMode::Head:
        if (selection.layer < 0 || selection.layer >= layerCount())
            return {};
        return {std::shared_ptr<const AttentionLayer>(m_set,
                                                      &m_set->layers[std::size_t(selection.layer)]),
                selection.head};
    case AttentionMode::HeadAverage:
        return headAverageMap(selection.layer);
    case AttentionMode::LayerAverage:
        return {m_layerAverage, selection.head};
    case AttentionMode::Rollout:
        return rolloutMap();
    }
    return {};
}

AttentionMapRef AttentionModel::rolloutMap() const
{
    return {m_rollout, 0};
}

AttentionMapRef AttentionModel::headAverageMap(int layer) const
{
    if (layer < 0 || layer >= int(m_headAverages.size()))
        return {};
    return {m_headAverages[std::size_t(layer)], 0};
}

std::vector<float> AttentionModel::queryWeights(const AttentionSelection &selection,
                                                int query) const
{
    const AttentionMapRef ref = map(selection);
    if (!ref.isValid())
        return {};
    return explain::queryRow(*ref.layer, ref.head, query);
}

QString AttentionModel::describe(const AttentionSelection &selection) const
{
    switch (selection.mode) {
    case AttentionMode::Head:
        return tr("layer %1 · head %2").arg(selection.layer).arg(selection.head);
    case AttentionMode::HeadAverage:
        return tr("layer %1 · head average").arg(selection.layer);
    case AttentionMode::LayerAverage:
        return tr("head %1 · mean of layers").arg(selection.head);
    case AttentionMode::Rollout:
        return tr("rollout through %1 layers").arg(layerCount());
    }
    return {};
}

} // namespace twb
