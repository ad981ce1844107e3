#pragma once

#include "attention/AttentionSet.h"
#include "common/TokenInfo.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QThread;

namespace twb {

/// Which map the attention explorer shows.
enum class AttentionMode {
    Head,         ///< one head of one layer
    HeadAverage,  ///< the mean over the heads of one layer
    LayerAverage, ///< one head averaged over the layers over the input tokens
    Rollout,      ///< attention rollout through the layers over the input tokens (Abnar & Zuidema)
};

/// The map chosen in the explorer: `layer` is ignored by LayerAverage and Rollout, `head` by
/// HeadAverage and Rollout.
struct AttentionSelection
{
    AttentionMode mode = AttentionMode::Head;
    int layer = 0;
    int head = 0;

    bool operator==(const AttentionSelection &) const = default;
};

/// One [queries, keys] map: head `head` of `layer` (shared, so a view keeps its data alive).
/// Null when the map is not available (yet).
struct AttentionMapRef
{
    std::shared_ptr<const explain::AttentionLayer> layer;
    int head = 0;

    bool isValid() const { return layer && layer->isValid() && head >= 0 && head < layer->heads; }
    int queries() const { return layer ? layer->queries : 0; }
    int keys() const { return layer ? layer->keys : 0; }
    /// Row-major [queries, keys] values.
    const float *data() const { return layer->row(head, 0); }
    float at(int query, int key) const { return layer->at(head, query, key); }
};

/// The attention of one sample and everything derived from it (per-layer head averages, the
/// layer average, rollout), shared by the explorer's grid, map and overlay.
///
/// Layers may attend over other tokens than the model's input tokens (Informer's distilled
/// encoder layers, cross-attention: decoder queries x encoder keys, not square): queryTokens()
/// and keyTokens() give the tokens of the map a selection shows. The layer average and rollout
/// combine only the leading layers over the input tokens (AttentionSet::inputTokenChain()):
/// averagedLayers() says how many; with none they are unavailable (unavailableReason()).
///
/// setAttention() keeps the set and returns at once; the derived maps are computed with
/// explain::AttentionMath on a worker thread (rollout of 1,212 tokens takes seconds) and
/// delivered to the GUI thread: averagesReady() when the head and layer averages are there,
/// rolloutReady() when the rollout is. A newer set makes older results be dropped.
/// Threading: GUI thread only (the worker touches no member).
class AttentionModel : public QObject
{
    Q_OBJECT

public:
    explicit AttentionModel(QObject *parent = nullptr);
    ~AttentionModel() override; ///< waits for a running worker

    void setAttention(explain::AttentionSet set);
    void clear();
    const explain::AttentionSet *attention() const { return m_set.get(); }
    bool isEmpty() const { return !m_set || m_set->layers.empty(); }
    int layerCount() const;
    int headCount() const;  ///< the most heads of any layer
    int tokenCount() const; ///< the model's input tokens
    /// TokenInfo::label of every input token (its index when the label is empty).
    const QStringList &tokenLabels() const { return m_labels; }
    /// "encoder layer 1", "decoder layer 0 cross-attention" ("layer i" for unnamed layers).
    QString layerName(int layer) const;
    QStringList layerNames() const;
    /// The leading layers the layer average and rollout combine (square maps over the input
    /// tokens); 0 when the first layer is not such a map.
    int averagedLayers() const;

    /// The tokens of the selected map's queries (rows) and keys (columns): the layer's own for
    /// Head and HeadAverage, the input tokens for LayerAverage and Rollout.
    const std::vector<TokenInfo> &queryTokens(const AttentionSelection &selection) const;
    const std::vector<TokenInfo> &keyTokens(const AttentionSelection &selection) const;
    /// Their labels (index when a label is empty).
    QStringList queryLabels(const AttentionSelection &selection) const;
    QStringList keyLabels(const AttentionSelection &selection) const;
    /// The layer whose own tokens a selection shows, -1 when they are the input tokens (two
    /// selections with the same value have the same axes).
    int tokenSource(const AttentionSelection &selection) const;
    /// Why a selection has no map although everything is computed (a layer average or rollout
    /// without layers over the input tokens); empty otherwise.
    QString unavailableReason(const AttentionSelection &selection) const;

    bool averagesReady() const { return m_layerAverage != nullptr; }
    bool rolloutReady() const { return m_rollout != nullptr; }
    /// Blocks until the worker has delivered everything (tests, benchmarks, exports).
    void waitForDerived();

    /// The map of a selection; invalid when out of range or not computed yet.
    AttentionMapRef map(const AttentionSelection &selection) const;
    /// The rollout map (invalid until rolloutReady()).
    AttentionMapRef rolloutMap() const;
    /// Head average of `layer` (invalid until averagesReady()).
    AttentionMapRef headAverageMap(int layer) const;
    /// The weights query `query` gives every key in the selected map (explain::queryRow of the
    /// map's layer); empty when unavailable.
    std::vector<float> queryWeights(const AttentionSelection &selection, int query) const;
    /// "encoder layer 2 · head 5", "encoder layer 2 · head average", "head 5 · mean of 3
    /// layers", "rollout through 3 layers", with the layers they combine when not all.
    QString describe(const AttentionSelection &selection) const;

Q_SIGNALS:
    void attentionChanged();
    void averagesReadyChanged();
    void rolloutReadyChanged();

private:
    struct Derived;
    void adoptAverages(std::uint64_t generation, std::shared_ptr<Derived> derived);
    void adoptRollout(std::uint64_t generation, std::shared_ptr<Derived> derived);

    std::shared_ptr<const explain::AttentionSet> m_set;
    QStringList m_labels;
    std::vector<QStringList> m_queryLabels; // [layer]: its own, empty when the input's
    std::vector<QStringList> m_keyLabels;
    std::vector<std::shared_ptr<const explain::AttentionLayer>> m_headAverages;
    std::shared_ptr<const explain::AttentionLayer> m_layerAverage;
    std::shared_ptr<const explain::AttentionLayer> m_rollout;
    std::uint64_t m_generation = 0;
    std::vector<QPointer<QThread>> m_workers;
    std::shared_ptr<Derived> m_pending;
};

} // namespace twb
