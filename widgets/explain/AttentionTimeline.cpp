#include "AttentionTimeline.h"

#include "client/RunCheckpoints.h"
#include "widgets/explain/AttentionMapView.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>

namespace twb {

namespace {

QString describeCheckpoint(const QString &name)
{
    const int epoch = checkpointEpoch(name);
    if (epoch >= 0)
        return QCoreApplication::translate("twb::AttentionTimeline", "epoch %1").arg(epoch);
    if (name == QLatin1String("best.pt"))
        return QCoreApplication::translate("twb::AttentionTimeline", "best epoch");
    if (name == QLatin1String("last.pt"))
        return QCoreApplication::translate("twb::AttentionTimeline", "last epoch");
    return name;
}

} // namespace

bool AttentionTimeline::Key::operator<(const Key &other) const
{
    return std::tie(sample, channel, checkpoint) <
           std::tie(other.sample, other.channel, other.checkpoint);
}

AttentionTimeline::AttentionTimeline(QWidget *parent)
    : QWidget(parent)
{
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, 0);
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setToolTip(tr("The checkpoint whose attention is shown, from the first epoch "
                            "to the last."));
    m_epoch = new QLabel(this);
    m_epoch->setMinimumWidth(160);
    m_layer = new QSpinBox(this);
    m_layer->setPrefix(tr("layer "));
    m_layer->setRange(0, 0);
    m_head = new QSpinBox(this);
    m_head->setPrefix(tr("head "));
    m_head->setRange(0, 0);
    m_fixedScale = new QCheckBox(tr("Scale 0–1"), this);
    m_fixedScale->setToolTip(tr("The same colour scale at every epoch (0 to 1) instead of 0 to "
                                "each map's maximum."));
    m_compute = new QPushButton(tr("Compute across training"), this);
    m_compute->setToolTip(tr("Computes the sample's attention with every saved checkpoint, one "
                             "after the other, in the background."));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_view = new AttentionMapView(this);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_epoch);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_layer);
    controls->addWidget(m_head);
    controls->addWidget(m_fixedScale);
    controls->addWidget(m_compute);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_slider, &QSlider::valueChanged, this, [this] { showCurrent(); });
    connect(m_layer, &QSpinBox::valueChanged, this, [this] { showCurrent(); });
    connect(m_head, &QSpinBox::valueChanged, this, [this] { showCurrent(); });
    connect(m_fixedScale, &QCheckBox::toggled, m_view, &AttentionMapView::setFixedScale);
    connect(m_compute, &QPushButton::clicked, this, [this] { compute(); });
    showCurrent();
}

AttentionTimeline::~AttentionTimeline() = default;

void AttentionTimeline::abandon()
{
    if (!m_computing)
        return;
    m_computing = false;
    m_current.clear();
    m_compute->setEnabled(!m_checkpoints.isEmpty());
    Q_EMIT computationAbandoned();
}

void AttentionTimeline::setRun(const QString &runDir, const QStringList &checkpoints)
{
    abandon();
    m_runDir = runDir;
    m_cache.clear();
    m_failures.clear();
    m_checkpoints = runDir.isEmpty() ? QStringList() : checkpoints;
    m_compute->setEnabled(!m_checkpoints.isEmpty());
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, std::max(0, int(m_checkpoints.size()) - 1));
        m_slider->setValue(0);
    }
    m_status->setText(m_checkpoints.isEmpty()
                          ? tr("The run has no checkpoints.")
                          : tr("%n checkpoint(s); press \"Compute across training\".", nullptr,
                               int(m_checkpoints.size())));
    showCurrent();
}

void AttentionTimeline::setSample(int index, int channel)
{
    if (index == m_sample && channel == m_channel)
        return;
    abandon(); // the maps under way are for the old sample
    m_sample = index;
    m_channel = channel;
    m_failures.clear();
    if (!m_runDir.isEmpty())
        updateProgress();
    showCurrent();
}

AttentionTimeline::Key AttentionTimeline::keyOf(const QString &checkpointName) const
{
    return {m_sample, m_channel, checkpointName};
}

std::shared_ptr<const explain::AttentionSet>
AttentionTimeline::attentionAt(const QString &checkpointName) const
{
    const auto it = m_cache.find(keyOf(checkpointName));
    return it == m_cache.end() ? nullptr : it->second;
}

int AttentionTimeline::computedCount() const
{
    int count = 0;
    for (const QString &name : m_checkpoints)
        if (attentionAt(name))
            ++count;
    return count;
}

