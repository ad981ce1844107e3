// twb-cli predict for classification runs: class probabilities of every case of a labelled
// data set (a .ts/.arff/.h5 file, an audio folder or manifest), or of sound files without
// labels, with the run's best weights.

#include "PredictClassify.h"
#include "CliCommon.h"
#include "audio/LabelledLoader.h"
#include "data/Hdf5File.h"
#include "runs/AtomicFile.h"
#include "train/ClassifyData.h"
#include "train/ClassifyPipeline.h"

#include <QDir>
#include <QFileInfo>

namespace twb::cli {

int runPredictClassify(const LoadedRun &run, const QString &dataPath, const QString &out,
                       bool unlabelled)
{
    const QString suffix = QFileInfo(out).suffix().toLower();
    const bool csv = suffix == QLatin1String("csv");
    Expected<ClassifySettings> settings = ClassifySettings::fromProvenance(
        run.provenance, QDir(run.dir).filePath(QStringLiteral("config.json")));
    if (!settings)
        return fail("predict", settings.error().toString());
    const LabelledLoadFunction load = [unlabelled](const QString &path,
                                                   const QStringList &classNames, double rate) {
        LabelledLoadOptions options;
        options.classNames = classNames;
        options.sampleRate = rate;
        options.unlabelled = unlabelled;
        return loadLabelled(path, options);
    };
    Expected<std::shared_ptr<ClassifyExamples>> examples =
        prepareClassifyExamples(dataPath, run.config, *settings, load);
    if (!examples)
        return fail("predict", examples.error().toString() +
                                   (unlabelled ? QString()
                                               : QStringLiteral(" (data without labels: add "
                                                                "--unlabelled)")));
    const ClassifyExamples &cases = **examples;
    const std::vector<float> p =
        predictProbabilities(*run.model, cases, std::max<std::int64_t>(run.config.batchSize, 64));
    const std::int64_t n = cases.size(), classes = run.classNames.size();
    const torch::Tensor labels = cases.labels().contiguous();
    std::vector<std::int64_t> truth(labels.data_ptr<std::int64_t>(),
                                    labels.data_ptr<std::int64_t>() + n);
    std::vector<std::int64_t> predicted(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const float *row = p.data() + i * classes;
        predicted[std::size_t(i)] = std::max_element(row, row + classes) - row;
    }
    Status written;
    if (csv) {
        QByteArray text = "source,label,predicted";
        for (const QString &name : run.classNames)
            text += ",p_" + csvField(name).toUtf8();
        text += '\n';
        for (std::int64_t i = 0; i < n; ++i) {
            const std::int64_t label = truth[std::size_t(i)]; // -1: unlabelled
            text += csvField(cases.sources()[qsizetype(i)]).toUtf8() + ',' +
                    csvField(label >= 0 ? run.classNames[qsizetype(label)] : QString()).toUtf8() +
                    ',' + csvField(run.classNames[qsizetype(predicted[std::size_t(i)])]).toUtf8();
            for (std::int64_t c = 0; c < classes; ++c)
                text += ',' + QByteArray::number(p[std::size_t(i * classes + c)], 'g', 7);
            text += '\n';
        }
        written = writeFileAtomically(out, text);
    } else {
        Expected<Hdf5Writer> writer = Hdf5Writer::create(out);
        if (!writer)
            return fail("predict", writer.error().toString());
        written = writer->writeFloats(QStringLiteral("/probabilities"), p.data(), {n, classes});
        if (written)
            written = writer->writeInt64s(QStringLiteral("/labels"), truth.data(), {n});
        if (written)
            written = writer->writeInt64s(QStringLiteral("/predicted"), predicted.data(), {n});
        if (written)
            written = writer->writeStrings(QStringLiteral("/sources"), cases.sources());
        if (written)
            written = writer->writeStrings(QStringLiteral("/class_names"), run.classNames);
        if (written)
            written = writer->commit();
    }
    if (!written)
        return fail("predict", written.error().toString());
    std::fprintf(stderr, "twb-cli predict: %lld case(s) x %lld classes written to %s\n",
                 qlonglong(n), qlonglong(classes), out.toUtf8().constData());
    return ExitOk;
}

} // namespace twb::cli
