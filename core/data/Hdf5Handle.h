#pragma once

// Private to twb_data: includes the HDF5 C API, which public headers never do.

#include <QString>

#include <hdf5.h>

#include <utility>

namespace twb {

/// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, attribute, property
/// list) and closes it with the matching H5?close. Movable, not copyable.
class Hdf5Handle
{
public:
    using Closer = herr_t (*)(hid_t);

    Hdf5Handle() = default;
    Hdf5Handle(hid_t id, Closer closer)
        : m_id(id)
        , m_closer(closer)
    {}
    Hdf5Handle(Hdf5Handle &&other) noexcept
        : m_id(std::exchange(other.m_id, H5I_INVALID_HID))
        , m_closer(other.m_closer)
    {}
    Hdf5Handle &operator=(Hdf5Handle &&other) noexcept
    {
        if (this != &other) {
            close();
            m_id = std::exchange(other.m_id, H5I_INVALID_HID);
            m_closer = other.m_closer;
        }
        return *this;
    }
    Hdf5Handle(const Hdf5Handle &) = delete;
    Hdf5Handle &operator=(const Hdf5Handle &) = delete;
    ~Hdf5Handle() { close(); }

    bool isValid() const { return m_id >= 0; }
    hid_t get() const { return m_id; }

    /// Closes now; the HDF5 status (negative on failure, 0 if there was nothing to close).
    herr_t close()
    {
        herr_t status = 0;
        if (m_id >= 0 && m_closer)
            status = m_closer(m_id);
        m_id = H5I_INVALID_HID;
        return status;
    }

private:
    hid_t m_id = H5I_INVALID_HID;
    Closer m_closer = nullptr;
};

/// Turns off HDF5's automatic printing of error stacks for the calling thread (the Debian
/// build is thread-safe, where this setting is per thread). Cheap after the first call.
void silenceHdf5Errors();

/// The calling thread's HDF5 error stack as one sentence (outermost and innermost messages),
/// `fallback` if the stack is empty. Clears the stack.
QString takeHdf5Error(const QString &fallback);

/// True if `path` ("/a/b/c", relative paths are taken from the root) names an existing link;
/// walks the components so that a missing group is "no" rather than an HDF5 error.
bool hdf5LinkExists(hid_t location, const QByteArray &path);

/// A human name for an HDF5 type class ("a 32-bit float", "strings", "a compound type", ...).
QString hdf5TypeDescription(hid_t type);

} // namespace twb
