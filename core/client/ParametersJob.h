#pragma once

#include "CliFileJob.h"
#include "FineTuneSource.h"

namespace twb {

/// `twb-cli parameters RUN --out TMP.json`: the learnable tensors of a run's model, read back
/// on a worker thread (parseParameterList) — what the fine-tune box offers to freeze.
///
/// request() replaces a request under way (the latest wins, see CliFileJob); computed() or
/// failed() follows the latest one. Threading and ownership: as CliFileJob.
class ParametersJob : public CliFileJob
{
    Q_OBJECT

public:
    explicit ParametersJob(QObject *parent = nullptr);

    /// The command line for `runDir` writing `outFile` (without the program).
    static QStringList arguments(const QString &runDir, const QString &outFile);
    void request(const QString &runDir);

Q_SIGNALS:
    void computed(const QString &runDir, const QList<twb::ParameterEntry> &parameters);
};

} // namespace twb
