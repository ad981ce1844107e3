#include "Hdf5Handle.h"

#include <QStringList>

namespace twb {

void silenceHdf5Errors()
{
    thread_local bool silenced = false;
    if (!silenced) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

QString takeHdf5Error(const QString &fallback)
{
    QStringList messages;
    auto collect = [](unsigned, const H5E_error2_t *error, void *data) -> herr_t {
        auto *list = static_cast<QStringList *>(data);
        QString text = QString::fromUtf8(error->desc ? error->desc : "").trimmed();
        if (text.isEmpty()) {
            char minor[256] = {};
            if (H5Eget_msg(error->min_num, nullptr, minor, sizeof minor) > 0)
                text = QString::fromUtf8(minor);
        }
        if (!text.isEmpty() && !list->contains(text))
            list->append(text);
        return 0;
    };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &messages);
    H5Eclear2(H5E_DEFAULT);
    if (messages.isEmpty())
        return fallback;
    if (messages.size() == 1)
        return fallback + QStringLiteral(" (HDF5: ") + messages.front() + QLatin1Char(')');
    return fallback + QStringLiteral(" (HDF5: ") + messages.front() + QStringLiteral("; ") +
           messages.back() + QLatin1Char(')');
}

bool hdf5LinkExists(hid_t location, const QByteArray &path)
{
    QByteArray prefix;
    for (const QByteArray &part : path.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        prefix += '/' + part;
        if (H5Lexists(location, prefix.constData(), H5P_DEFAULT) <= 0)
            return false;
    }
    return true;
}

QString hdf5TypeDescription(hid_t type)
{
    const std::size_t bits = H5Tget_size(type) * 8;
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        return QStringLiteral("%1-bit %2integers")
            .arg(bits)
            .arg(H5Tget_sign(type) == H5T_SGN_NONE ? QStringLiteral("unsigned ") : QString());
    case H5T_FLOAT:
        return QStringLiteral("%1-bit floats").arg(bits);
    case H5T_STRING:
        return QStringLiteral("strings");
    case H5T_COMPOUND:
        return QStringLiteral("a compound type (a table of records)");
    case H5T_ENUM:
        return QStringLiteral("an enumeration");
    case H5T_BITFIELD:
        return QStringLiteral("a bit field");
    case H5T_OPAQUE:
        return QStringLiteral("opaque bytes");
    case H5T_REFERENCE:
        return QStringLiteral("object references");
    case H5T_VLEN:
        return QStringLiteral("variable-length sequences");
    case H5T_ARRAY:
        return QStringLiteral("an array type");
    default:
        return QStringLiteral("an unknown type");
    }
}

} // namespace twb
