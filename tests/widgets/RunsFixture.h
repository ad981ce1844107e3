#pragma once

// Run folders of a workspace as twb-cli writes them, shared by the runs view, workspace and
// controller tests: finished and running forecasting runs with metrics, a finished
// classification run, and (writeWorkspace) a workspace of four runs, one of them broken.

#include "runs/RunStore.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTest>

#include <cmath>

namespace twb::test {

struct RunSpec
{
    QString name;
    QString model;
    double testMse; ///< NaN: still running
    int epochs;
    QString start;
    QString split = {}; ///< config.json "split"; empty: not written
};

/// A forecasting run: train loss 1/e and validation loss 1.5/e at epoch e.
inline void writeRun(const QString &workspace, const RunSpec &spec)
{
    twb::Expected<twb::RunStore> store = twb::RunStore::create(QDir(workspace).filePath(spec.name));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    QJsonObject config{{"data", "/data/ett/ETTh1.csv"},
                       {"task", "forecast"},
                       {"model", spec.model},
                       {"lookback", 336},
                       {"horizon", 96},
                       {"epochs", 10},
                       {"batch-size", 32},
                       {"lr", 0.0001},
                       {"hyperparameters", QJsonObject{{"d_model", 16}, {"individual", false}}},
                       {"provenance", QJsonObject{{"start_time", spec.start}}}};
    if (!spec.split.isEmpty())
        config.insert("split", spec.split);
    QVERIFY(store->writeConfig(config));
    for (int e = 1; e <= spec.epochs; ++e) {
        twb::EpochRecord r;
        r.epoch = e;
        r.trainLoss = 1.0 / e;
        r.valLoss = 1.5 / e;
        r.best = true;
        QVERIFY(store->appendEpoch(r));
    }
    if (std::isnan(spec.testMse)) {
        QVERIFY(store->writeStatus(twb::RunState::Running, QString()));
    } else {
        const QJsonObject test{{"mse", spec.testMse},
                               {"mae", spec.testMse + 0.02},
                               {"mse_original", spec.testMse * 10},
                               {"mae_original", 1.0},
                               {"windows", 2785}};
        QVERIFY(store->writeStatus(twb::RunState::Finished, QString(),
                                   {{"best_epoch", spec.epochs}, {"test", test}}));
    }
}

/// A finished classification run (status.json as twb-cli writes it), with long names.
inline void writeClassifyRun(const QString &workspace, const QString &name)
{
    twb::Expected<twb::RunStore> store = twb::RunStore::create(QDir(workspace).filePath(name));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    const QJsonObject config{
        {"data", "/very/long/folder/of/the/ucr/archive/GunPoint/GunPoint_TRAIN.ts"},
        {"task", "classify"},
        {"model", "tst"},
        {"lookback", 0},
        {"horizon", 0},
        {"epochs", 100},
        {"batch-size", 8},
        {"lr", 0.001},
        {"hyperparameters",
         QJsonObject{{"d_model", 64}, {"d_ff", 256}, {"n_heads", 8}, {"norm", "batch"}}},
        {"provenance", QJsonObject{{"start_time", "2026-01-06T10:00:00.000Z"}}}};
    QVERIFY(store->writeConfig(config));
    const QJsonObject test{{"accuracy", 0.9533333333333334},
                           {"balanced_accuracy", 0.95288},
                           {"macro_f1", 0.9532314818939023},
                           {"log_loss", 0.163},
                           {"examples", 150}};
    QVERIFY(store->writeStatus(twb::RunState::Finished, QString(),
                               {{"best_epoch", 89}, {"test", test}}));
}

/// A finished separation run (status.json's "test" as twb-cli writes it for --task separate).
inline void writeSeparateRun(const QString &workspace, const QString &name, double siSnri)
{
    twb::Expected<twb::RunStore> store = twb::RunStore::create(QDir(workspace).filePath(name));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    const QJsonObject config{
        {"data", "/data/fsdd/recordings"},
        {"task", "separate"},
        {"model", "convtasnet"},
        {"lookback", 0},
        {"horizon", 0},
        {"epochs", 20},
        {"batch-size", 8},
        {"lr", 0.001},
        {"sources", 2},
        {"test-glob", "*_[0-4].wav"},
        {"hyperparameters", QJsonObject{{"filters", 64}}},
        {"provenance", QJsonObject{{"start_time", "2026-01-07T10:00:00.000Z"}}}};
    QVERIFY(store->writeConfig(config));
    const QJsonObject test{{"si_snr", siSnri - 0.25}, {"si_snri", siSnri}, {"sdr", siSnri + 0.5},
                           {"sdri", siSnri + 0.2},    {"mixtures", 500},   {"sources", 2}};
    QVERIFY(store->writeStatus(twb::RunState::Finished, QString(),
                               {{"best_epoch", 17}, {"test", test}}));
}

/// Runs a-dlinear (finished, 3 epochs, test MSE 0.377), b-patchtst (finished, 5 epochs, 0.370),
/// c-itransformer (running, 2 epochs), d-broken (config.json cut short) and a folder "notes"
/// without config.json (not a run).
inline void writeWorkspace(const QString &workspace)
{
    writeRun(workspace, {"a-dlinear", "dlinear", 0.377, 3, "2026-01-02T10:00:00.000Z"});
    writeRun(workspace, {"b-patchtst", "patchtst", 0.370, 5, "2026-01-01T10:00:00.000Z"});
    writeRun(workspace,
             {"c-itransformer", "itransformer", std::nan(""), 2, "2026-01-03T10:00:00.000Z"});
    QDir(workspace).mkpath("d-broken");
    QFile broken(QDir(workspace).filePath("d-broken/config.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"model\": \"dlinear\",");
    broken.close();
    QDir(workspace).mkpath("notes"); // no config.json: not a run
}

} // namespace twb::test
