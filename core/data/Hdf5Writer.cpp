#include "Hdf5File.h"

#include "AtomicWrite.h"
#include "Hdf5Handle.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <type_traits>

static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5File.h stores hid_t as std::int64_t");

namespace twb {

namespace {

/// Chunks of at most 2^20 elements (4 MiB of floats; HDF5's limit is 4 GiB), cut along the
/// first dimensions so that a row, or a few, stays whole where it can.
std::vector<hsize_t> chunkShape(std::vector<hsize_t> shape)
{
    constexpr double maxElements = double(1 << 20);
    for (hsize_t &side : shape) {
        side = std::max<hsize_t>(side, 1);
        double total = 1.0;
        for (hsize_t s : shape)
            total *= double(s);
        if (total <= maxElements)
            break;
        side = std::max<hsize_t>(1, hsize_t(double(side) * maxElements / total));
    }
    return shape;
}

Hdf5Handle variableUtf8StringType()
{
    Hdf5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
}

} // namespace

Expected<Hdf5Writer> Hdf5Writer::create(const QString &path)
{
    silenceHdf5Errors();
    const QFileInfo info(path);
    if (path.isEmpty() || info.isDir())
        return Error{QStringLiteral("not a file name"), path};
    if (!info.absoluteDir().exists())
        return Error{QStringLiteral("the folder %1 does not exist").arg(info.absolutePath()), path};

    Hdf5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    // Version 1.8 objects: readable by every HDF5 1.8+ and h5py.
    H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18);
    // The file is built in memory (core driver, no backing store) and reaches the disk only in
    // commit(), through writeFileAtomically, so HDF5 itself never meets a disk error. With the
    // sec2 driver a failed write (full disk, file-size limit) made H5Dclose fail half-way in
    // HDF5 1.10.8: the dataset's ID was released but its object stayed open in the file, so
    // H5Fclose only deferred the close and H5close at exit crashed in H5F__close_cb (gdb).
    H5Pset_fapl_core(fapl.get(), 1 << 20, false);
    // The name only labels the in-memory file; unique so that two writers never share it.
    static std::atomic<std::uint64_t> serial{0};
    const QByteArray label = QFile::encodeName(path) + ".in-memory-" +
                             QByteArray::number(QCoreApplication::applicationPid()) + '-' +
                             QByteArray::number(++serial);
    const hid_t file = H5Fcreate(label.constData(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    if (file < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot create the file")), path};
    Hdf5Writer writer;
    writer.m_path = path;
    writer.m_file = file;
    return writer;
}

Hdf5Writer::Hdf5Writer(Hdf5Writer &&other) noexcept
    : m_path(std::move(other.m_path))
    , m_file(std::exchange(other.m_file, -1))
{}

Hdf5Writer &Hdf5Writer::operator=(Hdf5Writer &&other) noexcept
{
    if (this != &other) {
        discard();
        m_path = std::move(other.m_path);
        m_file = std::exchange(other.m_file, -1);
    }
    return *this;
}

Hdf5Writer::~Hdf5Writer()
{
    discard();
}

void Hdf5Writer::discard()
{
    if (m_file >= 0) {
        H5Fclose(m_file);
        H5Eclear2(H5E_DEFAULT);
        m_file = -1;
    }
}

Error Hdf5Writer::error(const QString &reason) const
{
    return Error{reason, m_path};
}

Status Hdf5Writer::checkWritable(const QString &objectPath) const
{
    silenceHdf5Errors();
    if (m_file < 0)
        return error(QStringLiteral("the HDF5 writer is closed (committed or moved from)"));
    if (objectPath.isEmpty())
        return error(QStringLiteral("an empty path inside the file"));
    return Status::ok();
}

Status Hdf5Writer::writeNumbers(const QString &datasetPath, const void *data,
                                const std::vector<std::int64_t> &dims, std::int64_t memoryType,
                                std::int64_t fileType)
{
    if (Status status = checkWritable(datasetPath); !status)
        return status;
    if (datasetPath.endsWith(QLatin1Char('/')))
        return error(QStringLiteral("'%1' is not a dataset name").arg(datasetPath));
    if (dims.size() > H5S_MAX_RANK)
        return error(QStringLiteral("'%1': rank %2 is above HDF5's limit of %3")
                         .arg(datasetPath)
                         .arg(dims.size())
                         .arg(H5S_MAX_RANK));
    std::vector<hsize_t> shape;
    std::int64_t count = 1;
    for (std::int64_t d : dims) {
        if (d < 0)
            return error(QStringLiteral("'%1': negative dimension %2").arg(datasetPath).arg(d));
        shape.push_back(hsize_t(d));
        count *= d;
    }
    if (count > 0 && !data)
        return error(QStringLiteral("'%1': no data given").arg(datasetPath));

    const QByteArray name = datasetPath.toUtf8();
    if (hdf5LinkExists(m_file, name) && H5Ldelete(m_file, name.constData(), H5P_DEFAULT) < 0)
        return error(takeHdf5Error(QStringLiteral("cannot replace '%1'").arg(datasetPath)));

    Hdf5Handle space(shape.empty() ? H5Screate(H5S_SCALAR)
                                   : H5Screate_simple(int(shape.size()), shape.data(), nullptr),
                     H5Sclose);
    Hdf5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl.get(), 1);
    H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8);
    // Every non-empty numeric array carries a Fletcher-32 checksum per chunk, which HDF5 verifies
    // on every read: a corrupted result file is refused by the reader instead of giving wrong
    // numbers. Filters need a chunked layout.
    Hdf5Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const H5T_class_t typeClass = H5Tget_class(fileType);
    if (count > 0 && !shape.empty() && (typeClass == H5T_INTEGER || typeClass == H5T_FLOAT)) {
        const std::vector<hsize_t> chunk = chunkShape(shape);
        if (H5Pset_chunk(dcpl.get(), int(chunk.size()), chunk.data()) < 0 ||
            H5Pset_fletcher32(dcpl.get()) < 0)
            return error(
                takeHdf5Error(QStringLiteral("cannot lay out the dataset '%1'").arg(datasetPath)));
    }
    Hdf5Handle dataset(H5Dcreate2(m_file, name.constData(), fileType, space.get(), lcpl.get(),
                                  dcpl.get(), H5P_DEFAULT),
                       H5Dclose);
    if (!dataset.isValid())
        return error(
            takeHdf5Error(QStringLiteral("cannot create the dataset '%1'").arg(datasetPath)));
    if (count > 0 && H5Dwrite(dataset.get(), memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        return error(
            takeHdf5Error(QStringLiteral("cannot write the dataset '%1'").arg(datasetPath)));
    if (dataset.close() < 0)
        return error(
            takeHdf5Error(QStringLiteral("cannot write the dataset '%1'").arg(datasetPath)));
    return Status::ok();
}

Status Hdf5Writer::writeFloats(const QString &datasetPath, const float *data,
                               const std::vector<std::int64_t> &dims)
{
    return writeNumbers(datasetPath, data, dims, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE);
}

Status Hdf5Writer::writeDoubles(const QString &datasetPath, const double *data,
                                const std::vector<std::int64_t> &dims)
{
    return writeNumbers(datasetPath, data, dims, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}

Status Hdf5Writer::writeInt64s(const QString &datasetPath, const std::int64_t *data,
                               const std::vector<std::int64_t> &dims)
{
    return writeNumbers(datasetPath, data, dims, H5T_NATIVE_INT64, H5T_STD_I64LE);
}

Status Hdf5Writer::writeStrings(const QString &datasetPath, const QStringList &values)
{
    if (Status status = checkWritable(datasetPath); !status)
        return status;
    std::vector<QByteArray> utf8;
    std::vector<const char *> pointers;
    utf8.reserve(std::size_t(values.size()));
    for (const QString &value : values)
        utf8.push_back(value.toUtf8());
    for (const QByteArray &bytes : utf8)
        pointers.push_back(bytes.constData());
    const Hdf5Handle type = variableUtf8StringType();
    return writeNumbers(datasetPath, pointers.data(), {std::int64_t(values.size())}, type.get(),
                        type.get());
}

Status Hdf5Writer::writeAttribute(const QString &objectPath, const QString &name,
                                  std::int64_t memoryType, std::int64_t fileType, const void *data,
                                  std::int64_t count)
{
    if (Status status = checkWritable(objectPath); !status)
        return status;
    const QByteArray object = objectPath.toUtf8();
    const bool isRoot = objectPath == QLatin1String("/");
    if (!isRoot && !hdf5LinkExists(m_file, object))
        return error(QStringLiteral("no object '%1' in the file to put the attribute '%2' on")
                         .arg(objectPath, name));
    Hdf5Handle target(H5Oopen(m_file, object.constData(), H5P_DEFAULT), H5Oclose);
    if (!target.isValid())
        return error(takeHdf5Error(QStringLiteral("cannot open '%1'").arg(objectPath)));
    const QByteArray attributeName = name.toUtf8();
    if (H5Aexists(target.get(), attributeName.constData()) > 0 &&
        H5Adelete(target.get(), attributeName.constData()) < 0)
        return error(takeHdf5Error(
            QStringLiteral("cannot replace the attribute '%1' of '%2'").arg(name, objectPath)));
    const hsize_t size = hsize_t(count);
    Hdf5Handle space(count < 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &size, nullptr),
                     H5Sclose);
    Hdf5Handle acpl(H5Pcreate(H5P_ATTRIBUTE_CREATE), H5Pclose);
    H5Pset_char_encoding(acpl.get(), H5T_CSET_UTF8);
    Hdf5Handle attribute(H5Acreate2(target.get(), attributeName.constData(), fileType, space.get(),
                                    acpl.get(), H5P_DEFAULT),
                         H5Aclose);
    if (!attribute.isValid() || H5Awrite(attribute.get(), memoryType, data) < 0)
        return error(takeHdf5Error(
            QStringLiteral("cannot write the attribute '%1' of '%2'").arg(name, objectPath)));
    return Status::ok();
}

Status Hdf5Writer::setAttribute(const QString &objectPath, const QString &name,
                                const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    const char *pointer = utf8.constData();
    const Hdf5Handle type = variableUtf8StringType();
    return writeAttribute(objectPath, name, type.get(), type.get(), &pointer, -1);
}

Status Hdf5Writer::setAttribute(const QString &objectPath, const QString &name, double value)
{
    return writeAttribute(objectPath, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, &value, -1);
}

Status Hdf5Writer::setAttribute(const QString &objectPath, const QString &name, std::int64_t value)
{
    return writeAttribute(objectPath, name, H5T_NATIVE_INT64, H5T_STD_I64LE, &value, -1);
}

Status Hdf5Writer::setAttribute(const QString &objectPath, const QString &name,
                                const QStringList &values)
{
    std::vector<QByteArray> utf8;
    std::vector<const char *> pointers;
    for (const QString &value : values)
        utf8.push_back(value.toUtf8());
    for (const QByteArray &bytes : utf8)
        pointers.push_back(bytes.constData());
    const Hdf5Handle type = variableUtf8StringType();
    return writeAttribute(objectPath, name, type.get(), type.get(), pointers.data(),
                          std::int64_t(values.size()));
}

Status Hdf5Writer::commit()
{
    silenceHdf5Errors();
    if (m_file < 0)
        return error(QStringLiteral("the HDF5 writer is closed (committed or moved from)"));
    // Everything (metadata cache included) reaches the in-memory image before it is copied;
    // the first H5Fget_file_image call gives the size.
    const herr_t flushed = H5Fflush(m_file, H5F_SCOPE_GLOBAL);
    const ssize_t size = flushed < 0 ? -1 : H5Fget_file_image(m_file, nullptr, 0);
    QByteArray image;
    if (size > 0) {
        image.resize(qsizetype(size));
        if (H5Fget_file_image(m_file, image.data(), std::size_t(size)) != size)
            image.clear();
    }
    if (image.isEmpty()) {
        const QString reason = takeHdf5Error(QStringLiteral("cannot finish the file"));
        discard();
        return error(reason);
    }
    const herr_t closed = H5Fclose(m_file);
    m_file = -1;
    if (closed < 0)
        return error(takeHdf5Error(QStringLiteral("cannot finish the file")));
    return writeFileAtomically(m_path, image);
}

} // namespace twb
