#pragma once

#include "CliFileJob.h"
#include "ExplainRequests.h"
#include "attention/AttentionFile.h"
#include "attention/AttentionSet.h"
#include "common/Expected.h"

#include <memory>

namespace twb {

/// The attention of one request, read back from the file `twb-cli attention` wrote.
struct AttentionResult
{
    AttentionRequest request;
    QString file; ///< the file it was read from (in the job's temporary folder)
    explain::AttentionSet set;
    explain::AttentionSaliency saliency; ///< empty when the file has none
};

/// `twb-cli attention RUN --index I [--checkpoint NAME] --out TMP.h5 [--count N] [--saliency]
/// [--channel C]` for one AttentionRequest, and the file read back on a worker thread
/// (explain::readAttentionFile, readAttentionSaliency).
///
/// request() replaces a request under way (the latest wins, see CliFileJob); computed() or
/// failed() follows the latest one. A file that cannot be read comes as failed() with the
/// reader's message, which names the file and the problem.
/// Threading and ownership: as CliFileJob (an event-loop thread; owns its child and the files).
class AttentionJob : public CliFileJob
{
    Q_OBJECT

public:
    explicit AttentionJob(QObject *parent = nullptr);

    using CliFileJob::arguments;
    /// The command line of `request` writing `outFile` (without the program).
    static QStringList arguments(const AttentionRequest &request, const QString &outFile);
    /// Reads an attention file as the job does: the set, and its saliency when present (a
    /// saliency that cannot be read is left empty). Blocks; any thread.
    static Expected<AttentionResult> read(const QString &file);

    void request(const AttentionRequest &request);
    /// The latest request.
    AttentionRequest lastRequest() const { return m_request; }

Q_SIGNALS:
    /// The result of the latest request. Shared with every receiver; the one receiver that
    /// shows it may move the set out (it can be large: layers x heads x tokens²).
    void computed(std::shared_ptr<twb::AttentionResult> result);

private:
    AttentionRequest m_request;
};

} // namespace twb
