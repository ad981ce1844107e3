// twb-cli: the headless Transformer Workbench. One file per subcommand (*Command.cpp).

#include "CliCommon.h"
#include "blas/BlasStartup.h"
#include "train/Environment.h"

#include <CLI/CLI.hpp>

#include <QCoreApplication>

namespace twb::cli {
void addSpectrogramCommand(CLI::App &app, Context &ctx); // SpectrogramCommand.cpp
void addAttentionCommand(CLI::App &app, Context &ctx);   // AttentionCommand.cpp
void addForwardCommand(CLI::App &app, Context &ctx);     // ForwardCommand.cpp
void addWhatIfCommand(CLI::App &app, Context &ctx);      // WhatIfCommand.cpp
void addInfoCommand(CLI::App &app, Context &ctx);        // InfoCommand.cpp
void addParametersCommand(CLI::App &app, Context &ctx);  // ParametersCommand.cpp
void addMixCommand(CLI::App &app, Context &ctx);         // MixCommand.cpp
} // namespace twb::cli

int main(int argc, char **argv)
{
    // First: it may restart the program with OPENBLAS_CORETYPE set (see core/blas).
    twb::blas::selectBlasCoreAtStartup(argv);
    twb::keepFreedMemoryForReuse(); // before any tensor: ~10x faster forward passes here
    QCoreApplication qapp(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("twb-cli"));
    QCoreApplication::setApplicationVersion(twb::twbVersion());

    CLI::App app{"Transformer Workbench, headless: list models, inspect data, train, evaluate, "
                 "predict and export.\n"
                 "Exit codes: 0 success, 1 error (message on stderr), 2 bad command line, "
                 "3 interrupted (resume with --resume), 4 loss became NaN/Inf."};
    app.name("twb-cli");
    app.set_version_flag("--version", twb::twbVersion().toStdString());
    app.require_subcommand(1);

    twb::cli::Context ctx;
    twb::cli::addModelsCommand(app, ctx);
    twb::cli::addInspectCommand(app, ctx);
    twb::cli::addTrainCommand(app, ctx);
    twb::cli::addEvalCommand(app, ctx);
    twb::cli::addPredictCommand(app, ctx);
    twb::cli::addExportCommand(app, ctx);
    twb::cli::addSpectrogramCommand(app, ctx);
    twb::cli::addAttentionCommand(app, ctx);
    twb::cli::addForwardCommand(app, ctx);
    twb::cli::addWhatIfCommand(app, ctx);
    twb::cli::addInfoCommand(app, ctx);
    twb::cli::addParametersCommand(app, ctx);
    twb::cli::addMixCommand(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        const int code = app.exit(e);
        return code == 0 ? twb::cli::ExitOk : twb::cli::ExitUsage;
    }
    return ctx.exitCode;
}
