#include "AttentionModel.h"

#include "attention/AttentionMath.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>

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

namespace {

QStringList labelsOf(const std::vector<TokenInfo> &tokens)
{
    QStringList labels;
    labels.reserve(qsizetype(tokens.size()));
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string &label = tokens[i].label;
        labels.append(label.empty() ? QString::number(i) : QString::fromStdString(label));
    }
    return labels;
}

} // namespace

void AttentionModel::clear()
{
    ++m_generation;
    m_set.reset();
    m_labels.clear();
    m_queryLabels.clear();
    m_keyLabels.clear();
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
    m_labels = labelsOf(m_set->tokens);
    m_queryLabels.clear();
    m_keyLabels.clear();
    for (const AttentionLayer &layer : m_set->layers) {
        m_queryLabels.push_back(labelsOf(layer.queryTokens));
        m_keyLabels.push_back(labelsOf(layer.keyTokens));
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
        // Only the leading layers over the input tokens can be averaged and rolled out: a
        // distilled layer or a cross-attention map has other queries and keys.
        const int chain = input->inputTokenChain();
        derived->layerAverage = std::make_shared<const AttentionLayer>(
            chain > 0 ? explain::layerAverage(input->layers, chain) : AttentionLayer{});
        QMetaObject::invokeMethod(
            this, [this, derived, generation] { adoptAverages(generation, derived); },
            Qt::QueuedConnection);
        derived->rollout = std::make_shared<const AttentionLayer>(
            chain > 0 ? explain::rollout(input->layers, chain - 1) : AttentionLayer{});
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
    int heads = 0;
    if (!isEmpty())
        for (const AttentionLayer &layer : m_set->layers)
            heads = std::max(heads, layer.heads);
    return heads;
}

QString AttentionModel::layerName(int layer) const
{
    return m_set ? QString::fromStdString(m_set->layerName(layer)) : tr("layer %1").arg(layer);
}

QStringList AttentionModel::layerNames() const
{
    QStringList names;
    for (int l = 0; l < layerCount(); ++l)
        names.append(layerName(l));
    return names;
}

int AttentionModel::averagedLayers() const
{
    return m_set ? m_set->inputTokenChain() : 0;
}

int AttentionModel::tokenSource(const AttentionSelection &selection) const
{
    if (!m_set ||
        (selection.mode != AttentionMode::Head && selection.mode != AttentionMode::HeadAverage))
        return -1;
    if (selection.layer < 0 || selection.layer >= layerCount() ||
        m_set->layers[std::size_t(selection.layer)].usesSetTokens())
        return -1;
    return selection.layer;
}

const std::vector<TokenInfo> &AttentionModel::queryTokens(const AttentionSelection &selection) const
{
    static const std::vector<TokenInfo> none;
    if (!m_set)
        return none;
    return m_set->queryTokens(tokenSource(selection));
}

const std::vector<TokenInfo> &AttentionModel::keyTokens(const AttentionSelection &selection) const
{
    static const std::vector<TokenInfo> none;
    if (!m_set)
        return none;
    return m_set->keyTokens(tokenSource(selection));
}

QStringList AttentionModel::queryLabels(const AttentionSelection &selection) const
{
    const int source = tokenSource(selection);
    if (source < 0 || m_queryLabels[std::size_t(source)].isEmpty())
        return m_labels;
    return m_queryLabels[std::size_t(source)];
}

QStringList AttentionModel::keyLabels(const AttentionSelection &selection) const
{
    const int source = tokenSource(selection);
    if (source < 0 || m_keyLabels[std::size_t(source)].isEmpty())
        return m_labels;
    return m_keyLabels[std::size_t(source)];
}

QString AttentionModel::unavailableReason(const AttentionSelection &selection) const
{
    if (isEmpty() ||
        (selection.mode != AttentionMode::LayerAverage && selection.mode != AttentionMode::Rollout))
        return {};
    if (averagedLayers() > 0)
        return {};
    return selection.mode == AttentionMode::Rollout
               ? tr("No rollout: it is defined over a chain of square maps of the input tokens, "
                    "and %1 is not one")
                     .arg(layerName(0))
               : tr("No layer average: %1 is not a square map of the input tokens")
                     .arg(layerName(0));
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
    const int chain = averagedLayers();
    const QString layers = chain == 1 ? tr("1 layer") : tr("%1 layers").arg(chain);
    // " (encoder layer 0–encoder layer 1 of 3 layers: the others attend over other tokens)"
    // when not all layers combine.
    const QString partial =
        chain > 0 && chain < layerCount()
            ? (chain == 1 ? tr(" (%1 of %2 layers: the others attend over other tokens)")
                                .arg(layerName(0))
                                .arg(layerCount())
                          : tr(" (%1 to %2 of %3 layers: the others attend over other tokens)")
                                .arg(layerName(0), layerName(chain - 1))
                                .arg(layerCount()))
            : QString();
    switch (selection.mode) {
    case AttentionMode::Head:
        return tr("%1 · head %2").arg(layerName(selection.layer)).arg(selection.head);
    case AttentionMode::HeadAverage:
        return tr("%1 · head average").arg(layerName(selection.layer));
    case AttentionMode::LayerAverage:
        return tr("head %1 · mean of layers").arg(selection.head) + partial;
    case AttentionMode::Rollout:
        return tr("rollout through %1").arg(layers) + partial;
    }
    return {};
}

} // namespace twb
