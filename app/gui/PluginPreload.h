#pragma once

#include <QFuture>
#include <QStringList>

namespace twb {

/// Loads (dlopen) every shared library in `directories` on a worker thread and keeps it loaded,
/// so that a later ModelRegistry::scan on the GUI thread finds the plugins' libraries (LibTorch:
/// about two seconds to map and initialise) already in memory and returns quickly. Failures are
/// ignored here: the registry scan reports them with their reasons. Returns how many loaded.
QFuture<int> preloadPluginLibraries(const QStringList &directories);

} // namespace twb
