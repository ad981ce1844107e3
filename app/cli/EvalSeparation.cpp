#include "EvalSeparation.h"
#include "CliCommon.h"
#include "train/SeparationData.h"
#include "train/SeparationEvaluation.h"

#include <QJsonArray>
#include <QJsonObject>

namespace twb::cli {

namespace {

QJsonArray row(const torch::Tensor &values, std::int64_t i)
{
    QJsonArray out;
    for (std::int64_t s = 0; s < values.size(1); ++s)
        out.append(values[i][s].item<double>());
    return out;
}

} // namespace

int runEvalSeparation(const LoadedRun &run, const QString &splitName, const QString &dataPath,
                      bool json)
{
    std::shared_ptr<const MixtureExamples> examples;
    QString what = splitName;
    // loadRun checked the provenance (separationShape), so this cannot fail here.
    const SeparationShape shape = *separationShape(run.provenance, run.dir);
    if (!dataPath.isEmpty()) {
        Expected<std::shared_ptr<MixtureExamples>> other =
            mixturesOfData(dataPath, run.config, shape.sampleRate, shape.length);
        if (!other)
            return fail("eval", other.error().toString());
        examples = *other;
        what = dataPath;
    } else {
        Expected<SeparationData> data = prepareSeparationData(run.config);
        if (!data)
            return fail("eval", data.error().toString());
        warnIfDataChanged("eval", run.config.dataPath, data->fingerprint, run.provenance);
        examples = splitName == QLatin1String("train") ? data->train
                   : splitName == QLatin1String("val") ? data->validation
                                                       : data->test;
    }
    const SeparationEvaluation result =
        evaluateSeparation(*run.model, *examples, std::max<std::int64_t>(run.config.batchSize, 16));
    QJsonObject summary = result.summary();
    if (json) {
        QJsonArray perMixture;
        const torch::Tensor improvement = result.siSnrImprovement();
        for (std::int64_t i = 0; i < examples->size(); ++i)
            perMixture.append(QJsonObject{{QStringLiteral("sources"), examples->describe(i)},
                                          {QStringLiteral("si_snr"), row(result.siSnr, i)},
                                          {QStringLiteral("si_snri"), row(improvement, i)},
                                          {QStringLiteral("sdr"), row(result.sdr, i)}});
        summary[QStringLiteral("per_mixture")] = perMixture;
        summary[QStringLiteral("part")] = what;
        printJson(summary);
        return ExitOk;
    }
    printText(QStringLiteral("%1 %2 (%3 mixtures of %4 sources): %5\n")
                  .arg(run.dir, what)
                  .arg(examples->size())
                  .arg(examples->sources())
                  .arg(describeSeparationSummary(summary)));
    return ExitOk;
}

} // namespace twb::cli
