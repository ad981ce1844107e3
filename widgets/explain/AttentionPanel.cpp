#include "AttentionPanel.h"

#include "client/RunCheckpoints.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionInputOverlay.h"
#include "widgets/explain/AttentionTimeline.h"
#include "widgets/explain/SaliencyView.h"
#include "widgets/explain/WhatIfPanel.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace twb {

namespace {

bool coversTiles(const explain::AttentionSet &set)
{
    for (const TokenInfo &token : set.tokens)
        if (token.kind == TokenInfo::Kind::Tile)
            return true;
    return false;
}

} // namespace

AttentionPanel::AttentionPanel(QWidget *parent)
    : QWidget(parent)
{
    m_runLabel = new QLabel(tr("No run: choose a finished run in the Runs tab and press "
                               "Explain."),
                            this);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sample = new QSpinBox(this);
    m_sample->setObjectName(QStringLiteral("explainSample"));
    m_sample->setRange(0, 1000000);
    m_sample->setPrefix(tr("test sample "));
    m_sample->setToolTip(tr("Which test window (forecast) or test case (classification) to "
                            "explain, counted from 0."));
    m_channel = new QSpinBox(this);
    m_channel->setObjectName(QStringLiteral("explainChannel"));
    m_channel->setRange(-1, 100000);
    m_channel->setValue(-1);
    m_channel->setSpecialValueText(tr("channel: default"));
    m_channel->setPrefix(tr("channel "));
    m_channel->setToolTip(tr("Channel-independent models (PatchTST) attend per channel: the "
                             "channel whose attention is shown."));
    m_average = new QSpinBox(this);
    m_average->setObjectName(QStringLiteral("explainAverage"));
    m_average->setRange(1, 512);
    m_average->setPrefix(tr("average of "));
    m_average->setSuffix(tr(" sample(s)"));
    m_average->setToolTip(tr("1: the attention of the chosen sample (with its gradient × input). "
                             "More: the mean attention of that many test samples from the "
                             "chosen one on (twb-cli attention --count)."));
    m_show = new QPushButton(tr("Show attention"), this);
    m_show->setObjectName(QStringLiteral("showAttentionButton"));
    m_show->setEnabled(false);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_explorer = new AttentionExplorer(this);
    m_explorer->setObjectName(QStringLiteral("attentionExplorer"));
    m_acrossTraining = new QPushButton(tr("Across training"), this);
    m_acrossTraining->setObjectName(QStringLiteral("acrossTrainingButton"));
    m_acrossTraining->setCheckable(true);
    m_acrossTraining->setVisible(false);
    m_acrossTraining->setToolTip(tr("How the sample's attention changed from the first epoch to "
                                    "the last (needs checkpoints saved with --checkpoint-every)."));
    m_fineTune = new QPushButton(tr("Fine-tune\u2026"), this);
    m_fineTune->setObjectName(QStringLiteral("explainFineTuneButton"));
    m_fineTune->setEnabled(false);
    m_fineTune->setToolTip(tr("Start a new run from this run's weights: the model panel takes "
                              "its model, and you choose the data, the recipe and what to freeze"));
    m_timeline = new AttentionTimeline(this);
    m_timeline->setObjectName(QStringLiteral("attentionTimeline"));
    m_timeline->setVisible(false);
    m_saliency = new SaliencyView(this);
    m_saliency->setObjectName(QStringLiteral("saliencyView"));
    m_saliency->setMinimumHeight(120);
    m_whatIf = new WhatIfPanel(this);
    m_whatIf->setObjectName(QStringLiteral("whatIfPanel"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_runLabel, 1);
    controls->addWidget(m_sample);
    controls->addWidget(m_channel);
    controls->addWidget(m_average);
    controls->addWidget(m_show);
    controls->addWidget(m_acrossTraining);
    controls->addWidget(m_fineTune);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_explorer, 1);
    layout->addWidget(m_timeline, 1);
    layout->addWidget(m_saliency);
    layout->addWidget(m_whatIf);

    connect(m_show, &QPushButton::clicked, this, [this] { compute(); });
    connect(m_fineTune, &QPushButton::clicked, this, [this] {
        if (!m_runDir.isEmpty())
            Q_EMIT fineTuneRequested(m_runDir);
    });
    connect(m_acrossTraining, &QPushButton::toggled, this,
            [this](bool on) { showAcrossTraining(on); });
    const auto followSample = [this] {
        m_timeline->setSample(m_sample->value(), m_channel->value());
    };
    connect(m_sample, &QSpinBox::valueChanged, this, followSample);
    connect(m_explorer, &AttentionExplorer::queryChanged, this, [this] { followExplorer(); });
    connect(m_explorer, &AttentionExplorer::selectionChanged, this, [this] { followExplorer(); });
    connect(m_channel, &QSpinBox::valueChanged, this, followSample);
}

