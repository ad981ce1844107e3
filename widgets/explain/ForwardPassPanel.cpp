#include "ForwardPassPanel.h"

#include "widgets/explain/ForwardPassView.h"

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
}

ForwardPassPanel::~ForwardPassPanel() = default;

void ForwardPassPanel::setRun(const QString &runDir, int testSamples)
{
    m_runDir = runDir;
    m_computing = false;
    m_runLabel->setText(runDir.isEmpty() ? tr("No run") : tr("Run: %1").arg(runDir));
    m_runLabel->setToolTip(runDir);
    m_sample->setMaximum(testSamples > 0 ? testSamples - 1 : 1000000);
    m_show->setEnabled(!runDir.isEmpty());
    setStatus(runDir.isEmpty() ? QString()
                               : tr("Choose a sample and press \"Trace forward pass\"."));
    Q_EMIT runChanged(runDir);
}

ForwardRequest ForwardPassPanel::request() const
{
    return {m_runDir, m_sample->value()};
}

bool ForwardPassPanel::compute()
{
    if (m_runDir.isEmpty()) {
        setStatus(tr("No run to trace."));
        return false;
    }
    Q_EMIT traceRequested(request());
    return true;
}

void ForwardPassPanel::showComputing(const ForwardRequest &request)
{
    m_computing = true;
    setStatus(tr("Tracing sample %1 through the model…").arg(request.index));
}

void ForwardPassPanel::showTrace(const explain::ForwardTrace &trace, const QString &file)
{
    m_computing = false;
    m_view->setTrace(trace);
    {
        // The sample box says which sample is shown.
        const QSignalBlocker blocker(m_sample);
        m_sample->setValue(int(trace.sampleIndex));
    }
    setStatus(tr("Trace of %1").arg(QDir::toNativeSeparators(file)));
    Q_EMIT traceShown(file);
}

void ForwardPassPanel::showFailure(const QString &message)
{
    m_computing = false;
    setStatus(message);
    Q_EMIT failed(message);
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
