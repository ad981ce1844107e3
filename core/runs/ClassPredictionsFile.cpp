#include "ClassPredictionsFile.h"
#include "common/Errors.h"
#include "data/Hdf5File.h"

namespace twb {

namespace {

/// A 1-D int64 dataset of `cases` values in [0, classes).
Status readClassIndices(const Hdf5Reader &reader, const QString &dataset, std::int64_t cases,
                        int classes, std::vector<int> &out)
{
    if (!reader.hasDataset(dataset))
        return makeError(QStringLiteral("missing dataset %1").arg(dataset), reader.path());
    Expected<Hdf5Array> a = reader.readArray(dataset);
    if (!a)
        return a.error();
    if (a->dims.size() != 1 || a->dims[0] != cases)
        return makeError(QStringLiteral("%1 has %2 values, /probabilities has %3 cases")
                             .arg(dataset)
                             .arg(qint64(a->values.size()))
                             .arg(cases),
                         reader.path());
    out.resize(std::size_t(cases));
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double v = a->values[i];
        if (!(v >= 0.0 && v < double(classes)) || v != double(qint64(v)))
            return makeError(QStringLiteral("%1[%2] = %3 is not a class index in [0, %4)")
                                 .arg(dataset)
                                 .arg(qint64(i))
                                 .arg(v)
                                 .arg(classes),
                             reader.path());
        out[i] = int(v);
    }
    return {};
}

Expected<QStringList> readStringList(const Hdf5Reader &reader, const QString &dataset,
                                     std::int64_t expected, const QString &what)
{
    if (!reader.hasDataset(dataset))
        return makeError(QStringLiteral("missing dataset %1").arg(dataset), reader.path());
    Expected<QStringList> s = reader.readStrings(dataset);
    if (!s)
        return s.error();
    if (s->size() != expected)
        return makeError(QStringLiteral("%1 has %2 entries, expected %3 (%4)")
                             .arg(dataset)
                             .arg(s->size())
                             .arg(expected)
                             .arg(what),
                         reader.path());
    return s;
}

} // namespace

Expected<ClassPredictions> readClassPredictionsFile(const QString &path)
{
    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    if (!reader)
        return reader.error();
    const QString probabilitiesPath = QStringLiteral("/probabilities");
    if (!reader->hasDataset(probabilitiesPath))
        return makeError(QStringLiteral("missing dataset /probabilities (not the predictions of "
                                        "a classification run?)"),
                         path);
    Expected<Hdf5FloatArray> p = reader->readFloatArray(probabilitiesPath);
    if (!p)
        return p.error();
    if (p->dims.size() != 2 || p->dims[1] < 1)
        return makeError(QStringLiteral("/probabilities is not [cases, classes]"), path);

    ClassPredictions out;
    out.cases = p->dims[0];
    out.classes = int(p->dims[1]);
    out.probabilities = std::move(p->values);
    if (Status s = readClassIndices(*reader, QStringLiteral("/labels"), out.cases, out.classes,
                                    out.labels);
        !s)
        return s.error();
    if (Status s = readClassIndices(*reader, QStringLiteral("/predicted"), out.cases, out.classes,
                                    out.predicted);
        !s)
        return s.error();
    Expected<QStringList> sources = readStringList(*reader, QStringLiteral("/sources"), out.cases,
                                                   QStringLiteral("one per case"));
    if (!sources)
        return sources.error();
    out.sources = std::move(*sources);
    Expected<QStringList> names =
        readStringList(*reader, QStringLiteral("/class_names"), out.classes,
                       QStringLiteral("one per column of /probabilities"));
    if (!names)
        return names.error();
    out.classNames = std::move(*names);
    if (Expected<QString> split =
            reader->stringAttribute(probabilitiesPath, QStringLiteral("split")))
        out.split = *split;
    return out;
}

} // namespace twb
