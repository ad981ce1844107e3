#include "AttentionExplorer.h"

#include "widgets/explain/AttentionGrid.h"
#include "widgets/explain/AttentionInputOverlay.h"
#include "widgets/explain/AttentionMapView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace twb {

AttentionExplorer::AttentionExplorer(QWidget *parent)
    : QWidget(parent)
    , m_model(new AttentionModel(this))
    , m_grid(new AttentionGrid)
    , m_mapView(new AttentionMapView)
    , m_overlay(new AttentionInputOverlay)
{
    m_mapView->setObjectName(QStringLiteral("attentionMap"));
    m_grid->setObjectName(QStringLiteral("attentionGrid"));
    m_mode = new QComboBox;
    m_mode->setObjectName(QStringLiteral("attentionMode"));
    m_mode->addItems({tr("head"), tr("head average"), tr("layer average"), tr("rollout")});
    m_layer = new QComboBox;
    m_layer->setObjectName(QStringLiteral("attentionLayer"));
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_layer->setToolTip(tr("The layer whose map is shown"));
    m_head = new QSpinBox;
    m_head->setObjectName(QStringLiteral("attentionHead"));
    m_head->setPrefix(tr("head "));
    m_queryBox = new QComboBox;
    m_queryBox->setObjectName(QStringLiteral("attentionQuery"));
    m_queryBox->setMinimumContentsLength(18);
    m_queryBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_colorMapBox = new QComboBox;
    m_colorMapBox->addItems(colorMapNames());
    m_fixedScale = new QCheckBox(tr("scale 0..1"));
    m_fixedScale->setToolTip(tr("Colour scale from 0 to 1 instead of 0 to the map's maximum"));
    m_channelBox = new QComboBox;
    m_channelBox->setToolTip(tr("The channel drawn under the attention"));
    m_info = new QLabel;

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show")));
    controls->addWidget(m_mode);
    controls->addWidget(m_layer);
    controls->addWidget(m_head);
    controls->addWidget(new QLabel(tr("query")));
    controls->addWidget(m_queryBox);
    controls->addWidget(new QLabel(tr("colours")));
    controls->addWidget(m_colorMapBox);
    controls->addWidget(m_fixedScale);
    controls->addWidget(m_channelBox);
    controls->addStretch(1);
    controls->addWidget(m_info);

    auto *gridScroll = new QScrollArea;
    gridScroll->setWidget(m_grid);
    gridScroll->setWidgetResizable(true);
    gridScroll->setMinimumWidth(220);
    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(m_mapView);
    right->addWidget(m_overlay);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto *body = new QSplitter(Qt::Horizontal);
    body->addWidget(gridScroll);
    body->addWidget(right);
    body->setStretchFactor(0, 1);
    body->setStretchFactor(1, 2);
    body->setSizes({420, 900});
    right->setSizes({600, 220});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(body, 1);

    m_grid->setModel(m_model);
    connect(m_model, &AttentionModel::attentionChanged, this,
            &AttentionExplorer::onAttentionChanged);
    connect(m_model, &AttentionModel::averagesReadyChanged, this,
            &AttentionExplorer::onDerivedArrived);
    connect(m_model, &AttentionModel::rolloutReadyChanged, this,
            &AttentionExplorer::onDerivedArrived);
    connect(m_grid, &AttentionGrid::selected, this, &AttentionExplorer::onGridSelected);
    connect(m_mapView, &AttentionMapView::querySelected, this, &AttentionExplorer::setQuery);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &AttentionExplorer::onControlsChanged);
    connect(m_layer, &QComboBox::currentIndexChanged, this, &AttentionExplorer::onControlsChanged);
    connect(m_head, &QSpinBox::valueChanged, this, &AttentionExplorer::onControlsChanged);
    connect(m_queryBox, &QComboBox::currentIndexChanged, this, &AttentionExplorer::setQuery);
    connect(m_colorMapBox, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        if (const auto kind = colorMapFromName(name))
            setColorMap(*kind);
    });
    connect(m_fixedScale, &QCheckBox::toggled, m_mapView, &AttentionMapView::setFixedScale);
    connect(m_channelBox, &QComboBox::currentIndexChanged, m_overlay,
            &AttentionInputOverlay::setChannel);
    onAttentionChanged();
}

