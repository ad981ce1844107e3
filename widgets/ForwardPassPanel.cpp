#include "ForwardPassPanel.h"

#include "CliJob.h"
#include "ForwardPassView.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace twb {

ForwardPassPanel::ForwardPassPanel(QWidget *parent)
    : QWidget(parent)
{
    m_job = new CliJob(this);
    m_runLabel = new QLabel(tr("No run: choose a finished run in the Runs tab (Runs ▸ Explain "
                               "Selected Run)."),
                            this);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sample = new QSpinBox(this);
    m_sample->setRange(0, 1000000);
    m_sample->setPrefix(tr("test sample "));
    m_sample->setToolTip(tr("Which test window (forecast) or test case (classification) goes "
                            "through the model, counted from 0."));
    m_show = new QPushButton(tr("Trace forward pass"), this);
    m_show->setEnabled(false);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_view = new ForwardPassView(this);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_runLabel, 1);
    controls->addWidget(m_sample);
    controls->addWidget(m_show);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_show, &QPushButton::clicked, this, [this] { compute(); });
    connect(m_job, &CliJob::finished, this, [this](bool ok, const QString &message) {
        m_show->setEnabled(!m_runDir.isEmpty());
        if (!ok) {
            const QString text = tr("twb-cli forward %1").arg(message);
            setStatus(text);
            Q_EMIT failed(text);
            return;
        }
        QString error;
        if (!loadFile(m_outFile, &error))
            Q_EMIT failed(error);
    });
}

ForwardPassPanel::~ForwardPassPanel() = default;

void ForwardPassPanel::setProgram(const QString &program)
{
    m_job->setProgram(program);
}

void ForwardPassPanel::setRun(const QString &runDir, int testSamples)
{
    m_runDir = runDir;
    m_runLabel->setText(runDir.isEmpty() ? tr("No run") : tr("Run: %1").arg(runDir));
    m_runLabel->setToolTip(runDir);
    m_sample->setMaximum(testSamples > 0 ? testSamples - 1 : 1000000);
    m_show->setEnabled(!runDir.isEmpty() && !m_job->isRunning());
    setStatus(runDir.isEmpty() ? QString()
                               : tr("Choose a sample and press \"Trace forward pass\"."));
}

QStringList ForwardPassPanel::arguments(const QString &outFile) const
{
    return {QStringLiteral("forward"), m_runDir,
            QStringLiteral("--index"), QString::number(m_sample->value()),
            QStringLiteral("--out"),   outFile};
}

bool ForwardPassPanel::compute()
{
    if (m_runDir.isEmpty()) {
        setStatus(tr("No run to trace."));
        return false;
    }
    if (m_job->isRunning()) {
        setStatus(tr("Already tracing a sample."));
        return false;
    }
    if (!m_tempDir)
        m_tempDir = std::make_unique<QTemporaryDir>();
    if (!m_tempDir->isValid()) {
        setStatus(tr("Cannot create a temporary folder for the trace."));
        return false;
    }
    m_outFile = m_tempDir->filePath(QStringLiteral("forward-%1.h5").arg(m_sample->value()));
    setStatus(tr("Tracing sample %1 through the model…").arg(m_sample->value()));
    m_show->setEnabled(false);
    return m_job->start(arguments(m_outFile));
}

bool ForwardPassPanel::loadFile(const QString &path, QString *error)
{
    QString why;
    if (!m_view->openFile(path, &why)) {
        setStatus(why);
        if (error)
            *error = why;
        return false;
    }
    {
        // The sample box says which sample is shown (also for a file opened on its own).
        const QSignalBlocker blocker(m_sample);
        m_sample->setValue(int(m_view->trace().sampleIndex));
    }
    setStatus(tr("Trace of %1").arg(QDir::toNativeSeparators(path)));
    Q_EMIT traceShown(path);
    return true;
}

QString ForwardPassPanel::statusText() const
{
    return m_status->text();
}

void ForwardPassPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

CsvTable ForwardPassPanel::csvTable() const
{
    return m_view->csvTable();
}

} // namespace twb
