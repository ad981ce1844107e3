#pragma once

#include "client/FineTuneSource.h"

#include <QObject>
#include <QString>

namespace twb {

class ModelPanel;
class ParametersJob;

/// Starts a fine-tune in the window (issue 19): reads the chosen run's configuration
/// (readFineTuneSource), hands it to the model panel (ModelPanel::setFineTuneSource: its model,
/// its architecture, the fine-tune box) and lists the model's parameters with
/// `twb-cli parameters` for the box's freeze tree (ParametersJob; a newer start wins).
///
/// Threading and ownership: GUI thread; owns its job (and so the child it started), not the
/// panel, which must outlive it.
class FineTuneController : public QObject
{
    Q_OBJECT

public:
    explicit FineTuneController(ModelPanel *panel, QObject *parent = nullptr);
    ~FineTuneController() override;

    /// The twb-cli executable (default: "twb-cli" next to the application).
    void setProgram(const QString &program);
    ParametersJob *parametersJob() const { return m_job; }

    /// Fine-tuning from the finished run in `runDir`; false (and errorOccurred) when its
    /// configuration cannot be read.
    bool start(const QString &runDir);

Q_SIGNALS:
    /// The panel now fine-tunes from `source` (the window shows the panel).
    void started(const twb::FineTuneSource &source);
    void errorOccurred(const QString &title, const QString &message);

private:
    ModelPanel *m_panel;
    ParametersJob *m_job;
};

} // namespace twb
