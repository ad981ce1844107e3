#include "TrainingDashboard.h"

#include "TrainingCurves.h"
#include "TrainingEvents.h"
#include "TrainingProcess.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <optional>

#include <climits>
#include <cmath>

namespace twb {

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

namespace {

/// What the log view shows of a line of the run: the JSON progress events are written in words
/// by their own handlers (nothing here), error and interruption messages by their text, every
/// other line as it came.
std::optional<QString> readableLogLine(const QString &line)
{
    const TrainingEvent event = parseTrainingEvent(line.toUtf8());
    if (std::holds_alternative<TrainingOtherLine>(event))
        return line;
    if (const auto *message = std::get_if<TrainingMessage>(&event))
        return message->message;
    return std::nullopt;
}

} // namespace

TrainingDashboard::TrainingDashboard(QWidget *parent)
    : QWidget(parent)
{
    m_process = new TrainingProcess(this);
    connect(m_process, &TrainingProcess::started, this, &TrainingDashboard::onStarted);
    connect(m_process, &TrainingProcess::batch, this, &TrainingDashboard::onBatch);
    connect(m_process, &TrainingProcess::epoch, this, &TrainingDashboard::onEpoch);
    connect(m_process, &TrainingProcess::done, this, &TrainingDashboard::onDone);
    connect(m_process, &TrainingProcess::earlyStopped, this, [this](const TrainingEarlyStop &e) {
        m_log->appendPlainText(tr("Early stop after epoch %1: best epoch %2 (validation %3)")
                                   .arg(e.epoch)
                                   .arg(e.bestEpoch)
                                   .arg(e.bestValLoss, 0, 'g', 5));
    });
    connect(m_process, &TrainingProcess::logLine, this, [this](const QString &line) {
        if (const std::optional<QString> text = readableLogLine(line))
            m_log->appendPlainText(*text);
    });
    connect(m_process, &TrainingProcess::pausedChanged, this, [this](bool paused) {
        if (m_process->isActive())
            setStatus(paused ? tr("Paused: %1").arg(m_process->request().displayName())
                             : tr("Running %1").arg(m_process->request().displayName()),
                      false);
        updateButtons();
    });
    connect(m_process, &TrainingProcess::finished, this,
            [this] { onEnded(Outcome::Finished, m_result); });
    connect(m_process, &TrainingProcess::interrupted, this,
            [this](const QString &message) { onEnded(Outcome::Interrupted, message); });
    connect(
        m_process, &TrainingProcess::failed, this,
        [this](const QString &message, const QStringList &) { onEnded(Outcome::Failed, message); });

    // Status, controls, progress.
    m_status = new QLabel(tr("No run yet. Choose a model and press Train (Ctrl+T)."));
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto button = [this](const QString &text, QStyle::StandardPixmap icon, const char *name) {
        auto *b = new QPushButton(style()->standardIcon(icon), text);
        b->setObjectName(QLatin1String(name));
        return b;
    };
    m_pause = button(tr("Pause"), QStyle::SP_MediaPause, "pauseButton");
    m_resume = button(tr("Resume"), QStyle::SP_MediaPlay, "resumeButton");
    m_step = button(tr("Step"), QStyle::SP_MediaSeekForward, "stepButton");
    m_step->setToolTip(tr("While paused: train exactly one more batch"));
    m_stop = button(tr("Stop"), QStyle::SP_MediaStop, "stopButton");
    m_stop->setToolTip(tr("Stop the run after the current batch; a checkpoint is kept and "
                          "`twb-cli train --run-dir DIR --resume` continues it"));
    connect(m_pause, &QPushButton::clicked, this, &TrainingDashboard::pause);
    connect(m_resume, &QPushButton::clicked, this, &TrainingDashboard::resume);
    connect(m_step, &QPushButton::clicked, this, &TrainingDashboard::step);
    connect(m_stop, &QPushButton::clicked, this, &TrainingDashboard::stop);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_status, 1);
    for (QPushButton *b : {m_pause, m_resume, m_step, m_stop})
        controls->addWidget(b);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
    m_speed = new QLabel;
    m_speed->setObjectName(QStringLiteral("speedLabel"));
    m_lastLoss = new QLabel;
    m_lastLoss->setObjectName(QStringLiteral("lossLabel"));
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_lastLoss);
    progressRow->addWidget(m_speed);

    // Curves with their options.
    m_curves = new TrainingCurves;
    m_logScale = new QCheckBox(tr("Log scale"));
    m_logScale->setObjectName(QStringLiteral("logScaleCheck"));
    connect(m_logScale, &QCheckBox::toggled, m_curves, &TrainingCurves::setLogScale);
    m_smoothing = new QDoubleSpinBox;
    m_smoothing->setObjectName(QStringLiteral("smoothingSpin"));
    m_smoothing->setRange(0.0, 0.99);
    m_smoothing->setSingleStep(0.1);
    m_smoothing->setDecimals(2);
    m_smoothing->setToolTip(tr("Exponential moving average of the batch losses: 0 = raw, "
                               "0.9 = strong smoothing"));
    connect(m_smoothing, &QDoubleSpinBox::valueChanged, m_curves, &TrainingCurves::setSmoothing);
    auto *options = new QHBoxLayout;
    options->addWidget(m_logScale);
    options->addSpacing(12);
    options->addWidget(new QLabel(tr("Smoothing:")));
    options->addWidget(m_smoothing);
    options->addStretch(1);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(options);
    leftLayout->addWidget(m_curves, 1);

    // Queue and log.
    m_queueList = new QListWidget;
    m_queueList->setObjectName(QStringLiteral("queueList"));
    m_clearQueue = new QPushButton(tr("Clear queue"));
    m_clearQueue->setObjectName(QStringLiteral("clearQueueButton"));
    connect(m_clearQueue, &QPushButton::clicked, this, &TrainingDashboard::clearQueue);
    auto *queueBox = new QGroupBox(tr("Queued runs"));
    auto *queueLayout = new QVBoxLayout(queueBox);
    queueLayout->addWidget(m_queueList);
    queueLayout->addWidget(m_clearQueue);

    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    // Wrapped: the command line is long, and a view scrolled to its end hides the short lines.
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *logBox = new QGroupBox(tr("Log"));
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->addWidget(m_log);

    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(queueBox);
    right->addWidget(logBox);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 2);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(progressRow);
    layout->addWidget(split, 1);
    updateButtons();
    updateQueueList();
}

