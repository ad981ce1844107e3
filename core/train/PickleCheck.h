#pragma once

#include "common/Expected.h"

#include <QByteArrayView>
#include <QString>

namespace twb {

/// Walks a pickle stream (the `data.pkl` of a LibTorch archive, protocols 0 to 5) opcode by
/// opcode without building anything, and refuses what would make LibTorch 1.13's Unpickler
/// allocate far more than the file holds before it notices the damage: a counted string, bytes
/// or long whose length runs past the end of the stream, a memo index beyond the objects
/// stored so far (the Unpickler reserves twice the index), an unknown opcode or a stream
/// without STOP. A stream that LibTorch wrote passes. Torch-free; thread-safe. Errors name
/// `file` and the byte offset.
Status checkPickleStream(QByteArrayView pickle, const QString &file);

} // namespace twb
