#include "ForwardTrace.h"

#include "common/Errors.h"
#include "common/WholeNumber.h"
#include "data/Hdf5File.h"

#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb::explain {

namespace {

const QString kFormat = QStringLiteral("twb-forward");

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString stageGroup(int index, const std::string &name)
{
    return QStringLiteral("/stages/%1_%2").arg(index, 3, 10, QLatin1Char('0')).arg(qs(name));
}

Status writeStage(Hdf5Writer &w, const QString &group, const ForwardStage &stage)
{
    Status s = w.writeFloats(group + QStringLiteral("/preview"), stage.preview.data(),
                             {stage.rows, stage.cols});
    if (s)
        s = w.writeInt64s(group + QStringLiteral("/shape"), stage.shape.data(),
                          {std::int64_t(stage.shape.size())});
    if (s)
        s = w.setAttribute(group, QStringLiteral("name"), qs(stage.name));
    const std::pair<const char *, double> numbers[] = {
        {"min", stage.min}, {"max", stage.max}, {"mean", stage.mean}, {"std", stage.std}};
    for (const auto &[key, value] : numbers)
        if (s)
            s = w.setAttribute(group, QLatin1String(key), value);
    if (s)
        s = w.setAttribute(group, QStringLiteral("row_stride"), std::int64_t(stage.rowStride));
    if (s)
        s = w.setAttribute(group, QStringLiteral("col_stride"), std::int64_t(stage.colStride));
    return s;
}

Expected<ForwardStage> readStage(const Hdf5Reader &r, const QString &group)
{
    const auto fail = [&](const QString &reason) {
        return Error{reason, r.path(), 0};
    };
    ForwardStage stage;
    Expected<Hdf5FloatArray> preview = r.readFloatArray(group + QStringLiteral("/preview"));
    if (!preview)
        return preview.error();
    if (preview->dims.size() != 2)
        return fail(QStringLiteral("%1/preview is not 2-D").arg(group));
    stage.rows = int(preview->dims[0]);
    stage.cols = int(preview->dims[1]);
    stage.preview = std::move(preview->values);
    Expected<Hdf5Array> shape = r.readArray(group + QStringLiteral("/shape"));
    if (!shape)
        return shape.error();
    if (shape->dims.size() != 1 || shape->values.empty())
        return fail(QStringLiteral("%1/shape is not a list of axis lengths").arg(group));
    for (double v : shape->values)
        stage.shape.push_back(wholeNumberOr(v, 0));
    Expected<QString> name = r.stringAttribute(group, QStringLiteral("name"));
    if (!name)
        return name.error();
    stage.name = name->toStdString();
    const std::pair<const char *, double ForwardStage::*> numbers[] = {
        {"min", &ForwardStage::min},
        {"max", &ForwardStage::max},
        {"mean", &ForwardStage::mean},
        {"std", &ForwardStage::std}};
    for (const auto &[key, member] : numbers) {
        Expected<double> value = r.numberAttribute(group, QLatin1String(key));
        if (!value)
            return value.error();
        stage.*member = *value;
    }
    Expected<double> rowStride = r.numberAttribute(group, QStringLiteral("row_stride"));
    Expected<double> colStride = r.numberAttribute(group, QStringLiteral("col_stride"));
    stage.rowStride = rowStride ? int(*rowStride) : 1;
    stage.colStride = colStride ? int(*colStride) : 1;
    return stage;
}

Status checkStage(const QString &path, const ForwardStage &stage)
{
    const auto fail = [&](const QString &reason) {
        return Status(Error{reason, path, 0});
    };
    if (stage.name.empty() || stage.name.find('/') != std::string::npos)
        return fail(
            QStringLiteral("the stage name \"%1\" is empty or has a '/'").arg(qs(stage.name)));
    if (stage.shape.empty())
        return fail(QStringLiteral("stage %1 has no shape").arg(qs(stage.name)));
    if (stage.rows < 1 || stage.cols < 1 ||
        stage.preview.size() != std::size_t(stage.rows) * std::size_t(stage.cols))
        return fail(QStringLiteral("stage %1 has a preview of %2 values for %3 x %4")
                        .arg(qs(stage.name))
                        .arg(stage.preview.size())
                        .arg(stage.rows)
                        .arg(stage.cols));
    return Status::ok();
}

/// `list` as GROUP/names (strings [n]), GROUP/shapes (int64 [n, max rank], padded with -1),
/// GROUP/counts (int64 [n]) and GROUP@total; nothing when the list is empty.
Status writeTensorList(Hdf5Writer &w, const QString &group,
                       const std::vector<ForwardParameter> &list, std::int64_t total)
{
    const std::int64_t n = std::int64_t(list.size());
    if (n == 0)
        return Status::ok();
    QStringList names;
    std::vector<std::int64_t> counts;
    std::size_t rank = 1;
    for (const ForwardParameter &p : list)
        rank = std::max(rank, p.shape.size());
    std::vector<std::int64_t> shapes(std::size_t(n) * rank, -1);
    for (std::size_t i = 0; i < list.size(); ++i) {
        names << qs(list[i].name);
        counts.push_back(list[i].count);
        std::copy(list[i].shape.begin(), list[i].shape.end(),
                  shapes.begin() + std::ptrdiff_t(i * rank));
    }
    Status s = w.writeStrings(group + QStringLiteral("/names"), names);
    if (s)
        s = w.writeInt64s(group + QStringLiteral("/shapes"), shapes.data(),
                          {n, std::int64_t(rank)});
    if (s)
        s = w.writeInt64s(group + QStringLiteral("/counts"), counts.data(), {n});
    if (s)
        s = w.setAttribute(group, QStringLiteral("total"), total);
    return s;
}

/// The list writeTensorList() wrote; an absent group leaves `list` empty and `total` 0.
Status readTensorList(const Hdf5Reader &r, const QString &group,
                      std::vector<ForwardParameter> &list, std::int64_t &total)
{
    if (!r.hasDataset(group + QStringLiteral("/names")))
        return Status::ok();
    Expected<QStringList> names = r.readStrings(group + QStringLiteral("/names"));
    if (!names)
        return names.error();
    Expected<Hdf5Array> shapes = r.readArray(group + QStringLiteral("/shapes"));
    if (!shapes)
        return shapes.error();
    Expected<Hdf5Array> counts = r.readArray(group + QStringLiteral("/counts"));
    if (!counts)
        return counts.error();
    const qsizetype n = names->size();
    if (shapes->dims.size() != 2 || shapes->dims[0] != n || counts->dims.size() != 1 ||
        counts->dims[0] != n)
        return makeError(
            QStringLiteral("%1/names, shapes and counts have different lengths").arg(group),
            r.path());
    const std::size_t rank = std::size_t(shapes->dims[1]);
    for (qsizetype i = 0; i < n; ++i) {
        ForwardParameter p;
        p.name = names->at(i).toStdString();
        for (std::size_t k = 0; k < rank; ++k) {
            const double d = shapes->values[std::size_t(i) * rank + k];
            if (d < 0)
                break;
            p.shape.push_back(wholeNumberOr(d, 0));
        }
        p.count = wholeNumberOr(counts->values[std::size_t(i)], 0);
        list.push_back(std::move(p));
    }
    Expected<double> value = r.numberAttribute(group, QStringLiteral("total"));
    if (!value)
        return value.error();
    total = wholeNumberOr(*value, 0);
    return Status::ok();
}

} // namespace

