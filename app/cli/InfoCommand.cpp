// twb-cli info [--json]: versions, the CPU, and the BLAS library LibTorch's products run on —
// its kernel set ("core"), its threads, and what start-up chose and why (core/blas).

#include "CliCommon.h"
#include "blas/BlasStartup.h"
#include "train/Environment.h"

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdlib>

namespace twb::cli {

namespace {

/// /proc/cpuinfo's "model name" (empty when it cannot be read).
QString cpuModelName()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (!cpuinfo.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QRegularExpression pattern(QStringLiteral("^model name\\s*:\\s*(.*)$"),
                                     QRegularExpression::MultilineOption);
    return pattern.match(QString::fromLatin1(cpuinfo.readAll())).captured(1).trimmed();
}

QJsonObject infoJson()
{
    const blas::BlasStartupReport &r = blas::blasStartupReport();
    const char *coretype = std::getenv("OPENBLAS_CORETYPE");
    QJsonObject cpu{{QStringLiteral("name"), cpuModelName()},
                    {QStringLiteral("vendor"), qs(r.cpu.vendor)},
                    {QStringLiteral("family"), r.cpu.family},
                    {QStringLiteral("model"), r.cpu.model},
                    {QStringLiteral("features"), qs(r.cpu.describe())},
                    {QStringLiteral("allows_haswell"), r.cpu.allowsHaswell()},
                    {QStringLiteral("allows_skylakex"), r.cpu.allowsSkylakeX()},
                    {QStringLiteral("physical_cores"), physicalCoreCount()}};
    QJsonObject blasInfo{
        {QStringLiteral("library"), qs(r.runtime.library)},
        {QStringLiteral("openblas"), r.runtime.isOpenBlas},
        {QStringLiteral("config"), qs(r.runtime.config)},
        {QStringLiteral("core"), qs(r.runtime.core)},
        {QStringLiteral("detected_core"), qs(r.detectedCore)},
        {QStringLiteral("threads"), r.runtime.threads},
        {QStringLiteral("outcome"), QString::fromLatin1(outcomeName(r.outcome))},
        {QStringLiteral("reason"), qs(r.reason)},
        {QStringLiteral("self_check"), qs(r.selfCheck)},
        {QStringLiteral("openblas_coretype"),
         coretype ? QJsonValue(QString::fromLocal8Bit(coretype)) : QJsonValue(QJsonValue::Null)}};
    QJsonObject info = versionsJson();
    info.insert(QStringLiteral("cpu"), cpu);
    info.insert(QStringLiteral("blas"), blasInfo);
    info.insert(QStringLiteral("torch_threads"), at::get_num_threads());
    return info;
}

QString infoText(const QJsonObject &info)
{
    const QJsonObject cpu = info.value(QStringLiteral("cpu")).toObject();
    const QJsonObject b = info.value(QStringLiteral("blas")).toObject();
    const auto s = [](const QJsonObject &o, const char *key) {
        return o.value(QLatin1String(key)).toVariant().toString();
    };
    QString text;
    text += QStringLiteral("Transformer Workbench %1, LibTorch %2, Qt %3\n")
                .arg(s(info, "twb"), s(info, "libtorch"), s(info, "qt"));
    text += QStringLiteral("CPU:        %1 (%2 physical cores)\n            %3\n")
                .arg(s(cpu, "name").isEmpty() ? QStringLiteral("unnamed") : s(cpu, "name"),
                     s(cpu, "physical_cores"), s(cpu, "features"));
    if (b.value(QStringLiteral("library")).toString().isEmpty()) {
        text += QStringLiteral("BLAS:       none found\n");
    } else {
        text += QStringLiteral("BLAS:       %1\n            %2\n")
                    .arg(s(b, "config").isEmpty() ? QStringLiteral("not OpenBLAS") : s(b, "config"),
                         s(b, "library"));
    }
    if (b.value(QStringLiteral("openblas")).toBool()) {
        text += QStringLiteral("BLAS core:  %1 (%2 threads)\n").arg(s(b, "core"), s(b, "threads"));
    }
    text += QStringLiteral("Choice:     %1: %2\n").arg(s(b, "outcome"), s(b, "reason"));
    if (!s(b, "self_check").isEmpty())
        text += QStringLiteral("Self-check: %1\n").arg(s(b, "self_check"));
    text += QStringLiteral("LibTorch:   %1 intra-op threads\n").arg(s(info, "torch_threads"));
    return text;
}

} // namespace

void addInfoCommand(CLI::App &app, Context &ctx)
{
    auto json = std::make_shared<bool>(false);
    CLI::App *cmd = app.add_subcommand(
        "info", "Versions, the CPU, and the BLAS library's kernel set (core) and threads: what "
                "start-up chose and why.");
    cmd->add_flag("--json", *json, "Print JSON instead of text");
    cmd->callback([&ctx, json] {
        runCommand(ctx, "info", [json] {
            const QJsonObject info = infoJson();
            if (*json)
                printJson(info);
            else
                printText(infoText(info));
            return ExitOk;
        });
    });
}

} // namespace twb::cli
