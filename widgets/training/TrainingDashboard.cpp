// The dashboard's widgets: built once, by part (controls, progress, charts, queue and log),
// then connected. What it shows of a run is in TrainingDashboardRun.cpp.
#include "TrainingDashboard.h"

#include "widgets/training/TrainingCurves.h"

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
#include <QVBoxLayout>

namespace twb {

TrainingDashboard::TrainingDashboard(QWidget *parent)
    : QWidget(parent)
{
    // In this order: the order of the widgets is the keyboard focus chain.
    QLayout *controls = buildControls();
    QLayout *progress = buildProgress();
    QWidget *charts = buildCharts();
    QWidget *queueAndLog = buildQueueAndLog();

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(charts);
    split->addWidget(queueAndLog);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(progress);
    layout->addWidget(split, 1);
    connectControls();
    setControlState(false, false);
    setQueue({});
}

TrainingDashboard::~TrainingDashboard() = default;

QLayout *TrainingDashboard::buildControls()
{
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

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_status, 1);
    for (QPushButton *b : {m_pause, m_resume, m_step, m_stop})
        controls->addWidget(b);
    return controls;
}

QLayout *TrainingDashboard::buildProgress()
{
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
    return progressRow;
}

QWidget *TrainingDashboard::buildCharts()
{
    m_curves = new TrainingCurves;
    m_logScale = new QCheckBox(tr("Log scale"));
    m_logScale->setObjectName(QStringLiteral("logScaleCheck"));
    m_smoothing = new QDoubleSpinBox;
    m_smoothing->setObjectName(QStringLiteral("smoothingSpin"));
    m_smoothing->setRange(0.0, 0.99);
    m_smoothing->setSingleStep(0.1);
    m_smoothing->setDecimals(2);
    m_smoothing->setToolTip(tr("Exponential moving average of the batch losses: 0 = raw, "
                               "0.9 = strong smoothing"));
    auto *options = new QHBoxLayout;
    options->addWidget(m_logScale);
    options->addSpacing(12);
    options->addWidget(new QLabel(tr("Smoothing:")));
    options->addWidget(m_smoothing);
    options->addStretch(1);

    auto *charts = new QWidget;
    auto *layout = new QVBoxLayout(charts);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(options);
    layout->addWidget(m_curves, 1);
    return charts;
}

QWidget *TrainingDashboard::buildQueueAndLog()
{
    m_queueList = new QListWidget;
    m_queueList->setObjectName(QStringLiteral("queueList"));
    m_clearQueue = new QPushButton(tr("Clear queue"));
    m_clearQueue->setObjectName(QStringLiteral("clearQueueButton"));
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

    auto *queueAndLog = new QSplitter(Qt::Vertical);
    queueAndLog->addWidget(queueBox);
    queueAndLog->addWidget(logBox);
    queueAndLog->setStretchFactor(0, 1);
    queueAndLog->setStretchFactor(1, 2);
    return queueAndLog;
}

void TrainingDashboard::connectControls()
{
    connect(m_pause, &QPushButton::clicked, this, &TrainingDashboard::pauseRequested);
    connect(m_resume, &QPushButton::clicked, this, &TrainingDashboard::resumeRequested);
    connect(m_step, &QPushButton::clicked, this, &TrainingDashboard::stepRequested);
    connect(m_stop, &QPushButton::clicked, this, &TrainingDashboard::stopRequested);
    connect(m_clearQueue, &QPushButton::clicked, this, &TrainingDashboard::clearQueueRequested);
    connect(m_logScale, &QCheckBox::toggled, m_curves, &TrainingCurves::setLogScale);
    connect(m_smoothing, &QDoubleSpinBox::valueChanged, m_curves, &TrainingCurves::setSmoothing);
}

CsvTable TrainingDashboard::csvTable() const
{
    return m_curves->csvTable();
}

QString TrainingDashboard::statusText() const
{
    return m_status->text();
}

QString TrainingDashboard::logText() const
{
    return m_log->toPlainText();
}

void TrainingDashboard::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #d32f2f; font-weight: bold;")
                                    : QString());
}

void TrainingDashboard::setControlState(bool running, bool paused)
{
    m_pause->setEnabled(running && !paused);
    m_resume->setEnabled(running && paused);
    m_step->setEnabled(running && paused);
    m_stop->setEnabled(running);
}

void TrainingDashboard::setQueue(const QList<TrainRequest> &queued)
{
    m_queueList->clear();
    for (const TrainRequest &r : queued) {
        auto *item = new QListWidgetItem(r.displayName(), m_queueList);
        item->setToolTip(shellCommand(QStringLiteral("twb-cli"), r.arguments()));
    }
    m_clearQueue->setEnabled(!queued.isEmpty());
}

} // namespace twb