AttentionPanel::~AttentionPanel() = default;

void AttentionPanel::showAcrossTraining(bool on)
{
    on = on && !m_acrossTraining->isHidden();
    if (m_acrossTraining->isChecked() != on) {
        const QSignalBlocker block(m_acrossTraining);
        m_acrossTraining->setChecked(on);
    }
    m_explorer->setVisible(!on);
    m_saliency->setVisible(!on);
    m_timeline->setVisible(on);
    m_timeline->setSample(m_sample->value(), m_channel->value());
}

void AttentionPanel::setRun(const QString &runDir, int testSamples, int channels)
{
    m_runDir = runDir;
    m_computing = false;
    m_runLabel->setText(runDir.isEmpty() ? tr("No run") : tr("Run: %1").arg(runDir));
    m_runLabel->setToolTip(runDir);
    m_sample->setMaximum(testSamples > 0 ? testSamples - 1 : 1000000);
    m_channel->setMaximum(channels > 0 ? channels - 1 : 100000);
    m_show->setEnabled(!runDir.isEmpty());
    m_fineTune->setEnabled(!runDir.isEmpty());
    m_explorer->setAttention({});
    m_saliency->clear();
    m_whatIf->setRun(runDir);
    setStatus(runDir.isEmpty() ? QString() : tr("Choose a sample and press \"Show attention\"."));
    setCheckpoints({});
    Q_EMIT runChanged(runDir);
}

void AttentionPanel::setCheckpoints(const QStringList &checkpointNames)
{
    m_timeline->setRun(m_runDir, checkpointNames);
    m_acrossTraining->setVisible(!m_runDir.isEmpty() && hasEpochCheckpoint(checkpointNames));
    showAcrossTraining(m_acrossTraining->isChecked());
}

AttentionRequest AttentionPanel::request() const
{
    AttentionRequest request;
    request.runDir = m_runDir;
    request.index = m_sample->value();
    request.channel = m_channel->value();
    // Saliency explains one sample; a mean over samples has none.
    request.count = m_average->value();
    request.saliency = request.count <= 1;
    return request;
}

bool AttentionPanel::compute()
{
    if (m_runDir.isEmpty()) {
        setStatus(tr("No run to explain."));
        return false;
    }
    Q_EMIT attentionRequested(request());
    return true;
}

void AttentionPanel::showComputing(const AttentionRequest &request)
{
    m_computing = true;
    setStatus(tr("Computing the attention of sample %1…").arg(request.index));
}

void AttentionPanel::showFailure(const QString &message)
{
    m_computing = false;
    setStatus(message);
    // The explorer says why instead of showing another sample's maps (a model without attention
    // maps, such as Autoformer, is told here to look at the forward-pass view).
    m_explorer->showMessage(message);
    // The what-if panel needs no attention: a model without attention maps (or a sample whose
    // attention could not be drawn) can still be edited and predicted there; when the run
    // itself is broken, the what-if says so too.
    if (!m_runDir.isEmpty())
        m_whatIf->setSampleWithoutTokens(m_sample->value());
    Q_EMIT failed(message);
}

