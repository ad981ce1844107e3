#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// HDF5 files for the whole project (series, predictions, exports, attention). The files are
/// plain HDF5 1.8+ readable by h5py: numbers little-endian, strings variable-length UTF-8.
///
/// Paths inside a file are absolute, "/group/name" ("name" is taken from the root, "/" is the
/// root group). Errors name the file, the object and HDF5's own explanation. HDF5's automatic
/// error printing is switched off for every thread that uses these classes.
///
/// Threading: the Debian HDF5 build is thread-safe (it serialises calls internally); one
/// Hdf5Writer or Hdf5Reader must still be used by one thread at a time. Both are movable and
/// not copyable; the moved-from object is empty and its calls return errors.

/// Writes a new HDF5 file atomically: the file is built in memory (HDF5's core driver, so it
/// must fit in memory) and commit() writes its image through writeFileAtomically (a temporary
/// file next to `path`, fsync'ed and renamed over it). A writer destroyed without commit(), or
/// a commit() that fails (the error names `path` and the system's reason), leaves `path`
/// untouched and no temporary file behind.
class Hdf5Writer
{
public:
    static Expected<Hdf5Writer> create(const QString &path);

    Hdf5Writer(Hdf5Writer &&other) noexcept;
    Hdf5Writer &operator=(Hdf5Writer &&other) noexcept;
    Hdf5Writer(const Hdf5Writer &) = delete;
    Hdf5Writer &operator=(const Hdf5Writer &) = delete;
    ~Hdf5Writer();

    /// Writes a dataset of shape `dims` (row-major, C order; empty dims = a scalar) from `data`
    /// (product(dims) elements, which the caller keeps alive during the call). Missing groups
    /// are created; an existing dataset at the same path is replaced. A non-empty numeric array is
    /// chunked (at most 2^20 elements per chunk) with a Fletcher-32 checksum per chunk, which
    /// HDF5 checks on every read: Hdf5Reader refuses a corrupted array by name.
    Status writeFloats(const QString &datasetPath, const float *data,
                       const std::vector<std::int64_t> &dims);
    Status writeDoubles(const QString &datasetPath, const double *data,
                        const std::vector<std::int64_t> &dims);
    Status writeInt64s(const QString &datasetPath, const std::int64_t *data,
                       const std::vector<std::int64_t> &dims);
    /// A 1-D dataset of variable-length UTF-8 strings (h5py reads them as bytes or, with
    /// .asstr(), as str).
    Status writeStrings(const QString &datasetPath, const QStringList &values);

    /// Attributes on an existing group or dataset ("/" is the root); an existing attribute of
    /// the same name is replaced. Strings are scalar variable-length UTF-8 (h5py: str), string
    /// lists 1-D arrays of them, numbers scalar float64 / int64.
    Status setAttribute(const QString &objectPath, const QString &name, const QString &value);
    Status setAttribute(const QString &objectPath, const QString &name, double value);
    Status setAttribute(const QString &objectPath, const QString &name, std::int64_t value);
    Status setAttribute(const QString &objectPath, const QString &name, const QStringList &values);

    /// Makes the file appear at `path` (writeFileAtomically). Afterwards every call,
    /// including a second commit(), returns an error.
    Status commit();

    QString path() const { return m_path; }

private:
    Hdf5Writer() = default;
    Status writeNumbers(const QString &datasetPath, const void *data,
                        const std::vector<std::int64_t> &dims, std::int64_t memoryType,
                        std::int64_t fileType);
    Status writeAttribute(const QString &objectPath, const QString &name, std::int64_t memoryType,
                          std::int64_t fileType, const void *data, std::int64_t count);
    Status checkWritable(const QString &objectPath) const;
    Error error(const QString &reason) const;
    void discard();

    QString m_path;
    std::int64_t m_file = -1; ///< hid_t of the in-memory file, -1 when closed
};

/// A numeric dataset converted to double, whatever its stored type (exact for integers up to
/// 2^53). `values` is row-major with product(dims) elements; dims is empty for a scalar.
struct Hdf5Array
{
    std::vector<std::int64_t> dims;
    std::vector<double> values;
};

/// The same as float32, for large data (HDF5 converts while reading).
struct Hdf5FloatArray
{
    std::vector<std::int64_t> dims;
    std::vector<float> values;
};

/// Reads any HDF5 file (the project's or a foreign one). Opens read-only.
class Hdf5Reader
{
public:
    static Expected<Hdf5Reader> open(const QString &path);

    Hdf5Reader(Hdf5Reader &&other) noexcept;
    Hdf5Reader &operator=(Hdf5Reader &&other) noexcept;
    Hdf5Reader(const Hdf5Reader &) = delete;
    Hdf5Reader &operator=(const Hdf5Reader &) = delete;
    ~Hdf5Reader();

    /// Any integer or float dataset of any rank; errors for strings and other types.
    Expected<Hdf5Array> readArray(const QString &datasetPath) const;
    Expected<Hdf5FloatArray> readFloatArray(const QString &datasetPath) const;
    /// A dataset of strings (variable or fixed length, ASCII or UTF-8), flattened row-major.
    Expected<QStringList> readStrings(const QString &datasetPath) const;

    /// A string attribute (scalar, or the first element of an array).
    Expected<QString> stringAttribute(const QString &objectPath, const QString &name) const;
    /// A string attribute as a list (a scalar gives one element).
    Expected<QStringList> stringListAttribute(const QString &objectPath, const QString &name) const;
    /// A numeric attribute with exactly one element.
    Expected<double> numberAttribute(const QString &objectPath, const QString &name) const;
    bool hasAttribute(const QString &objectPath, const QString &name) const;

    /// Every dataset in the file as "/group/name", sorted by name (each object once).
    QStringList datasetPaths() const;
    /// The shape of a dataset (empty for a scalar).
    Expected<std::vector<std::int64_t>> datasetDims(const QString &datasetPath) const;
    /// True if the dataset holds integers or floats.
    bool isNumericDataset(const QString &datasetPath) const;
    bool hasDataset(const QString &datasetPath) const;

    QString path() const { return m_path; }

private:
    Hdf5Reader() = default;
    Error error(const QString &reason) const;

    QString m_path;
    std::int64_t m_file = -1; ///< hid_t of the open file, -1 when closed
};

/// True if `path` is an HDF5 file (signature at offset 0, 512, 1024, ...).
bool isHdf5File(const QString &path);

} // namespace twb
