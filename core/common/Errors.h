#pragma once

#include "Expected.h"

#include <utility>

namespace twb {

/// An Error without a line number: `reason` and, when a file is involved, its path.
inline Error makeError(QString reason, QString file = {})
{
    return Error{std::move(reason), std::move(file), 0};
}

} // namespace twb