AttentionExplorer::~AttentionExplorer() = default;

void AttentionExplorer::setAttention(explain::AttentionSet set)
{
    m_mapView->setMessage({});
    m_model->setAttention(std::move(set));
}

void AttentionExplorer::showMessage(const QString &message)
{
    m_model->clear();
    m_mapView->setMessage(message);
}

void AttentionExplorer::setInputSeries(std::vector<float> values, int length, int channels,
                                       const QStringList &channelNames)
{
    m_overlay->setInputSeries(std::move(values), length, channels, channelNames);
    const QSignalBlocker blocker(m_channelBox);
    m_channelBox->clear();
    for (int c = 0; c < channels; ++c)
        m_channelBox->addItem(c < channelNames.size() ? channelNames[c] : tr("ch %1").arg(c));
    const explain::AttentionSet *set = m_model->attention();
    const int channel = set && set->channel >= 0 ? int(set->channel) : 0;
    m_channelBox->setCurrentIndex(std::min(channel, channels - 1));
    m_overlay->setChannel(channel);
    m_channelBox->setVisible(m_overlay->layout() == AttentionInputOverlay::Layout::Series);
}

void AttentionExplorer::setInputSpectrogram(const dsp::FloatMatrix &binsByFrames)
{
    m_overlay->setInputSpectrogram(binsByFrames);
}

void AttentionExplorer::setInputSound(std::span<const float> samples, double sampleRate)
{
    m_overlay->setInputSound(samples, sampleRate);
}

void AttentionExplorer::onAttentionChanged()
{
    const explain::AttentionSet *set = m_model->attention();
    {
        const QSignalBlocker blocker(m_layer);
        m_layer->clear();
        m_layer->addItems(m_model->layerNames());
    }
    m_tokenSource = -2; // new tokens: the axes, query box and overlay are set again

    m_channelBox->setVisible(m_overlay->layout() == AttentionInputOverlay::Layout::Series &&
                             m_channelBox->count() > 1);
    if (set && set->channel >= 0 && set->channel < m_channelBox->count()) {
        m_channelBox->setCurrentIndex(int(set->channel));
    }
    m_info->setText(set ? tr("%1 · %2 tokens · %3 layers × %4 heads")
                              .arg(QString::fromStdString(
                                  set->sampleLabel.empty() ? set->modelId : set->sampleLabel))
                              .arg(m_model->tokenCount())
                              .arg(m_model->layerCount())
                              .arg(m_model->headCount())
                        : QString());
    setSelection(m_selection);
}

void AttentionExplorer::syncTokens()
{
    const int source = m_model->tokenSource(m_selection);
    if (source == m_tokenSource)
        return;
    m_tokenSource = source;
    const QStringList queries = m_model->queryLabels(m_selection);
    m_mapView->setAxisLabels(queries, m_model->keyLabels(m_selection));
    m_overlay->setTokens(m_model->keyTokens(m_selection));
    m_query = std::clamp(m_query, 0, std::max(0, int(queries.size()) - 1));
    const QSignalBlocker blocker(m_queryBox);
    m_queryBox->clear();
    m_queryBox->addItems(queries);
    m_queryBox->setCurrentIndex(queries.isEmpty() ? -1 : m_query);
}

bool AttentionExplorer::queryIsInputToken() const
{
    return !m_model->isEmpty() && m_model->tokenSource(m_selection) < 0;
}

void AttentionExplorer::onDerivedArrived()
{
    if (m_selection.mode != AttentionMode::Head)
        refresh();
}

void AttentionExplorer::onGridSelected(int layer, int head)
{
    AttentionSelection selection = m_selection;
    if (layer < 0) {
        selection.mode = AttentionMode::Rollout;
    } else if (head < 0) {
        selection.mode = AttentionMode::HeadAverage;
        selection.layer = layer;
    } else {
        selection.mode = AttentionMode::Head;
        selection.layer = layer;
        selection.head = head;
    }
    setSelection(selection);
}

void AttentionExplorer::onControlsChanged()
{
    setSelection({AttentionMode(std::clamp(m_mode->currentIndex(), 0, 3)),
                  std::max(0, m_layer->currentIndex()), m_head->value()});
}

