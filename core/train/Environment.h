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
/// back to the kernel: every block comes from the heap (M_MMAP_MAX 0: no block is mmap-ed, so
/// also none above the 32 MiB that M_MMAP_THRESHOLD accepts at most) and the heap is not trimmed
/// below 1 GiB (M_TRIM_THRESHOLD). With glibc's defaults every tensor above the adaptive
/// threshold is mmap-ed, zero-filled by the kernel page by page and unmapped again on each
/// pass, and page faults are expensive in a virtual machine. Measured here (one thread):
/// PatchTST on ETTh1 (`twb-bench-attention`, batch 32) median forward 311-393 ms with the
/// defaults, 43 ms with the 32 MiB threshold; TSMixer at lookback 512 with a feature width of
/// 512 (activations of exactly 32 MiB + a header) 2.3 training samples/s with the threshold
/// alone, 20 with no mmap at all. Large blocks of threads other than the main one may still be
/// mmap-ed (glibc's fall-back when a thread's arena cannot grow). Set TWB_MALLOC_DEFAULTS=1 to
/// keep glibc's defaults; a GLIBC_TUNABLES that names malloc settings is left alone.
/// Call once at process start, before tensors are allocated. A no-op without glibc.
void keepFreedMemoryForReuse();

} // namespace twb
