#pragma once

#include "ClassifyData.h"
#include "TaskPipeline.h"
#include "runs/ClassificationMetrics.h"

#include <optional>

namespace twb {

/// Classification: labelled cases (ClassifyData), cross-entropy on logits, test metrics
/// (ClassificationMetrics) and predictions.h5 with the class probabilities of every test case.
///
/// predictions.h5 (h5py-readable):
///   /probabilities  float32 [cases, classes]   softmax of the logits
///   /labels         int64 [cases]              true class
///   /predicted      int64 [cases]              arg max
///   /sources        strings [cases]            file or file:line of each case
///   /class_names    strings [classes]
///   attributes of /probabilities: "split" = "test", "task" = "classify"
class ClassifyPipeline : public TaskPipeline
{
public:
    /// `load` replaces twb_audio's loadLabelled (tests); empty = the default.
    explicit ClassifyPipeline(LabelledLoadFunction load = {});

    /// A resumed run keeps step masks on or off as it started (trainedWithStepMasks).
    void continueRun(const QJsonObject &savedProvenance) override;
    Status prepare(TrainConfig &config, const Note &note) override;
    QString dataFingerprint() const override;
    Expected<CreatedModel> createModel(const ModelPlugin &plugin,
                                       const TrainConfig &config) const override;
    std::shared_ptr<const ExampleSet> trainSet() const override;
    std::int64_t testSize() const override
    {
        return m_data && m_data->test ? m_data->test->size() : 0;
    }
    std::shared_ptr<const ExampleSet> validationSet() const override;
    LossKind loss() const override { return LossKind::CrossEntropy; }
    QJsonObject dataProvenance() const override;
    QString describe() const override;
    QJsonObject startSummary() const override;
    Expected<TestOutcome> evaluate(Model &model, const TrainConfig &config, const RunStore &store,
                                   ProcessGroup *group = nullptr) const override;

private:
    LabelledLoadFunction m_load;
    bool m_stepMasks = true; // new runs use them
    std::optional<ClassifyData> m_data;
    QString m_dataPath;
    /// --train-fraction: the training cases kept (stratified, seeded) and their provenance;
    /// null / empty when every case trains.
    std::shared_ptr<const ExampleSet> m_trainSubset;
    QJsonObject m_fraction;
};

/// Class probabilities [cases, classes] (row-major) of every example, in order: eval mode, no
/// gradient, batches of `batchSize`, the last partial batch kept. The model's training mode is
/// restored afterwards. With a group (a collective), the ranks share the work (predictAll).
std::vector<float> predictProbabilities(Model &model, const ExampleSet &examples,
                                        std::int64_t batchSize, ProcessGroup *group = nullptr);

} // namespace twb
