#pragma once

#include "common/Expected.h"

#include <QObject>
#include <QString>

namespace twb {

class ClassPredictionJob;
class NewDataPredictionsView;

/// "Predict New Data" in the classification view: runs `twb-cli predict` for the
/// classification run shown (ClassPredictionJob: a child process, the CSV read on a worker) on
/// a folder of sound files or a file the user picked, and gives the table — or twb-cli's reason
/// — to the view; saves that CSV where the user asks (written atomically).
///
/// Ownership: the view is not owned and must outlive the controller; the job is a child.
/// Threading: GUI thread.
class ClassPredictionController : public QObject
{
    Q_OBJECT

public:
    explicit ClassPredictionController(NewDataPredictionsView *view, QObject *parent = nullptr);
    ~ClassPredictionController() override;

    /// The classification run shown now (empty: none). Ends a prediction under way.
    void setRun(const QString &runDir);
    /// Classifies `dataPath`: a folder of sound files or a sound file (unlabelled: new
    /// recordings), or a .ts, .arff or HDF5 file with the run's classes and labels.
    void predict(const QString &dataPath);
    /// Copies the predictions shown to `path` (temporary file, then rename).
    Status savePredictions(const QString &path) const;
    QString predictionsFile() const { return m_file; }
    void setProgram(const QString &program);

    /// Whether `dataPath` is read without labels: folders and sound files are (their names
    /// need not follow a label pattern); case files (.ts, .arff, .h5) carry their labels.
    static bool readsUnlabelled(const QString &dataPath);

Q_SIGNALS:
    /// Predictions were shown (ok) or failed, with the message.
    void finished(bool ok, const QString &message);

private:
    NewDataPredictionsView *m_view = nullptr;
    ClassPredictionJob *m_job = nullptr;
    QString m_runDir;
    QString m_dataPath;
    QString m_file;
};

} // namespace twb
