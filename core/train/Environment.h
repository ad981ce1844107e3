#pragma once

#include <QJsonObject>
#include <QString>

namespace twb {

/// The version of this project (CMake's PROJECT_VERSION).
QString twbVersion();
/// LibTorch's version from its headers (TORCH_VERSION_MAJOR/MINOR/PATCH).
QString libtorchVersion();
/// The Qt version at run time (qVersion()).
QString qtVersion();

/// Physical cores (distinct core ids per package in /proc/cpuinfo); the logical count when
/// that cannot be read.
int physicalCoreCount();

/// {"twb", "libtorch", "qt"} for configs and reports.
QJsonObject versionsJson();

/// Makes glibc's malloc keep freed tensor memory for reuse instead of handing every large block
/// back to the kernel: blocks up to 32 MiB come from the heap (M_MMAP_THRESHOLD, the largest
/// glibc accepts) and the heap is not trimmed below 1 GiB (M_TRIM_THRESHOLD). With glibc's
/// defaults every tensor above the adaptive threshold is mmap-ed, zero-filled by the kernel and
/// unmapped again on each forward pass. Measured here (`twb-bench-attention`, PatchTST on ETTh1,
/// batch 32, one thread): median forward 311-393 ms with the defaults, 43 ms with this.
/// Call once at process start, before tensors are allocated. A no-op without glibc.
void keepFreedMemoryForReuse();

} // namespace twb
