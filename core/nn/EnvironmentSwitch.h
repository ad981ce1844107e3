#pragma once

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace twb::nn {

/// A process-wide on/off switch for a fused kernel: on unless the environment variable named
/// at construction is "0" at that moment, so that one binary can time and check both paths;
/// set() changes it later (tests). Thread-safe. Hold one as a function-local static.
class EnvironmentSwitch
{
public:
    explicit EnvironmentSwitch(const char *variable)
        : m_on(!(std::getenv(variable) && std::strcmp(std::getenv(variable), "0") == 0))
    {}
    bool on() const { return m_on.load(std::memory_order_relaxed); }
    void set(bool on) { m_on.store(on, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_on;
};

} // namespace twb::nn
