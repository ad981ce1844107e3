#pragma once

#include "protocol/WhatIfMessages.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <optional>

namespace twb {

class CliProcess;
struct CliExit;

/// A conversation with `twb-cli whatif RUN --serve` (DESIGN.md "a run is a process": the model
/// is loaded once in the child, the window never links LibTorch and never blocks).
///
/// request() sends one edit of one sample as a JSON line. At most one request is in flight: a
/// request made meanwhile waits, and a newer one replaces it (while the user clicks through
/// edits only the latest is computed). Every answer comes as answered(); a request the child
/// rejects comes as answered() too, with {"ok": false, "error"}.
/// failed() reports that the child could not start, exited or crashed, with the last lines of
/// its error output; a new start() is needed after it.
///
/// Threading and ownership: GUI thread (or any thread with an event loop); owns the child (a
/// CliProcess per start()), which is ended when the session is stopped or destroyed (stdin
/// closed, then killed if it does not exit within 2 s). stop() may be called from a slot
/// connected to answered().
class WhatIfSession : public QObject
{
    Q_OBJECT

public:
    explicit WhatIfSession(QObject *parent = nullptr);
    ~WhatIfSession() override;

    /// The twb-cli executable (default: "twb-cli" next to the running application).
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }

    /// Starts the child for `runDir` (and `dataPath`, empty = the run's data); ends any running
    /// one first. ready() follows when the model is loaded.
    void start(const QString &runDir, const QString &dataPath = {});
    void stop();
    /// The child is running (perhaps still loading the model).
    bool isRunning() const;
    bool isReady() const { return m_ready; }
    bool isBusy() const { return m_inFlight; }
    QString runDir() const { return m_runDir; }

    /// Asks for sample `index` with `edit`.
    void request(qint64 index, const WhatIfEdit &edit);

Q_SIGNALS:
    void ready();
    void answered(const QJsonObject &answer);
    void failed(const QString &message);

private:
    void onLine(const QByteArray &line);
    void onEnded(const CliExit &exit);
    void send(WhatIfRequest request);

    QString m_program;
    QString m_runDir;
    CliProcess *m_cli = nullptr;
    bool m_ready = false;
    bool m_inFlight = false;
    qint64 m_nextId = 1;
    std::optional<WhatIfRequest> m_pending;
};

} // namespace twb
