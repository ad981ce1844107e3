#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "protocol/ExplainSummaries.h"
#include "protocol/WhatIfMessages.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace twb::fuzz {

// The JSON lines of `twb-cli whatif --serve`: each line as the server reads a request (the
// same steps as app/cli/WhatIfCommand.cpp) and as the GUI reads an answer, plus the --json
// summaries of `attention` and `forward` that the clients decode.
int fuzzWhatIf(const std::uint8_t *data, std::size_t size)
{
    for (const QByteArray &line : inputLines(data, size)) {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (!doc.isObject())
            continue;
        const QJsonObject object = doc.object();
        if (const Expected<WhatIfRequest> request = WhatIfRequest::fromJson(object))
            (void)request->toJson();
        if (const Expected<WhatIfAnswer> answer = WhatIfAnswer::fromJson(object))
            (void)answer->toJson();
        (void)AttentionSummary::fromJson(object);
        (void)ForwardSummary::fromJson(object);
    }
    return 0;
}

} // namespace twb::fuzz
