#pragma once

// Helpers shared by the tests that drive whole runs (tst_forecastrun, tst_classifyrun).

#include "train/ProgressReporter.h"
#include "train/TrainControl.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace twb::test {

/// A run file's JSON object; empty when the file is missing or not JSON (the test then fails on
/// the values it expects).
inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/// Asks the run to stop after `after` batches, as a SIGTERM would.
class StopAfterBatches : public ProgressReporter
{
public:
    StopAfterBatches(TrainControl &control, int after)
        : ProgressReporter(ProgressMode::None)
        , m_control(control)
        , m_after(after)
    {}
    void onBatch(const BatchEvent &) override
    {
        if (++m_batches == m_after)
            m_control.requestStop();
    }

private:
    TrainControl &m_control;
    int m_after;
    int m_batches = 0;
};

} // namespace twb::test
