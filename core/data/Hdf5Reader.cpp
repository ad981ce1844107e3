#include "Hdf5File.h"

#include "Hdf5Handle.h"
#include "LoadLimits.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace twb {

namespace {

// Reads every string of a dataset or attribute (variable or fixed length).
Expected<QStringList> readStringElements(hid_t id, bool attribute, const QString &what)
{
    Hdf5Handle fileType(attribute ? H5Aget_type(id) : H5Dget_type(id), H5Tclose);
    Hdf5Handle space(attribute ? H5Aget_space(id) : H5Dget_space(id), H5Sclose);
    if (!fileType.isValid() || !space.isValid())
        return Error{takeHdf5Error(QStringLiteral("cannot read %1").arg(what)), QString()};
    if (H5Tget_class(fileType.get()) != H5T_STRING)
        return Error{QStringLiteral("%1 holds %2, not strings")
                         .arg(what, hdf5TypeDescription(fileType.get())),
                     QString()};
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot read %1").arg(what)), QString()};
    auto read = [&](hid_t memoryType, void *buffer) {
        return attribute ? H5Aread(id, memoryType, buffer)
                         : H5Dread(id, memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    };

    QStringList result;
    if (count == 0)
        return result;
    // Each element becomes a QString, whatever its stored size.
    const std::size_t elementBytes = std::max(
        sizeof(QString),
        H5Tis_variable_str(fileType.get()) > 0 ? sizeof(char *) : H5Tget_size(fileType.get()));
    if (const Status size = checkArraySize(double(count), std::int64_t(elementBytes), what); !size)
        return size.error();
    Hdf5Handle memoryType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(memoryType.get(), H5Tget_cset(fileType.get()));
    if (H5Tis_variable_str(fileType.get()) > 0) {
        H5Tset_size(memoryType.get(), H5T_VARIABLE);
        std::vector<char *> pointers(std::size_t(count), nullptr);
        if (read(memoryType.get(), pointers.data()) < 0)
            return Error{takeHdf5Error(QStringLiteral("cannot read %1").arg(what)), QString()};
        for (char *p : pointers)
            result.append(QString::fromUtf8(p ? p : ""));
        H5Dvlen_reclaim(memoryType.get(), space.get(), H5P_DEFAULT, pointers.data());
        return result;
    }
    const std::size_t size = H5Tget_size(fileType.get());
    H5Tset_size(memoryType.get(), size);
    H5Tset_strpad(memoryType.get(), H5T_STR_NULLPAD);
    std::vector<char> buffer(std::size_t(count) * size);
    if (read(memoryType.get(), buffer.data()) < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot read %1").arg(what)), QString()};
    const bool spacePadded = H5Tget_strpad(fileType.get()) == H5T_STR_SPACEPAD;
    for (hssize_t i = 0; i < count; ++i) {
        const char *begin = buffer.data() + std::size_t(i) * size;
        std::size_t length = std::find(begin, begin + size, '\0') - begin;
        while (spacePadded && length > 0 && begin[length - 1] == ' ')
            --length;
        result.append(QString::fromUtf8(begin, qsizetype(length)));
    }
    return result;
}

std::vector<std::int64_t> shapeOf(hid_t space)
{
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(std::size_t(std::max(rank, 0)));
    if (rank > 0)
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    return std::vector<std::int64_t>(dims.begin(), dims.end());
}

// The number of elements a dataspace claims, as a double so that absurd shapes cannot wrap.
double claimedElements(const std::vector<std::int64_t> &dims)
{
    double count = 1.0;
    for (std::int64_t d : dims)
        count *= double(d);
    return count;
}

QString shapeDescription(const std::vector<std::int64_t> &dims)
{
    QStringList sides;
    for (std::int64_t d : dims)
        sides.append(QString::number(d));
    return sides.isEmpty() ? QStringLiteral("a scalar") : sides.join(QStringLiteral(" x "));
}

template<typename Array>
Expected<Array> readNumeric(hid_t file, const QString &path, const QString &datasetPath,
                            hid_t memoryType)
{
    const QByteArray name = datasetPath.toUtf8();
    if (!hdf5LinkExists(file, name))
        return Error{QStringLiteral("no dataset '%1' in the file").arg(datasetPath), path};
    Hdf5Handle dataset(H5Dopen2(file, name.constData(), H5P_DEFAULT), H5Dclose);
    if (!dataset.isValid()) {
        H5Eclear2(H5E_DEFAULT);
        return Error{QStringLiteral("'%1' is not a dataset (a group?)").arg(datasetPath), path};
    }
    Hdf5Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const H5T_class_t typeClass = H5Tget_class(type.get());
    if (typeClass != H5T_INTEGER && typeClass != H5T_FLOAT)
        return Error{QStringLiteral("the dataset '%1' holds %2, not numbers")
                         .arg(datasetPath, hdf5TypeDescription(type.get())),
                     path};
    // HDF5 converts through a buffer of the stored element size, which the file also claims.
    const std::size_t stored = H5Tget_size(type.get());
    if (stored < 1 || stored > 16)
        return Error{QStringLiteral("the dataset '%1' stores numbers of %2 bytes each; only 1 to "
                                    "16 bytes are supported")
                         .arg(datasetPath)
                         .arg(stored),
                     path};
    const std::int64_t elementBytes =
        std::int64_t(std::max(stored, sizeof(typename decltype(Array::values)::value_type)));
    Hdf5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    Array array;
    array.dims = shapeOf(space.get());
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot read '%1'").arg(datasetPath)), path};
    // The shape is whatever the file claims: check it before allocating.
    if (const Status size =
            checkArraySize(std::max(claimedElements(array.dims), double(count)), elementBytes,
                           QStringLiteral("the dataset '%1' of shape %2")
                               .arg(datasetPath, shapeDescription(array.dims)));
        !size)
        return Error{size.error().reason, path};
    // A chunked dataset is read through buffers of one chunk, whose shape the file also claims.
    Hdf5Handle layout(H5Dget_create_plist(dataset.get()), H5Pclose);
    if (layout.isValid() && H5Pget_layout(layout.get()) == H5D_CHUNKED) {
        std::vector<hsize_t> chunk(H5S_MAX_RANK, 0);
        const int rank = H5Pget_chunk(layout.get(), H5S_MAX_RANK, chunk.data());
        chunk.resize(std::size_t(std::max(rank, 0)));
        const std::vector<std::int64_t> chunkDims(chunk.begin(), chunk.end());
        if (const Status size =
                checkArraySize(claimedElements(chunkDims), elementBytes,
                               QStringLiteral("a chunk of the dataset '%1' (chunk shape %2)")
                                   .arg(datasetPath, shapeDescription(chunkDims)));
            !size)
            return Error{size.error().reason, path};
    }
    H5Eclear2(H5E_DEFAULT);
    array.values.resize(std::size_t(count));
    if (count > 0 &&
        H5Dread(dataset.get(), memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data()) < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot read '%1'").arg(datasetPath)), path};
    return array;
}

} // namespace

bool isHdf5File(const QString &path)
{
    silenceHdf5Errors();
    if (!QFileInfo(path).isFile())
        return false;
    const htri_t result = H5Fis_hdf5(QFile::encodeName(path).constData());
    H5Eclear2(H5E_DEFAULT);
    return result > 0;
}

Expected<Hdf5Reader> Hdf5Reader::open(const QString &path)
{
    silenceHdf5Errors();
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file does not exist"), path};
    if (!info.isFile())
        return Error{QStringLiteral("not a file"), path};
    if (!info.isReadable())
        return Error{QStringLiteral("the file is not readable (permissions)"), path};
    const QByteArray name = QFile::encodeName(path);
    const htri_t isHdf5 = H5Fis_hdf5(name.constData());
    if (isHdf5 == 0) {
        H5Eclear2(H5E_DEFAULT);
        return Error{QStringLiteral("not an HDF5 file (no HDF5 signature)"), path};
    }
    if (isHdf5 < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot read the file")), path};
    const hid_t file = H5Fopen(name.constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return Error{takeHdf5Error(QStringLiteral("cannot open the HDF5 file")), path};
    Hdf5Reader reader;
    reader.m_path = path;
    reader.m_file = file;
    return reader;
}

Hdf5Reader::Hdf5Reader(Hdf5Reader &&other) noexcept
    : m_path(std::move(other.m_path))
    , m_file(std::exchange(other.m_file, -1))
{}

Hdf5Reader &Hdf5Reader::operator=(Hdf5Reader &&other) noexcept
{
    if (this != &other) {
        if (m_file >= 0)
            H5Fclose(m_file);
        m_path = std::move(other.m_path);
        m_file = std::exchange(other.m_file, -1);
    }
    return *this;
}

Hdf5Reader::~Hdf5Reader()
{
    if (m_file >= 0)
        H5Fclose(m_file);
}

Error Hdf5Reader::error(const QString &reason) const
{
    return Error{reason, m_path};
}

Expected<Hdf5Array> Hdf5Reader::readArray(const QString &datasetPath) const
{
    silenceHdf5Errors();
    if (m_file < 0)
        return error(QStringLiteral("the HDF5 reader is closed"));
    return readNumeric<Hdf5Array>(m_file, m_path, datasetPath, H5T_NATIVE_DOUBLE);
}

Expected<Hdf5FloatArray> Hdf5Reader::readFloatArray(const QString &datasetPath) const
{
    silenceHdf5Errors();
    if (m_file < 0)
        return error(QStringLiteral("the HDF5 reader is closed"));
    return readNumeric<Hdf5FloatArray>(m_file, m_path, datasetPath, H5T_NATIVE_FLOAT);
}

Expected<QStringList> Hdf5Reader::readStrings(const QString &datasetPath) const
{
    silenceHdf5Errors();
    if (!hasDataset(datasetPath))
        return error(QStringLiteral("no dataset '%1' in the file").arg(datasetPath));
    Hdf5Handle dataset(H5Dopen2(m_file, datasetPath.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    auto strings = readStringElements(dataset.get(), false,
                                      QStringLiteral("the dataset '%1'").arg(datasetPath));
    if (!strings)
        return error(strings.error().reason);
    return strings;
}

bool Hdf5Reader::hasAttribute(const QString &objectPath, const QString &name) const
{
    silenceHdf5Errors();
    if (m_file < 0 || !hdf5LinkExists(m_file, objectPath.toUtf8()))
        return false;
    const htri_t exists = H5Aexists_by_name(m_file, objectPath.toUtf8().constData(),
                                            name.toUtf8().constData(), H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return exists > 0;
}

Expected<QStringList> Hdf5Reader::stringListAttribute(const QString &objectPath,
                                                      const QString &name) const
{
    if (!hasAttribute(objectPath, name))
        return error(QStringLiteral("'%1' has no attribute '%2'").arg(objectPath, name));
    Hdf5Handle attribute(H5Aopen_by_name(m_file, objectPath.toUtf8().constData(),
                                         name.toUtf8().constData(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
    if (!attribute.isValid())
        return error(takeHdf5Error(
            QStringLiteral("cannot open the attribute '%1' of '%2'").arg(name, objectPath)));
    auto strings = readStringElements(
        attribute.get(), true, QStringLiteral("the attribute '%1' of '%2'").arg(name, objectPath));
    if (!strings)
        return error(strings.error().reason);
    return strings;
}

Expected<QString> Hdf5Reader::stringAttribute(const QString &objectPath, const QString &name) const
{
    auto strings = stringListAttribute(objectPath, name);
    if (!strings)
        return strings.error();
    if (strings->isEmpty())
        return error(QStringLiteral("the attribute '%1' of '%2' is empty").arg(name, objectPath));
    return strings->front();
}

Expected<double> Hdf5Reader::numberAttribute(const QString &objectPath, const QString &name) const
{
    if (!hasAttribute(objectPath, name))
        return error(QStringLiteral("'%1' has no attribute '%2'").arg(objectPath, name));
    Hdf5Handle attribute(H5Aopen_by_name(m_file, objectPath.toUtf8().constData(),
                                         name.toUtf8().constData(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
    Hdf5Handle type(H5Aget_type(attribute.get()), H5Tclose);
    Hdf5Handle space(H5Aget_space(attribute.get()), H5Sclose);
    const H5T_class_t typeClass = H5Tget_class(type.get());
    if (typeClass != H5T_INTEGER && typeClass != H5T_FLOAT)
        return error(QStringLiteral("the attribute '%1' of '%2' holds %3, not a number")
                         .arg(name, objectPath, hdf5TypeDescription(type.get())));
    if (H5Sget_simple_extent_npoints(space.get()) != 1)
        return error(QStringLiteral("the attribute '%1' of '%2' is not a single number")
                         .arg(name, objectPath));
    double value = 0.0;
    if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
        return error(takeHdf5Error(
            QStringLiteral("cannot read the attribute '%1' of '%2'").arg(name, objectPath)));
    return value;
}

QStringList Hdf5Reader::datasetPaths() const
{
    silenceHdf5Errors();
    QStringList paths;
    if (m_file < 0)
        return paths;
    auto visit = [](hid_t, const char *name, const H5O_info_t *info, void *data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET)
            static_cast<QStringList *>(data)->append(QLatin1Char('/') + QString::fromUtf8(name));
        return 0;
    };
    if (H5Ovisit2(m_file, H5_INDEX_NAME, H5_ITER_INC, visit, &paths, H5O_INFO_BASIC) < 0)
        H5Eclear2(H5E_DEFAULT);
    paths.sort();
    return paths;
}

bool Hdf5Reader::hasDataset(const QString &datasetPath) const
{
    silenceHdf5Errors();
    if (m_file < 0 || !hdf5LinkExists(m_file, datasetPath.toUtf8()))
        return false;
    H5O_info_t info;
    const herr_t status = H5Oget_info_by_name2(m_file, datasetPath.toUtf8().constData(), &info,
                                               H5O_INFO_BASIC, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return status >= 0 && info.type == H5O_TYPE_DATASET;
}

Expected<std::vector<std::int64_t>> Hdf5Reader::datasetDims(const QString &datasetPath) const
{
    if (!hasDataset(datasetPath))
        return error(QStringLiteral("no dataset '%1' in the file").arg(datasetPath));
    Hdf5Handle dataset(H5Dopen2(m_file, datasetPath.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    Hdf5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    if (!space.isValid())
        return error(takeHdf5Error(QStringLiteral("cannot read '%1'").arg(datasetPath)));
    return shapeOf(space.get());
}

bool Hdf5Reader::isNumericDataset(const QString &datasetPath) const
{
    if (!hasDataset(datasetPath))
        return false;
    Hdf5Handle dataset(H5Dopen2(m_file, datasetPath.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    Hdf5Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const H5T_class_t typeClass = H5Tget_class(type.get());
    return typeClass == H5T_INTEGER || typeClass == H5T_FLOAT;
}

} // namespace twb
