// One step's gradients of a run's model, for comparison with a reference implementation
// (bench/tslib_crosscheck.py): loads the run folder (its plugin, configuration and best.pt),
// runs the forecast on a batch in evaluation mode (no dropout, so that both sides compute the
// same function), takes the MSE against the batch's targets, back-propagates, and writes every
// parameter's gradient by state_dict name.
//
// Usage: twb-bench-run-gradients RUN_DIR BATCH.pt OUT.pt
//   BATCH.pt: a torch.save'd dict {"x": [B, L, C], "y": [B, H, C], "xm": [B, L, F],
//   "ym": [B, H, F]} of float32 (the marks may be empty tensors when the run has no dates).
//   OUT.pt: a pickled dict name -> gradient, readable with torch.load; the loss on stdout.
#include "common/Errors.h"
#include "plugin/ModelRegistry.h"
#include "train/RunLoader.h"

#include "nn/Model.h"

#include <QCoreApplication>

#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <iterator>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "twb-bench-run-gradients: %s\n", message.toUtf8().constData());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 4)
        return fail(QStringLiteral("usage: twb-bench-run-gradients RUN_DIR BATCH.pt OUT.pt"));
    twb::ModelRegistry registry;
    registry.scan();
    const twb::PluginLookup lookup = [&](const QString &id) -> twb::Expected<twb::ModelSource> {
        if (const twb::PluginRecord *record = registry.record(id))
            return twb::ModelSource{record->plugin, record->name, record->version};
        return twb::makeError(QStringLiteral("unknown model \"%1\"").arg(id));
    };
    twb::Expected<twb::LoadedRun> run = twb::loadRun(QString::fromLocal8Bit(argv[1]), lookup);
    if (!run)
        return fail(run.error().toString());

    std::ifstream in(argv[2], std::ios::binary);
    if (!in)
        return fail(QStringLiteral("cannot read %1").arg(QString::fromLocal8Bit(argv[2])));
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    const c10::Dict<c10::IValue, c10::IValue> batch = torch::pickle_load(bytes).toGenericDict();
    const auto get = [&](const char *key) {
        return batch.at(key).toTensor();
    };

    twb::Model &model = *run->model;
    model.eval();
    twb::ForwardOptions options;
    if (get("xm").numel() > 0) {
        options.historyMarks = get("xm");
        options.futureMarks = get("ym");
    }
    const torch::Tensor loss =
        torch::mse_loss(model.forward(get("x"), options).prediction, get("y"));
    loss.backward();
    std::printf("loss %.9g\n", loss.item<double>());

    c10::Dict<std::string, torch::Tensor> grads;
    for (const auto &p : model.named_parameters())
        if (p.value().grad().defined())
            grads.insert(p.key(), p.value().grad());
    const std::vector<char> out = torch::pickle_save(c10::IValue(grads));
    std::ofstream file(argv[3], std::ios::binary);
    file.write(out.data(), std::streamsize(out.size()));
    return file ? 0 : fail(QStringLiteral("cannot write %1").arg(QString::fromLocal8Bit(argv[3])));
}
