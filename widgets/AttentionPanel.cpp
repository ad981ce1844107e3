#include "AttentionPanel.h"

#include "AttentionExplorer.h"
#include "AttentionTimeline.h"
#include "CliJob.h"
#include "SaliencyView.h"
#include "WhatIfPanel.h"
#include "explain/AttentionFile.h"

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
    , m_program(CliJob::defaultProgram())
{
    m_runLabel = new QLabel(tr("No run: choose a finished run in the Runs tab and press "
                               "Explain."),
                            this);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sample = new QSpinBox(this);
    m_sample->setRange(0, 1000000);
    m_sample->setPrefix(tr("test sample "));
    m_sample->setToolTip(tr("Which test window (forecast) or test case (classification) to "
                            "explain, counted from 0."));
    m_channel = new QSpinBox(this);
    m_channel->setRange(-1, 100000);
    m_channel->setValue(-1);
    m_channel->setSpecialValueText(tr("channel: default"));
    m_channel->setPrefix(tr("channel "));
    m_channel->setToolTip(tr("Channel-independent models (PatchTST) attend per channel: the "
                             "channel whose attention is shown."));
    m_average = new QSpinBox(this);
    m_average->setRange(1, 512);
    m_average->setPrefix(tr("average of "));
    m_average->setSuffix(tr(" sample(s)"));
    m_average->setToolTip(tr("1: the attention of the chosen sample (with its gradient × input). "
                             "More: the mean attention of that many test samples from the "
                             "chosen one on (twb-cli attention --count)."));
    m_show = new QPushButton(tr("Show attention"), this);
    m_show->setEnabled(false);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_explorer = new AttentionExplorer(this);
    m_acrossTraining = new QPushButton(tr("Across training"), this);
    m_acrossTraining->setCheckable(true);
    m_acrossTraining->setVisible(false);
    m_acrossTraining->setToolTip(tr("How the sample's attention changed from the first epoch to "
                                    "the last (needs checkpoints saved with --checkpoint-every)."));
    m_timeline = new AttentionTimeline(this);
    m_timeline->setProgram(m_program);
    m_timeline->setVisible(false);
    m_saliency = new SaliencyView(this);
    m_saliency->setMinimumHeight(120);
    m_whatIf = new WhatIfPanel(this);
    m_whatIf->setProgram(m_program);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_runLabel, 1);
    controls->addWidget(m_sample);
    controls->addWidget(m_channel);
    controls->addWidget(m_average);
    controls->addWidget(m_show);
    controls->addWidget(m_acrossTraining);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_explorer, 1);
    layout->addWidget(m_timeline, 1);
    layout->addWidget(m_saliency);
    layout->addWidget(m_whatIf);

    connect(m_show, &QPushButton::clicked, this, [this] { compute(); });
    connect(m_acrossTraining, &QPushButton::toggled, this,
            [this](bool on) { showAcrossTraining(on); });
    const auto followSample = [this] {
        m_timeline->setSample(m_sample->value(), m_channel->value());
    };
    connect(m_sample, &QSpinBox::valueChanged, this, followSample);
    connect(m_explorer, &AttentionExplorer::queryChanged, m_whatIf, &WhatIfPanel::setSelectedToken);
    connect(m_explorer, &AttentionExplorer::selectionChanged, this, [this] {
        const AttentionSelection s = m_explorer->selection();
        m_whatIf->setSelectedHead(s.layer, s.head, s.mode == AttentionMode::Head);
    });
    connect(m_channel, &QSpinBox::valueChanged, this, followSample);
}

AttentionPanel::~AttentionPanel()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void AttentionPanel::setProgram(const QString &program)
{
    m_program = program;
    m_timeline->setProgram(program);
    m_whatIf->setProgram(program);
}

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
    m_runLabel->setText(runDir.isEmpty() ? tr("No run") : tr("Run: %1").arg(runDir));
    m_runLabel->setToolTip(runDir);
    m_sample->setMaximum(testSamples > 0 ? testSamples - 1 : 1000000);
    m_channel->setMaximum(channels > 0 ? channels - 1 : 100000);
    m_show->setEnabled(!runDir.isEmpty());
    m_explorer->setAttention({});
    m_saliency->clear();
    m_timeline->setRun(runDir);
    m_whatIf->setRun(runDir);
    m_acrossTraining->setVisible(!runDir.isEmpty() &&
                                 AttentionTimeline::hasEpochCheckpoints(runDir));
    showAcrossTraining(m_acrossTraining->isChecked());
    setStatus(runDir.isEmpty() ? QString() : tr("Choose a sample and press \"Show attention\"."));
}

QStringList AttentionPanel::arguments(const QString &outFile) const
{
    QStringList args{QStringLiteral("attention"), m_runDir,
                     QStringLiteral("--index"),   QString::number(m_sample->value()),
                     QStringLiteral("--out"),     outFile};
    // Saliency explains one sample; a mean over samples has none.
    if (m_average->value() > 1)
        args << QStringLiteral("--count") << QString::number(m_average->value());
    else
        args << QStringLiteral("--saliency");
    if (m_channel->value() >= 0)
        args << QStringLiteral("--channel") << QString::number(m_channel->value());
    return args;
}