bool AttentionTimeline::compute()
{
    if (m_runDir.isEmpty() || m_checkpoints.isEmpty()) {
        m_status->setText(tr("No run with checkpoints to compute."));
        return false;
    }
    if (isComputing()) {
        m_status->setText(tr("Already computing the attention across training."));
        return false;
    }
    m_failures.clear();
    QStringList missing;
    for (const QString &name : m_checkpoints)
        if (!attentionAt(name))
            missing << name;
    if (missing.isEmpty()) {
        updateProgress();
        Q_EMIT finished();
        return true;
    }
    AttentionRequest base;
    base.runDir = m_runDir;
    base.index = m_sample;
    base.channel = m_channel;
    Q_EMIT checkpointsRequested(base, missing);
    return true;
}

void AttentionTimeline::showComputing(const QString &checkpointName)
{
    m_computing = true;
    m_current = checkpointName;
    m_compute->setEnabled(false);
    updateProgress();
}

void AttentionTimeline::showCheckpointAttention(const AttentionRequest &request,
                                                std::shared_ptr<const explain::AttentionSet> set)
{
    if (!set)
        return;
    const Key key{int(request.index), request.channel, request.checkpoint};
    m_cache[key] = std::move(set);
    if (key.sample != m_sample || key.channel != m_channel)
        return; // kept for when that sample is chosen again
    updateProgress();
    Q_EMIT checkpointComputed(key.checkpoint);
    showCurrent();
}

void AttentionTimeline::showCheckpointFailure(const QString &checkpointName, const QString &message)
{
    fail(tr("%1: %2").arg(checkpointName, message));
}

void AttentionTimeline::showFinished()
{
    m_computing = false;
    m_current.clear();
    m_compute->setEnabled(!m_checkpoints.isEmpty());
    updateProgress();
    Q_EMIT finished();
}

void AttentionTimeline::fail(const QString &message)
{
    m_failures << message;
    updateProgress();
    Q_EMIT failed(message);
}

void AttentionTimeline::updateProgress()
{
    QString text =
        tr("%1 of %2 checkpoints computed").arg(computedCount()).arg(m_checkpoints.size());
    if (isComputing() && !m_current.isEmpty())
        text += tr(" (computing %1…)").arg(m_current);
    for (const QString &failure : m_failures)
        text += QStringLiteral("\n") + tr("Failed: %1").arg(failure);
    m_status->setText(text);
}

void AttentionTimeline::setCheckpointIndex(int index)
{
    m_slider->setValue(index);
}

int AttentionTimeline::checkpointIndex() const
{
    return m_slider->value();
}

void AttentionTimeline::setLayer(int layer)
{
    m_layer->setValue(layer);
}

void AttentionTimeline::setHead(int head)
{
    m_head->setValue(head);
}

void AttentionTimeline::showCurrent()
{
    const int index = m_slider->value();
    if (index < 0 || index >= m_checkpoints.size()) {
        m_epoch->setText(tr("no checkpoint"));
        m_view->setMap({}, tr("No checkpoints"));
        return;
    }
    const QString name = m_checkpoints[index];
    m_epoch->setText(
        tr("%1 (%2 of %3)").arg(describeCheckpoint(name)).arg(index + 1).arg(m_checkpoints.size()));
    m_epoch->setToolTip(name);
    const auto set = attentionAt(name);
    if (!set || set->layers.empty()) {
        m_view->setMap({}, tr("%1: not computed yet").arg(name));
        return;
    }
    {
        const QSignalBlocker blockLayer(m_layer);
        const QSignalBlocker blockHead(m_head);
        m_layer->setMaximum(set->layerCount() - 1);
        m_head->setMaximum(std::max(0, set->layers[std::size_t(m_layer->value())].heads - 1));
    }
    // Each layer with its own tokens: a distilled layer's, the decoder's x the encoder's.
    const int layerIndex = m_layer->value();
    const auto labelsOf = [](const std::vector<TokenInfo> &tokens) {
        QStringList labels;
        for (std::size_t t = 0; t < tokens.size(); ++t)
            labels << (tokens[t].label.empty() ? QString::number(t)
                                               : QString::fromStdString(tokens[t].label));
        return labels;
    };
    const QStringList queries = labelsOf(set->queryTokens(layerIndex));
    const QStringList keys = labelsOf(set->keyTokens(layerIndex));
    if (queries != m_view->queryLabels() || keys != m_view->keyLabels())
        m_view->setAxisLabels(queries, keys);
    // Aliasing shared_ptr: the layer lives as long as the set.
    const std::shared_ptr<const explain::AttentionLayer> layer(
        set, &set->layers[std::size_t(layerIndex)]);
    m_view->setMap({layer, m_head->value()},
                   tr("%1 · %2 · head %3")
                       .arg(describeCheckpoint(name))
                       .arg(QString::fromStdString(set->layerName(layerIndex)))
                       .arg(m_head->value()));
}

QString AttentionTimeline::epochText() const
{
    return m_epoch->text();
}

QString AttentionTimeline::statusText() const
{
    return m_status->text();
}

} // namespace twb
