#include "AttentionTimeline.h"

#include "AttentionMapView.h"
#include "CliJob.h"
#include "explain/AttentionFile.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>
#include <tuple>

namespace twb {

namespace {

const QRegularExpression &epochPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^epoch_(\\d+)\\.pt$"));
    return pattern;
}

QString describeCheckpoint(const QString &name)
{
    const int epoch = AttentionTimeline::epochOf(name);
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
    , m_program(CliJob::defaultProgram())
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

AttentionTimeline::~AttentionTimeline()
{
    stop();
    for (QThread *reader : findChildren<QThread *>(Qt::FindDirectChildrenOnly))
        reader->wait();
}

int AttentionTimeline::epochOf(const QString &checkpointName)
{
    const QRegularExpressionMatch match = epochPattern().match(checkpointName);
    if (!match.hasMatch())
        return -1;
    bool ok = false;
    const int epoch = match.captured(1).toInt(&ok);
    return ok ? epoch : -1;
}

QStringList AttentionTimeline::checkpointNames(const QString &runDir)
{
    const QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    QStringList epochs;
    for (const QString &name : dir.entryList({QStringLiteral("epoch_*.pt")}, QDir::Files))
        if (epochOf(name) >= 0)
            epochs << name;
    std::sort(epochs.begin(), epochs.end(),
              [](const QString &a, const QString &b) { return epochOf(a) < epochOf(b); });
    for (const QString &name : {QStringLiteral("best.pt"), QStringLiteral("last.pt")})
        if (dir.exists(name))
            epochs << name;
    return epochs;
}

bool AttentionTimeline::hasEpochCheckpoints(const QString &runDir)
{
    const QStringList names = checkpointNames(runDir);
    return std::any_of(names.begin(), names.end(),
                       [](const QString &name) { return epochOf(name) >= 0; });
}

void AttentionTimeline::stop()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_current = -1;
    m_compute->setEnabled(!m_checkpoints.isEmpty());
}

void AttentionTimeline::setRun(const QString &runDir)
{
    stop();
    ++m_generation;
    m_runDir = runDir;
    m_cache.clear();
    m_failures.clear();
    m_checkpoints = runDir.isEmpty() ? QStringList() : checkpointNames(runDir);
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
    if (isComputing() || m_reader) {
        m_reader = nullptr; // its result is dropped (generation)
        // The files under way are for the old sample: drop them.
        stop();
        ++m_generation;
    }
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

QStringList AttentionTimeline::arguments(const QString &checkpointName,
                                         const QString &outFile) const
{
    QStringList args{QStringLiteral("attention"),    m_runDir,
                     QStringLiteral("--index"),      QString::number(m_sample),
                     QStringLiteral("--checkpoint"), checkpointName,
                     QStringLiteral("--out"),        outFile};
    if (m_channel >= 0)
        args << QStringLiteral("--channel") << QString::number(m_channel);
    return args;
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
    if (!m_tempDir)
        m_tempDir = std::make_unique<QTemporaryDir>();
    if (!m_tempDir->isValid()) {
        m_status->setText(tr("Cannot create a temporary folder for the attention files."));
        return false;
    }
    m_failures.clear();
    m_current = -1;
    m_compute->setEnabled(false);
    startNext();
    return true;
}

void AttentionTimeline::startNext()
{
    int next = m_current + 1;
    while (next < m_checkpoints.size() && attentionAt(m_checkpoints[next]))
        ++next;
    if (next >= m_checkpoints.size()) {
        m_current = -1;
        m_compute->setEnabled(!m_checkpoints.isEmpty());
        updateProgress();
        Q_EMIT finished();
        return;
    }
    m_current = next;
    const QString name = m_checkpoints[next];
    m_outFile =
        m_tempDir->filePath(QStringLiteral("attention-s%1-c%2-%3.h5")
                                .arg(m_sample)
                                .arg(m_channel)
                                .arg(QString(name).replace(QLatin1String(".pt"), QString())));
    m_errorOutput.clear();
    if (!m_process) {
        m_process = new QProcess(this);
        connect(m_process, &QProcess::finished, this, &AttentionTimeline::onChildFinished);
        connect(m_process, &QProcess::readyReadStandardError, this,
                [this] { m_errorOutput += m_process->readAllStandardError(); });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart || m_current < 0)
                return;
            // The program is missing: every other checkpoint would fail the same way.
            const QString message =
                tr("Cannot start %1: %2").arg(m_program, m_process->errorString());
            m_current = -1;
            m_compute->setEnabled(true);
            fail(message);
            Q_EMIT finished();
        });
    }
    updateProgress();
    m_process->start(m_program, arguments(name, m_outFile));
}

void AttentionTimeline::onChildFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_current < 0)
        return;
    m_errorOutput += m_process->readAllStandardError();
    const QString name = m_checkpoints[m_current];
    if (status != QProcess::NormalExit || exitCode != 0) {
        const QString why =
            status != QProcess::NormalExit
                ? tr("%1: twb-cli attention crashed").arg(name)
                : tr("%1: twb-cli attention failed (exit %2)").arg(name).arg(exitCode);
        fail(why + QStringLiteral(": ") + CliJob::lastErrorLines(m_errorOutput, 3));
        startNext();
        return;
    }
    readFile(name, m_outFile);
}

void AttentionTimeline::readFile(const QString &checkpointName, const QString &path)
{
    auto result = std::make_shared<std::optional<Expected<explain::AttentionSet>>>();
    QThread *reader =
        QThread::create([path, result] { result->emplace(explain::readAttentionFile(path)); });
    reader->setParent(this); // the destructor waits for every reader
    m_reader = reader;
    const Key key = keyOf(checkpointName);
    const std::uint64_t generation = m_generation;
    connect(reader, &QThread::finished, this, [this, reader, key, generation, result] {
        reader->deleteLater();
        if (m_reader == reader)
            m_reader = nullptr;
        if (generation != m_generation)
            return; // another run was chosen meanwhile
        if (result->has_value() && result->value()) {
            m_cache[key] =
                std::make_shared<const explain::AttentionSet>(std::move(*result->value()));
            Q_EMIT checkpointComputed(key.checkpoint);
            showCurrent();
        } else {
            fail(tr("%1: %2").arg(key.checkpoint, result->has_value()
                                                      ? result->value().error().toString()
                                                      : tr("the file could not be read")));
        }
        if (m_current >= 0)
            startNext();
    });
    reader->start();
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
    if (isComputing())
        text += tr(" (computing %1…)").arg(m_checkpoints[m_current]);
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
    QStringList labels;
    for (std::size_t t = 0; t < set->tokens.size(); ++t)
        labels << (set->tokens[t].label.empty() ? QString::number(t)
                                                : QString::fromStdString(set->tokens[t].label));
    if (labels != m_view->tokens())
        m_view->setTokens(labels);
    // Aliasing shared_ptr: the layer lives as long as the set.
    const std::shared_ptr<const explain::AttentionLayer> layer(
        set, &set->layers[std::size_t(m_layer->value())]);
    m_view->setMap({layer, m_head->value()}, tr("%1 · layer %2 · head %3")
                                                 .arg(describeCheckpoint(name))
                                                 .arg(m_layer->value())
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
