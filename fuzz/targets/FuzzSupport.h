#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace twb::fuzz {

/// Writes the fuzzer's bytes to `name` in this process's scratch folder (created on first use,
/// removed at exit) and returns its path. The same name is overwritten on every call.
QString writeInput(const std::uint8_t *data, std::size_t size, const QString &name);

/// The path `name` would have in the scratch folder (for files a harness writes itself).
QString scratchPath(const QString &name);

/// Splits the input at NUL bytes into at most `parts` pieces (the last keeps any further
/// NULs): one input can then carry several files or fields.
std::vector<QByteArray> splitInput(const std::uint8_t *data, std::size_t size, int parts);

/// Every line of the input (split at '\n'), as a parser of line protocols sees them.
std::vector<QByteArray> inputLines(const std::uint8_t *data, std::size_t size);

/// Lowers the loaders' size limits (see data/LoadLimits.h) to what a fuzzer may allocate:
/// 256 MiB per array, 1 MiB per text line. Idempotent; every harness calls it first, so the
/// fuzzers and the replay test see the same limits.
void useFuzzLimits();

} // namespace twb::fuzz