TrainingDashboard::~TrainingDashboard() = default;

CsvTable TrainingDashboard::csvTable() const
{
    return m_curves->csvTable();
}

void TrainingDashboard::setCliProgram(const QString &program)
{
    m_process->setProgram(program);
}

void TrainingDashboard::setProcessEnvironment(const QProcessEnvironment &environment)
{
    m_process->setEnvironment(environment);
}

bool TrainingDashboard::isRunning() const
{
    return m_process->isActive();
}

QString TrainingDashboard::statusText() const
{
    return m_status->text();
}

QString TrainingDashboard::logText() const
{
    return m_log->toPlainText();
}

void TrainingDashboard::enqueue(const TrainRequest &request)
{
    m_queue.push_back(request);
    updateQueueList();
    if (!m_process->isActive())
        startNext();
}

void TrainingDashboard::clearQueue()
{
    m_queue.clear();
    updateQueueList();
}

void TrainingDashboard::pause()
{
    m_process->pause();
}

void TrainingDashboard::resume()
{
    m_process->resume();
}

void TrainingDashboard::step()
{
    m_process->step();
}

void TrainingDashboard::stop()
{
    if (!m_process->isActive())
        return;
    m_process->stop();
    setStatus(
        tr("Stopping %1 after the current batch\u2026").arg(m_process->request().displayName()),
        false);
    updateButtons();
}

void TrainingDashboard::startNext()
{
    if (m_queue.empty() || m_process->isActive())
        return;
    const TrainRequest request = m_queue.front();
    m_queue.pop_front();
    updateQueueList();
    m_epochs = request.epochs;
    m_startEpoch = 1;
    m_result.clear();
    m_curves->clear(int(request.epochs));
    m_log->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting\u2026"));
    m_speed->clear();
    m_lastLoss->clear();
    m_process->start(request);
    setStatus(tr("Running %1").arg(request.displayName()), false);
    updateButtons();
    Q_EMIT runStarted(request);
    Q_EMIT attentionRequested();
}

void TrainingDashboard::onStarted(const TrainingStarted &event)
{
    m_epochs = event.epochs;
    m_startEpoch = event.startEpoch;
    m_curves->clear(int(event.epochs));
    const std::int64_t total = std::max<std::int64_t>(1, event.epochs * event.batchesPerEpoch);
    m_progress->setRange(0, int(std::min<std::int64_t>(total, INT_MAX)));
    m_progress->setValue(0);
    m_progress->setFormat(tr("epoch %1/%2").arg(event.startEpoch).arg(event.epochs));
    const bool classify =
        event.summary.value(QLatin1String("task")).toString() == QLatin1String("classify");
    m_log->appendPlainText((classify ? tr("%1 training cases, %2 validation cases, %3 batches per "
                                          "epoch, %4 trainable parameters")
                                     : tr("%1 train windows, %2 validation windows, %3 batches "
                                          "per epoch, %4 trainable parameters"))
                               .arg(event.trainWindows)
                               .arg(event.valWindows)
                               .arg(event.batchesPerEpoch)
                               .arg(event.trainableParameters));
}

