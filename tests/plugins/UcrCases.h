#pragma once

// UCR/UEA cases from ../shared/data as tensors, for the tests of the classifiers fitted in one
// pass (MiniRocket, 1-NN DTW) on real data.

#include "common/ModelSpec.h"
#include "data/TsLoader.h"

#include <QTest>

#include <torch/torch.h>

#include <cstdint>
#include <cstring>

namespace twb::test {

/// A .ts file's equal-length cases: x [N, T, C] float32, y [N] int64.
struct UcrCases
{
    torch::Tensor x;
    torch::Tensor y;
    QStringList classNames;
};

/// Loads `file` (relative to the shared data folder) with `classNames` (empty: the file's own).
/// A failure is reported through QVERIFY2 and leaves x undefined.
inline UcrCases loadUcr(const QString &file, const QStringList &classNames = {})
{
    UcrCases out;
    TsLoadOptions options;
    options.classNames = classNames;
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/") + file;
    Expected<LabelledDataset> data = loadTs(path, options);
    [&] {
        QVERIFY2(data.hasValue(), qPrintable(path));
    }();
    if (!data)
        return out;
    const std::int64_t n = data->size(), t = data->maxLength(), c = data->channels();
    [&] {
        QVERIFY2(data->equalLength(), qPrintable(path));
    }();
    out.x = torch::empty({n, t, c});
    out.y = torch::empty({n}, torch::kLong);
    for (std::int64_t i = 0; i < n; ++i) {
        const LabelledCase &item = data->cases[std::size_t(i)];
        std::memcpy(out.x[i].data_ptr<float>(), item.values.data(),
                    sizeof(float) * std::size_t(t * c));
        out.y[i] = item.label;
    }
    out.classNames = data->classNames;
    return out;
}

/// A UCR/UEA set's own split: `name`/`name`_TRAIN.ts and _TEST.ts under ucr/, the test file
/// read with the training file's classes. A failure is reported through QVERIFY2 and leaves the
/// tensors undefined.
struct UcrSplit
{
    UcrCases train;
    UcrCases test;
    bool loaded() const { return train.x.defined() && test.x.defined(); }
};

inline UcrSplit loadUcrSplit(const QString &name)
{
    UcrSplit split;
    const QString stem = QStringLiteral("ucr/%1/%1").arg(name);
    split.train = loadUcr(stem + QStringLiteral("_TRAIN.ts"));
    if (split.train.x.defined())
        split.test = loadUcr(stem + QStringLiteral("_TEST.ts"), split.train.classNames);
    return split;
}

/// The spec of a classifier of `classes` classes over cases of `length` steps × `channels`.
inline ModelSpec classifySpec(std::int64_t length, std::int64_t channels, std::int64_t classes)
{
    ModelSpec spec;
    spec.task = Task::Classify;
    spec.lookback = length;
    spec.channels = channels;
    spec.numClasses = classes;
    return spec;
}

/// The share of rows of `logits` [N, K] whose argmax is `labels` [N].
inline double accuracy(const torch::Tensor &logits, const torch::Tensor &labels)
{
    return logits.argmax(1).eq(labels).to(torch::kDouble).mean().item<double>();
}

} // namespace twb::test