std::int64_t ForwardStage::elementCount() const
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList parts;
    for (std::int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

ForwardStage makeForwardStage(const std::string &name, const std::vector<std::int64_t> &shape,
                              const float *values, int maxSide)
{
    ForwardStage stage;
    stage.name = name;
    stage.shape = shape.empty() ? std::vector<std::int64_t>{1} : shape;
    const std::int64_t n = stage.elementCount();

    double sum = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    std::int64_t finite = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        sum += v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        ++finite;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    stage.mean = finite > 0 ? sum / double(finite) : nan;
    double squares = 0.0;
    for (std::int64_t i = 0; i < n; ++i)
        if (std::isfinite(values[i]))
            squares += (values[i] - stage.mean) * (values[i] - stage.mean);
    stage.std = finite > 0 ? std::sqrt(squares / double(finite)) : nan;
    stage.min = finite > 0 ? lo : nan;
    stage.max = finite > 0 ? hi : nan;

    // The slice [0, ..., 0, :, :] starts at element 0; its rows are the second-last axis.
    const std::size_t rank = stage.shape.size();
    const std::int64_t sliceRows = rank >= 2 ? stage.shape[rank - 2] : 1;
    const std::int64_t sliceCols = stage.shape[rank - 1];
    const std::int64_t cap = std::max(1, maxSide);
    stage.rowStride = int((sliceRows + cap - 1) / cap);
    stage.colStride = int((sliceCols + cap - 1) / cap);
    stage.rowStride = std::max(1, stage.rowStride);
    stage.colStride = std::max(1, stage.colStride);
    stage.rows = int((sliceRows + stage.rowStride - 1) / stage.rowStride);
    stage.cols = int((sliceCols + stage.colStride - 1) / stage.colStride);
    if (n == 0) {
        stage.rows = stage.cols = 1;
        stage.preview.assign(1, float(nan));
        return stage;
    }
    stage.preview.reserve(std::size_t(stage.rows) * std::size_t(stage.cols));
    for (int r = 0; r < stage.rows; ++r)
        for (int c = 0; c < stage.cols; ++c)
            stage.preview.push_back(values[std::int64_t(r) * stage.rowStride * sliceCols +
                                           std::int64_t(c) * stage.colStride]);
    return stage;
}

Status writeForwardFile(const QString &path, const ForwardTrace &trace)
{
    if (trace.stages.empty())
        return Error{QStringLiteral("a forward-pass file needs at least one stage"), path, 0};
    for (const ForwardStage &stage : trace.stages)
        if (Status s = checkStage(path, stage); !s)
            return s;
    if (Status s = checkStage(path, trace.prediction); !s)
        return s;

    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    Hdf5Writer &w = *writer;
    QStringList names;
    Status s;
    for (std::size_t i = 0; s && i < trace.stages.size(); ++i) {
        s = writeStage(w, stageGroup(int(i), trace.stages[i].name), trace.stages[i]);
        names << qs(trace.stages[i].name);
    }
    const QString stages = QStringLiteral("/stages");
    if (s)
        s = w.setAttribute(stages, QStringLiteral("names"), names);
    if (s)
        s = w.setAttribute(stages, QStringLiteral("count"), std::int64_t(names.size()));
    if (s)
        s = writeStage(w, QStringLiteral("/prediction"), trace.prediction);

    if (s)
        s = writeTensorList(w, QStringLiteral("/parameters"), trace.parameters,
                            trace.totalParameters);
    if (s)
        s = writeTensorList(w, QStringLiteral("/buffers"), trace.buffers, trace.totalBuffers);
    const QString root = QStringLiteral("/");
    if (s)
        s = w.setAttribute(root, QStringLiteral("format"), kFormat);
    if (s)
        s = w.setAttribute(root, QStringLiteral("model"), qs(trace.modelId));
    if (s)
        s = w.setAttribute(root, QStringLiteral("run"), qs(trace.runDir));
    if (s)
        s = w.setAttribute(root, QStringLiteral("sample_label"), qs(trace.sampleLabel));
    if (s)
        s = w.setAttribute(root, QStringLiteral("sample_index"), trace.sampleIndex);
    if (s)
        s = w.commit();
    return s;
}

Expected<ForwardTrace> readForwardFile(const QString &path)
{
    const auto fail = [&](const QString &reason) {
        return Error{reason, path, 0};
    };
    if (!QFileInfo(path).isFile())
        return fail(QStringLiteral("no such file"));
    if (!isHdf5File(path))
        return fail(QStringLiteral("not an HDF5 file, so not a forward-pass file"));
    Expected<Hdf5Reader> opened = Hdf5Reader::open(path);
    if (!opened)
        return opened.error();
    const Hdf5Reader &r = *opened;
    const QString root = QStringLiteral("/");
    Expected<QString> format = r.stringAttribute(root, QStringLiteral("format"));
    if (!format || *format != kFormat)
        return fail(QStringLiteral("not a forward-pass file (no @format \"twb-forward\")"));

    ForwardTrace trace;
    const auto text = [&](const char *name) -> std::string {
        Expected<QString> value = r.stringAttribute(root, QLatin1String(name));
        return value ? value->toStdString() : std::string();
    };
    trace.modelId = text("model");
    trace.runDir = text("run");
    trace.sampleLabel = text("sample_label");
    Expected<double> index = r.numberAttribute(root, QStringLiteral("sample_index"));
    trace.sampleIndex = index ? wholeNumberOr(*index, 0) : 0;

    Expected<QStringList> names =
        r.stringListAttribute(QStringLiteral("/stages"), QStringLiteral("names"));
    if (!names)
        return names.error();
    if (names->isEmpty())
        return fail(QStringLiteral("the file lists no stages"));
    for (qsizetype i = 0; i < names->size(); ++i) {
        const QString group = stageGroup(int(i), names->at(i).toStdString());
        if (!r.hasDataset(group + QStringLiteral("/preview")))
            return fail(QStringLiteral("stage %1 (%2) is missing").arg(i).arg(names->at(i)));
        Expected<ForwardStage> stage = readStage(r, group);
        if (!stage)
            return stage.error();
        trace.stages.push_back(std::move(*stage));
    }
    if (!r.hasDataset(QStringLiteral("/prediction/preview")))
        return fail(QStringLiteral("the prediction is missing"));
    Expected<ForwardStage> prediction = readStage(r, QStringLiteral("/prediction"));
    if (!prediction)
        return prediction.error();
    trace.prediction = std::move(*prediction);

    if (Status st = readTensorList(r, QStringLiteral("/parameters"), trace.parameters,
                                   trace.totalParameters);
        !st)
        return st.error();
    if (Status st =
            readTensorList(r, QStringLiteral("/buffers"), trace.buffers, trace.totalBuffers);
        !st)
        return st.error();
    return trace;
}

} // namespace twb::explain
