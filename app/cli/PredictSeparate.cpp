#include "PredictSeparate.h"
#include "CliCommon.h"
#include "audio/AudioReader.h"
#include "audio/AudioWriter.h"
#include "audio/LabelledLoader.h"
#include "nn/Model.h"
#include "train/SeparationData.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace twb::cli {

namespace {

/// The sound files `dataPath` names: itself, or the sound files in the folder (sorted).
QStringList mixtureFiles(const QString &dataPath)
{
    const QFileInfo info(dataPath);
    if (!info.isDir())
        return {dataPath};
    QStringList files;
    const QDir dir(dataPath);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        if (isSoundFileName(name))
            files << dir.filePath(name);
    return files;
}

} // namespace

int runPredictSeparate(const LoadedRun &run, const QString &dataPath, const QString &out)
{
    const double rate = separationShape(run.provenance, run.dir)->sampleRate; // loadRun checked
    const QStringList files = mixtureFiles(dataPath);
    if (files.isEmpty())
        return fail("predict", QStringLiteral("%1: no sound files to separate").arg(dataPath));
    if (QFileInfo(out).exists() && !QFileInfo(out).isDir())
        return fail("predict", QStringLiteral("%1: --out must be a folder for a separation run "
                                              "(it receives NAME_source1.wav ...)")
                                   .arg(out));
    if (!QDir().mkpath(out))
        return fail("predict", QStringLiteral("%1: cannot create the folder").arg(out));
    AudioReadOptions options;
    options.targetRate = rate;
    torch::NoGradGuard noGrad;
    run.model->eval();
    std::int64_t written = 0;
    for (const QString &file : files) {
        Expected<AudioClip> clip = readAudio(file, options);
        if (!clip)
            return fail("predict", clip.error().toString());
        if (clip->samples.empty())
            return fail("predict", QStringLiteral("%1: no samples").arg(file));
        const torch::Tensor mixture =
            torch::from_blob(clip->samples.data(), {1, clip->frames(), 1}, torch::kFloat32);
        torch::Tensor sources;
        try {
            sources = run.model->forward(mixture).prediction[0].contiguous(); // [S, T]
        } catch (const std::exception &e) {
            return fail("predict", QStringLiteral("%1: the model cannot separate it: %2")
                                       .arg(file, QString::fromUtf8(e.what())));
        }
        const QString stem = QFileInfo(file).completeBaseName();
        for (std::int64_t s = 0; s < sources.size(0); ++s) {
            const float *p = sources[s].data_ptr<float>();
            const std::vector<float> samples(p, p + sources.size(1));
            const QString path =
                QDir(out).filePath(QStringLiteral("%1_source%2.wav").arg(stem).arg(s + 1));
            if (Status st = writeWavFloat(path, samples, rate); !st)
                return fail("predict", st.error().toString());
            ++written;
        }
    }
    std::fprintf(stderr, "twb-cli predict: %lld source(s) of %lld mixture(s) written to %s\n",
                 qlonglong(written), qlonglong(files.size()), out.toUtf8().constData());
    return ExitOk;
}

} // namespace twb::cli
