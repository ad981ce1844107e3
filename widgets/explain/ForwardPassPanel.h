#pragma once

#include "attention/ForwardTrace.h"
#include "client/ExplainRequests.h"
#include "widgets/common/CsvExportable.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace twb {

class ForwardPassView;

/// The Forward pass tab: one real test sample of a finished run through the model, stage by
/// stage (ForwardPassView).
///
/// A view: "Trace forward pass" (compute()) asks for the trace of the chosen sample
/// (traceRequested); the controller (app/gui's ExplainController, running `twb-cli forward`
/// through a ForwardJob) answers with showComputing(), then showTrace() or showFailure(). A new
/// request while one is computed replaces it.
///
/// Threading and ownership: GUI thread only; starts no process and reads no file.
class ForwardPassPanel : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ForwardPassPanel(QWidget *parent = nullptr);
    ~ForwardPassPanel() override;

    /// The run to trace (emits runChanged()); `testSamples` bounds the sample spin box (0 = no
    /// bound).
    void setRun(const QString &runDir, int testSamples = 0);
    QString runDir() const { return m_runDir; }

    /// Asks for the trace of the chosen sample (traceRequested(request())); false (reason in
    /// the status line) without a run.
    bool compute();
    ForwardRequest request() const;
    bool isComputing() const { return m_computing; }

    /// The controller's reports: `request` is being traced; its trace (from `file`, named in
    /// the status line; the sample box follows the trace's sample); or why there is none
    /// (shown and emitted as failed()).
    void showComputing(const ForwardRequest &request);
    void showTrace(const explain::ForwardTrace &trace, const QString &file);
    void showFailure(const QString &message);

    ForwardPassView *view() const { return m_view; }
    QSpinBox *sampleBox() const { return m_sample; }
    QString statusText() const;
    CsvTable csvTable() const override;

Q_SIGNALS:
    /// compute(): the trace of `request` is wanted.
    void traceRequested(const twb::ForwardRequest &request);
    /// setRun(): another run (empty = none) is traced.
    void runChanged(const QString &runDir);
    /// A trace was shown (showTrace(); `file` is where it came from).
    void traceShown(const QString &file);
    /// A failure was shown (showFailure()).
    void failed(const QString &message);

private:
    void setStatus(const QString &text);

    QString m_runDir;
    bool m_computing = false;
    ForwardPassView *m_view = nullptr;
    QLabel *m_runLabel = nullptr;
    QSpinBox *m_sample = nullptr;
    QPushButton *m_show = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace twb
