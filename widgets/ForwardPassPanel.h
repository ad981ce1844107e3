#pragma once

#include "CsvExportable.h"

#include <QString>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;

namespace twb {

class CliJob;
class ForwardPassView;

/// The Forward pass tab: one real test sample of a finished run through the model, stage by
/// stage (ForwardPassView). The trace is computed by `twb-cli forward RUN --index I --out
/// FILE.h5` in a child process (CliJob) and read back with readForwardFile.
///
/// Threading and ownership: GUI thread; owns its job and a temporary folder for the traces.
class ForwardPassPanel : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ForwardPassPanel(QWidget *parent = nullptr);
    ~ForwardPassPanel() override;

    void setProgram(const QString &program);
    /// The run to trace; `testSamples` bounds the sample spin box (0 = no bound).
    void setRun(const QString &runDir, int testSamples = 0);
    QString runDir() const { return m_runDir; }

    /// Starts `twb-cli forward`; false (reason in the status line) without a run or while one
    /// runs.
    bool compute();
    /// Shows a trace file; on failure the reason, naming the file, in the status line and *error.
    bool loadFile(const QString &path, QString *error = nullptr);
    QStringList arguments(const QString &outFile) const;

    ForwardPassView *view() const { return m_view; }
    QSpinBox *sampleBox() const { return m_sample; }
    CliJob *job() const { return m_job; }
    QString statusText() const;
    CsvTable csvTable() const override;

Q_SIGNALS:
    void traceShown(const QString &file);
    void failed(const QString &message);

private:
    void setStatus(const QString &text);

    QString m_runDir;
    QString m_outFile;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    CliJob *m_job = nullptr;
    ForwardPassView *m_view = nullptr;
    QLabel *m_runLabel = nullptr;
    QSpinBox *m_sample = nullptr;
    QPushButton *m_show = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace twb
