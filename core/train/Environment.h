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

} // namespace twb
