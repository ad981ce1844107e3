#pragma once

#include "ForecastData.h"
#include "TaskPipeline.h"
#include "nn/MaskingScheme.h"

#include <memory>
#include <optional>

namespace twb {

/// Self-supervised pretraining (task "pretrain"): masked reconstruction of windows of a series,
/// without labels. The series is read and split like forecasting (ForecastData, horizon 0,
/// scaler fitted on the training rows): the windows of the training part train, those of the
/// validation part choose the best epoch, those of the test part are scored once at the end.
/// Pretraining therefore never sees the rows a fine-tuned forecaster of the same file is
/// tested on. lookback 0 = 512 (PatchTST's self-supervised setting).
///
/// The model is created for Task::Reconstruct with the plugin's taskDefaults(Reconstruct) under
/// the given hyperparameters; its maskingScheme() decides the masks (MaskedWindows), and the
/// loss is the MSE over the hidden values alone. The test metrics: "masked_mse" (normalised
/// scale, hidden values), "hidden_fraction", "windows". No predictions.h5.
class PretrainPipeline : public TaskPipeline
{
public:
    PretrainPipeline();

    Status prepare(TrainConfig &config, const Note &note) override;
    QString dataFingerprint() const override { return m_fingerprint; }
    /// Also fixes the masking scheme the example sets use (the model's).
    Expected<CreatedModel> createModel(const ModelPlugin &plugin,
                                       const TrainConfig &config) const override;
    std::shared_ptr<const ExampleSet> trainSet() const override { return m_train; }
    std::shared_ptr<const ExampleSet> validationSet() const override { return m_validation; }
    std::int64_t testSize() const override { return m_test ? m_test->size() : 0; }
    LossKind loss() const override { return LossKind::MaskedMeanSquaredError; }
    QJsonObject dataProvenance() const override;
    QString describe() const override;
    QJsonObject startSummary() const override;
    Expected<TestOutcome> evaluate(Model &model, const TrainConfig &config, const RunStore &store,
                                   ProcessGroup *group = nullptr) const override;

    /// The lookback pretraining uses when none is given.
    static constexpr std::int64_t defaultLookback = 512;

private:
    std::optional<ForecastData> m_data;
    /// Filled by createModel (from the model), read by the example sets.
    std::shared_ptr<std::optional<MaskingScheme>> m_scheme;
    std::shared_ptr<const ExampleSet> m_train;
    std::shared_ptr<const ExampleSet> m_validation;
    std::shared_ptr<const ExampleSet> m_test;
    QString m_fingerprint;
    QString m_dataPath;
    QJsonObject m_fraction; ///< provenance of --train-fraction (empty when 1)
};

} // namespace twb
