#pragma once

#include "CliFileJob.h"
#include "ExplainRequests.h"
#include "attention/ForwardTrace.h"
#include "common/Expected.h"

#include <memory>

namespace twb {

/// One sample through the model, read back from the file `twb-cli forward` wrote.
struct ForwardResult
{
    ForwardRequest request;
    QString file; ///< the file it was read from (in the job's temporary folder)
    explain::ForwardTrace trace;
};

/// `twb-cli forward RUN --index I --out TMP.h5` for one ForwardRequest, and the file read back
/// on a worker thread (explain::readForwardFile).
///
/// request() replaces a request under way (the latest wins, see CliFileJob); computed() or
/// failed() follows the latest one. A file that cannot be read comes as failed() with the
/// reader's message, which names the file and the problem.
/// Threading and ownership: as CliFileJob (an event-loop thread; owns its child and the files).
class ForwardJob : public CliFileJob
{
    Q_OBJECT

public:
    explicit ForwardJob(QObject *parent = nullptr);

    using CliFileJob::arguments;
    /// The command line of `request` writing `outFile` (without the program).
    static QStringList arguments(const ForwardRequest &request, const QString &outFile);

    void request(const ForwardRequest &request);
    ForwardRequest lastRequest() const { return m_request; }

Q_SIGNALS:
    /// The trace of the latest request (shared with every receiver).
    void computed(std::shared_ptr<const twb::ForwardResult> result);

private:
    ForwardRequest m_request;
};

} // namespace twb