void TrainingDashboard::onBatch(const TrainingBatch &e)
{
    const std::int64_t batches = std::max<std::int64_t>(1, e.batches);
    m_curves->addBatch(double(e.epoch - 1) + double(e.batch) / double(batches), e.loss, e.lr);
    const std::int64_t done = (e.epoch - 1) * batches + e.batch;
    if (m_progress->maximum() <= 1)
        m_progress->setRange(0, int(std::max<std::int64_t>(1, m_epochs * batches)));
    m_progress->setValue(int(std::min<std::int64_t>(done, m_progress->maximum())));
    m_progress->setFormat(tr("epoch %1/%2 \u00b7 batch %3/%4 \u00b7 ETA %5")
                              .arg(e.epoch)
                              .arg(m_epochs)
                              .arg(e.batch)
                              .arg(e.batches)
                              .arg(formatDuration(e.etaSec)));
    m_speed->setText(tr("%1 samples/s").arg(e.samplesPerSec, 0, 'f', 0));
    m_lastLoss->setText(tr("loss %1 \u00b7 lr %2").arg(e.loss, 0, 'g', 4).arg(e.lr, 0, 'g', 3));
}

void TrainingDashboard::onEpoch(const TrainingEpoch &e)
{
    m_curves->addEpoch(int(e.epoch), e.trainLoss, e.valLoss);
    m_log->appendPlainText(tr("epoch %1: train %2, validation %3%4 (%5)")
                               .arg(e.epoch)
                               .arg(e.trainLoss, 0, 'g', 6)
                               .arg(e.valLoss, 0, 'g', 6)
                               .arg(e.best ? tr(", best") : QString())
                               .arg(formatDuration(e.seconds)));
}

void TrainingDashboard::onDone(const TrainingDone &e)
{
    if (e.classification) {
        m_result = tr("best epoch %1, test accuracy %2 %, macro-F1 %3, log-loss %4 over %5 "
                      "cases")
                       .arg(e.bestEpoch)
                       .arg(100.0 * e.accuracy, 0, 'f', 1)
                       .arg(e.macroF1, 0, 'f', 3)
                       .arg(e.logLoss, 0, 'g', 4)
                       .arg(e.examples);
        m_log->appendPlainText(tr("Done: %1").arg(m_result));
        return;
    }
    m_result = tr("best epoch %1, test MSE %2, MAE %3 (original units: MSE %4, MAE %5) over %6 "
                  "windows")
                   .arg(e.bestEpoch)
                   .arg(e.mse, 0, 'g', 5)
                   .arg(e.mae, 0, 'g', 5)
                   .arg(e.mseOriginal, 0, 'g', 5)
                   .arg(e.maeOriginal, 0, 'g', 5)
                   .arg(e.windows);
    m_log->appendPlainText(tr("Done: %1").arg(m_result));
}

void TrainingDashboard::onEnded(Outcome outcome, const QString &message)
{
    const TrainRequest request = m_process->request();
    switch (outcome) {
    case Outcome::Finished:
        m_progress->setValue(m_progress->maximum());
        m_progress->setFormat(tr("finished"));
        setStatus(tr("Finished %1: %2").arg(request.displayName(), message), false);
        break;
    case Outcome::Interrupted:
        m_progress->setFormat(tr("stopped"));
        setStatus(tr("Stopped %1 (checkpoint kept; resume with twb-cli train --run-dir %2 "
                     "--resume): %3")
                      .arg(request.displayName(), request.runDir, message),
                  false);
        break;
    case Outcome::Failed: {
        m_progress->setFormat(tr("failed"));
        setStatus(tr("Failed: %1: %2").arg(request.displayName(), message), true);
        // The log view already holds the lines as they came; end with the last ones in a block
        // so that the reason is next to them even if the view was cleared or scrolled.
        m_log->appendPlainText(tr("\n--- the run failed: %1 ---\nlast log lines:").arg(message));
        for (const QString &line : m_process->lastLines())
            if (const std::optional<QString> text = readableLogLine(line))
                m_log->appendPlainText(QStringLiteral("  ") + *text);
        Q_EMIT attentionRequested();
        break;
    }
    }
    updateButtons();
    Q_EMIT runEnded(request, outcome, message);
    // The next run starts from the event loop, after every slot of this one has run.
    QTimer::singleShot(0, this, &TrainingDashboard::startNext);
}

void TrainingDashboard::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #d32f2f; font-weight: bold;")
                                    : QString());
}

void TrainingDashboard::updateButtons()
{
    const bool running = m_process->state() == TrainingProcess::State::Running;
    const bool paused = m_process->isPaused();
    m_pause->setEnabled(running && !paused);
    m_resume->setEnabled(running && paused);
    m_step->setEnabled(running && paused);
    m_stop->setEnabled(running);
}

void TrainingDashboard::updateQueueList()
{
    m_queueList->clear();
    for (const TrainRequest &r : m_queue) {
        auto *item = new QListWidgetItem(r.displayName(), m_queueList);
        item->setToolTip(shellCommand(QStringLiteral("twb-cli"), r.arguments()));
    }
    m_clearQueue->setEnabled(!m_queue.empty());
}

} // namespace twb
