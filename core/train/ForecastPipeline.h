#pragma once

#include "ForecastData.h"
#include "TaskPipeline.h"

#include <optional>

namespace twb {

/// Forecasting: a series split chronologically into lookback/horizon windows (ForecastData),
/// MSE on the normalised scale, test metrics on both scales, predictions.h5 with the windows.
class ForecastPipeline : public TaskPipeline
{
public:
    Status prepare(TrainConfig &config, const Note &note) override;
    QString dataFingerprint() const override;
    Expected<CreatedModel> createModel(const ModelPlugin &plugin,
                                       const TrainConfig &config) const override;
    std::shared_ptr<const ExampleSet> trainSet() const override { return m_train; }
    std::shared_ptr<const ExampleSet> validationSet() const override { return m_validation; }
    std::int64_t testSize() const override { return m_data ? m_data->test.size() : 0; }
    LossKind loss() const override { return LossKind::MeanSquaredError; }
    std::int64_t scoredChannel() const override { return m_target; }
    QJsonObject dataProvenance() const override;
    QString describe() const override;
    QJsonObject startSummary() const override;
    Expected<TestOutcome> evaluate(Model &model, const TrainConfig &config, const RunStore &store,
                                   ProcessGroup *group = nullptr) const override;

private:
    std::optional<ForecastData> m_data;
    std::shared_ptr<const ExampleSet> m_train;
    std::shared_ptr<const ExampleSet> m_validation;
    QString m_fingerprint;
    QString m_dataPath;
    std::int64_t m_target = -1; ///< index of config.target among the channels, -1 = none
    QJsonObject m_fraction;     ///< provenance of --train-fraction (empty when 1)
};

} // namespace twb