bool AttentionPanel::compute()
{
    if (m_runDir.isEmpty()) {
        setStatus(tr("No run to explain."));
        return false;
    }
    if (isComputing()) {
        setStatus(tr("Already computing the attention of a sample."));
        return false;
    }
    if (!m_tempDir)
        m_tempDir = std::make_unique<QTemporaryDir>();
    if (!m_tempDir->isValid()) {
        setStatus(tr("Cannot create a temporary folder for the attention file."));
        return false;
    }
    m_outFile = m_tempDir->filePath(QStringLiteral("attention-%1.h5").arg(m_sample->value()));
    m_errorOutput.clear();
    if (!m_process) {
        m_process = new QProcess(this);
        connect(m_process, &QProcess::finished, this, &AttentionPanel::onFinished);
        connect(m_process, &QProcess::readyReadStandardError, this,
                [this] { m_errorOutput += m_process->readAllStandardError(); });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart)
                return;
            const QString message =
                tr("Cannot start %1: %2").arg(m_program, m_process->errorString());
            setStatus(message);
            m_show->setEnabled(true);
            Q_EMIT failed(message);
        });
    }
    setStatus(tr("Computing the attention of sample %1…").arg(m_sample->value()));
    m_show->setEnabled(false);
    m_process->start(m_program, arguments(m_outFile));
    return true;
}

void AttentionPanel::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_show->setEnabled(!m_runDir.isEmpty());
    m_errorOutput += m_process->readAllStandardError();
    if (status != QProcess::NormalExit || exitCode != 0) {
        const QString why = status != QProcess::NormalExit
                                ? tr("twb-cli attention crashed")
                                : tr("twb-cli attention failed (exit %1)").arg(exitCode);
        const QString message =
            why + QStringLiteral(": ") + CliJob::lastErrorLines(m_errorOutput, 3);
        setStatus(message);
        Q_EMIT failed(message);
        return;
    }
    QString error;
    if (!loadFile(m_outFile, &error))
        Q_EMIT failed(error);
}

bool AttentionPanel::loadFile(const QString &path, QString *error)
{
    Expected<explain::AttentionSet> set = explain::readAttentionFile(path);
    if (!set) {
        const QString message = set.error().toString();
        setStatus(message);
        if (error)
            *error = message;
        return false;
    }
    const int layers = set->layerCount();
    const int tokens = set->tokenCount();
    const QString label = QString::fromStdString(set->sampleLabel);
    // A file opened on its own says which run and sample it shows.
    if (m_runDir.isEmpty() && !set->runDir.empty()) {
        m_runLabel->setText(tr("Run: %1").arg(QString::fromStdString(set->runDir)));
        m_runLabel->setToolTip(QString::fromStdString(set->runDir));
    }
    {
        const QSignalBlocker blocker(m_sample);
        m_sample->setValue(int(set->sampleIndex));
    }
    if (!set->input.empty()) {
        if (coversTiles(*set)) {
            // The features are [frames, bins]; the overlay draws a spectrogram [bins, frames].
            dsp::FloatMatrix spectrogram(set->inputCols, set->inputRows);
            for (int f = 0; f < set->inputRows; ++f)
                for (int b = 0; b < set->inputCols; ++b)
                    spectrogram(b, f) =
                        set->input[std::size_t(f) * std::size_t(set->inputCols) + std::size_t(b)];
            m_explorer->setInputSpectrogram(spectrogram);
        } else {
            QStringList names;
            for (const std::string &name : set->channelNames)
                names << QString::fromStdString(name);
            m_explorer->setInputSeries(set->input, set->inputRows, set->inputCols, names);
        }
    }
    if (!m_runDir.isEmpty()) {
        QStringList tokenLabels, columns;
        for (const TokenInfo &token : set->tokens)
            tokenLabels << QString::fromStdString(token.label);
        for (const std::string &name : set->channelNames)
            columns << QString::fromStdString(name);
        if (columns.size() != set->inputCols) {
            columns.clear();
            for (int c = 0; c < set->inputCols; ++c)
                columns << tr("column %1").arg(c);
        }
        m_whatIf->setSample(set->sampleIndex, tokenLabels, int(set->channel), set->inputRows,
                            columns);
    }
    QStringList channelNames;
    for (const std::string &name : set->channelNames)
        channelNames << QString::fromStdString(name);
    Expected<explain::AttentionSaliency> saliency = explain::readAttentionSaliency(path);
    if (saliency && !saliency->isEmpty())
        m_saliency->setSaliency(std::move(saliency->values), saliency->rows, saliency->cols,
                                QString::fromStdString(saliency->target), channelNames);
    else
        m_saliency->clear();
    m_explorer->setAttention(std::move(*set));
    m_whatIf->setSelectedToken(m_explorer->query());
    setStatus(tr("%1: %2 layers, %3 tokens (%4)")
                  .arg(label.isEmpty() ? QFileInfo(path).fileName() : label)
                  .arg(layers)
                  .arg(tokens)
                  .arg(QDir::toNativeSeparators(path)));
    Q_EMIT attentionShown(path);
    return true;
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