void AttentionPanel::showAttention(explain::AttentionSet set, explain::AttentionSaliency saliency,
                                   const QString &path)
{
    m_computing = false;
    const int layers = set.layerCount();
    const int tokens = set.tokenCount();
    const QString label = QString::fromStdString(set.sampleLabel);
    // A file opened on its own says which run and sample it shows.
    if (m_runDir.isEmpty() && !set.runDir.empty()) {
        m_runLabel->setText(tr("Run: %1").arg(QString::fromStdString(set.runDir)));
        m_runLabel->setToolTip(QString::fromStdString(set.runDir));
    }
    {
        const QSignalBlocker blocker(m_sample);
        m_sample->setValue(int(set.sampleIndex));
    }
    if (!set.input.empty()) {
        if (coversTiles(set)) {
            // The features are [frames, bins]; the overlay draws a spectrogram [bins, frames].
            dsp::FloatMatrix spectrogram(set.inputCols, set.inputRows);
            for (int f = 0; f < set.inputRows; ++f)
                for (int b = 0; b < set.inputCols; ++b)
                    spectrogram(b, f) =
                        set.input[std::size_t(f) * std::size_t(set.inputCols) + std::size_t(b)];
            m_explorer->setInputSpectrogram(spectrogram);
        } else {
            QStringList names;
            for (const std::string &name : set.channelNames)
                names << QString::fromStdString(name);
            m_explorer->setInputSeries(set.input, set.inputRows, set.inputCols, names);
            // A separation model's mixture: its spectrogram under the time ranges.
            if (set.inputSampleRate > 0.0 && set.inputCols == 1)
                m_explorer->setInputSound(set.input, set.inputSampleRate);
        }
    }
    if (!m_runDir.isEmpty()) {
        QStringList tokenLabels, columns;
        for (const TokenInfo &token : set.tokens)
            tokenLabels << QString::fromStdString(token.label);
        for (const std::string &name : set.channelNames)
            columns << QString::fromStdString(name);
        if (columns.size() != set.inputCols) {
            columns.clear();
            for (int c = 0; c < set.inputCols; ++c)
                columns << tr("column %1").arg(c);
        }
        m_whatIf->setSample(set.sampleIndex, tokenLabels, int(set.channel), set.inputRows, columns);
    }
    QStringList channelNames;
    for (const std::string &name : set.channelNames)
        channelNames << QString::fromStdString(name);
    if (!saliency.isEmpty())
        m_saliency->setSaliency(std::move(saliency.values), saliency.rows, saliency.cols,
                                QString::fromStdString(saliency.target), channelNames);
    else
        m_saliency->clear();
    m_explorer->setAttention(std::move(set));
    followExplorer();
    setStatus(tr("%1: %2 layers, %3 tokens (%4)")
                  .arg(label.isEmpty() ? QFileInfo(path).fileName() : label)
                  .arg(layers)
                  .arg(tokens)
                  .arg(QDir::toNativeSeparators(path)));
    Q_EMIT attentionShown(path);
}

void AttentionPanel::followExplorer()
{
    // What-if masks input tokens and switches off heads of self-attention layers: a query of a
    // distilled layer or of the decoder is no input token, a cross-attention head no such head.
    m_whatIf->setSelectedToken(m_explorer->queryIsInputToken() ? m_explorer->query() : -1);
    const AttentionSelection s = m_explorer->selection();
    const explain::AttentionSet *set = m_explorer->model()->attention();
    const bool selfAttention =
        set && s.layer >= 0 && s.layer < set->layerCount() &&
        set->layers[std::size_t(s.layer)].kind == explain::AttentionLayer::Kind::SelfAttention;
    m_whatIf->setSelectedHead(s.layer, s.head, s.mode == AttentionMode::Head && selfAttention);
}

QString AttentionPanel::statusText() const
{
    return m_status->text();
}

void AttentionPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

CsvTable AttentionPanel::csvTable() const
{
    return m_explorer->csvTable();
}

} // namespace twb