void AttentionExplorer::setSelection(const AttentionSelection &selection)
{
    AttentionSelection s = selection;
    s.layer = std::clamp(s.layer, 0, std::max(0, m_model->layerCount() - 1));
    // A head of the chosen layer (a cross-attention map may have fewer heads than the others).
    const explain::AttentionSet *set = m_model->attention();
    const int heads = s.mode == AttentionMode::Head && set && s.layer < set->layerCount()
                          ? set->layers[std::size_t(s.layer)].heads
                          : m_model->headCount();
    s.head = std::clamp(s.head, 0, std::max(0, heads - 1));
    const bool changed = !(s == m_selection);
    m_selection = s;
    syncControls();
    syncTokens();
    refresh();
    if (changed)
        Q_EMIT selectionChanged();
}

void AttentionExplorer::syncControls()
{
    const QSignalBlocker b1(m_mode), b2(m_layer), b3(m_head);
    m_mode->setCurrentIndex(int(m_selection.mode));
    m_head->setRange(0, std::max(0, m_model->headCount() - 1));
    m_layer->setCurrentIndex(m_model->layerCount() > 0 ? m_selection.layer : -1);
    m_head->setValue(m_selection.head);
    m_layer->setEnabled(m_selection.mode == AttentionMode::Head ||
                        m_selection.mode == AttentionMode::HeadAverage);
    m_head->setEnabled(m_selection.mode == AttentionMode::Head ||
                       m_selection.mode == AttentionMode::LayerAverage);
    switch (m_selection.mode) {
    case AttentionMode::Head:
        m_grid->setSelection(m_selection.layer, m_selection.head);
        break;
    case AttentionMode::HeadAverage:
        m_grid->setSelection(m_selection.layer, -1);
        break;
    case AttentionMode::LayerAverage:
        m_grid->setSelection(-2, -2);
        break;
    case AttentionMode::Rollout:
        m_grid->setSelection(-1, -1);
        break;
    }
}

void AttentionExplorer::setQuery(int query)
{
    if (query < 0 || query >= m_queryBox->count())
        return;
    const bool changed = query != m_query;
    m_query = query;
    {
        const QSignalBlocker blocker(m_queryBox);
        m_queryBox->setCurrentIndex(query);
    }
    refresh();
    if (changed)
        Q_EMIT queryChanged(query);
}

void AttentionExplorer::setColorMap(ColorMapKind kind)
{
    {
        const QSignalBlocker blocker(m_colorMapBox);
        m_colorMapBox->setCurrentText(colorMapName(kind));
    }
    m_grid->setColorMap(kind);
    m_mapView->setColorMap(kind);
}

void AttentionExplorer::refresh()
{
    if (m_model->isEmpty()) {
        m_mapView->setMap({}, QString());
        m_overlay->setWeights({});
        m_overlay->setQueryToken(std::nullopt);
        return;
    }
    const AttentionMapRef map = m_model->map(m_selection);
    QString title = m_model->describe(m_selection);
    const QString unavailable = m_model->unavailableReason(m_selection);
    if (!unavailable.isEmpty())
        title = unavailable;
    else if (!map.isValid())
        title += tr(" — computing…");
    else if (m_model->tokenSource(m_selection) >= 0)
        title += tr(" — %1 queries × %2 keys").arg(map.queries()).arg(map.keys());
    m_mapView->setMap(map, title);
    m_mapView->setSelectedQuery(m_query);
    const QStringList queries = m_model->queryLabels(m_selection);
    const QString label = m_query < queries.size() ? queries[m_query] : QString::number(m_query);
    const std::vector<TokenInfo> &queryTokens = m_model->queryTokens(m_selection);
    m_overlay->setQueryToken(m_query >= 0 && std::size_t(m_query) < queryTokens.size()
                                 ? std::optional<TokenInfo>(queryTokens[std::size_t(m_query)])
                                 : std::nullopt);
    m_overlay->setWeights(
        m_model->queryWeights(m_selection, m_query),
        tr("What query %1 attends to (%2)").arg(label, m_model->describe(m_selection)));
}

void AttentionExplorer::waitForDerived()
{
    m_model->waitForDerived();
}

CsvTable AttentionExplorer::csvTable() const
{
    return m_mapView->csvTable();
}

} // namespace twb
