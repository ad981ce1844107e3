#include "DtwClassifier.h"

#include "DtwDistance.h"
#include "common/Errors.h"
#include "nn/RequireValid.h"
#include "nn/SpecCheck.h"
#include "nn/StepMask.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// Real steps per case: the step mask's counts, or the full length.
torch::Tensor realLengths(const torch::Tensor &real, const torch::Tensor &x)
{
    if (real.defined())
        return real.sum(1).to(torch::kLong).clamp_min(1);
    return torch::full({x.size(0)}, x.size(1), torch::kLong);
}

} // namespace

Status DtwOptions::validate() const
{
    if (Status s = checkClassifySpec(spec(), QStringLiteral("DTW")); !s)
        return s;
    if (!(windowPercent() == -1.0 || (windowPercent() >= 0.0 && windowPercent() <= 100.0)))
        return makeError(QStringLiteral("DTW: window_percent must be -1 (learned) or lie in "
                                        "0 … 100, got %1")
                             .arg(windowPercent()));
    if (!(maxWindowPercent() >= 0.0 && maxWindowPercent() <= 100.0))
        return makeError(QStringLiteral("DTW: max_window_percent must lie in 0 … 100, got %1")
                             .arg(maxWindowPercent()));
    return Status::ok();
}

std::vector<WindowScore> dtwCandidateWindows(std::int64_t length, double maxPercent)
{
    std::vector<WindowScore> windows;
    const std::int64_t widest = std::max<std::int64_t>(0, length - 1);
    for (int percent = 0; percent <= int(std::floor(maxPercent)); ++percent) {
        const std::int64_t steps = std::min(dtwWindowSteps(percent, length), widest);
        if (!windows.empty() && windows.back().steps == steps)
            continue;
        windows.push_back({double(percent), steps, 0.0});
        if (steps >= widest)
            break;
    }
    return windows;
}

void dtwLeaveOneOut(const torch::Tensor &cases, const torch::Tensor &lengths,
                    const torch::Tensor &labels, std::vector<WindowScore> &windows)
{
    TORCH_CHECK(cases.dim() == 3 && cases.is_contiguous() && cases.scalar_type() == torch::kFloat,
                "DTW: cases must be contiguous float32 [N, T, C]");
    const std::int64_t n = cases.size(0), steps = cases.size(1), channels = cases.size(2);
    const float *data = cases.data_ptr<float>();
    const torch::Tensor lengths64 = lengths.to(torch::kLong).contiguous();
    const torch::Tensor labels64 = labels.to(torch::kLong).contiguous();
    const std::int64_t *length = lengths64.data_ptr<std::int64_t>();
    const std::int64_t *label = labels64.data_ptr<std::int64_t>();
    // The previous window's nearest case is tried first: a tight bound from the start makes
    // early abandoning cut most of the other candidates short.
    std::vector<std::int64_t> previous(std::size_t(n), -1);
    for (WindowScore &window : windows) {
        std::vector<std::uint8_t> correct(std::size_t(n), 0);
        at::parallel_for(0, n, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i) {
                const float *query = data + i * steps * channels;
                double best = dtwAbandoned;
                std::int64_t nearest = -1;
                auto consider = [&](std::int64_t j) {
                    const double cost = dtwCost(query, length[i], data + j * steps * channels,
                                                length[j], channels, window.steps, best);
                    if (cost < best || (cost == best && j < nearest)) {
                        best = cost;
                        nearest = j;
                    }
                };
                if (previous[std::size_t(i)] >= 0)
                    consider(previous[std::size_t(i)]);
                for (std::int64_t j = 0; j < n; ++j)
                    if (j != i && j != previous[std::size_t(i)])
                        consider(j);
                previous[std::size_t(i)] = nearest;
                correct[std::size_t(i)] = nearest >= 0 && label[nearest] == label[i] ? 1 : 0;
            }
        });
        std::int64_t right = 0;
        for (std::uint8_t c : correct)
            right += c;
        window.accuracy = n > 0 ? double(right) / double(n) : 0.0;
    }
}

DtwClassifierImpl::DtwClassifierImpl(const DtwOptions &options)
    : m_options(options)
{
    requireValid(m_options);
    const std::int64_t fixed =
        m_options.windowPercent() >= 0.0
            ? dtwWindowSteps(m_options.windowPercent(), m_options.spec().lookback)
            : 0;
    m_cases = register_buffer("cases", torch::empty({0}));
    m_labels = register_buffer("case_labels", torch::empty({0}, torch::kLong));
    m_lengths = register_buffer("case_lengths", torch::empty({0}, torch::kLong));
    m_window = register_buffer("window", torch::full({1}, fixed, torch::kLong));
    m_windowPercent = register_buffer("window_percent", torch::empty({0}));
    m_windowAccuracy = register_buffer("window_accuracy", torch::empty({0}));
}

Status DtwClassifierImpl::fit(const torch::Tensor &x, const torch::Tensor &labels,
                              const torch::Tensor &stepMask, std::uint64_t seed)
{
    (void)seed; // nothing is drawn: the fit is deterministic
    const ModelSpec &spec = m_options.spec();
    if (x.dim() != 3 || x.size(1) != spec.lookback || x.size(2) != spec.channels)
        return makeError(QStringLiteral("DTW: the cases must be [N, %1, %2], got %3")
                             .arg(spec.lookback)
                             .arg(spec.channels)
                             .arg(QString::fromStdString(c10::str(x.sizes()))));
    if (labels.dim() != 1 || labels.size(0) != x.size(0) || x.size(0) < 1)
        return makeError(QStringLiteral("DTW: one label per case and at least one case are "
                                        "needed"));
    const bool learned = m_options.windowPercent() < 0.0;
    if (learned && x.size(0) < 2)
        return makeError(QStringLiteral("DTW: a learned window needs at least two training "
                                        "cases"));
    torch::NoGradGuard noGrad;
    const torch::Tensor cases = x.to(torch::kFloat).contiguous().clone();
    const torch::Tensor real = checkedStepMask(stepMask, cases, "DTW");
    const torch::Tensor lengths = realLengths(real, cases);
    const torch::Tensor labels64 = labels.to(torch::kLong).contiguous().clone();
    if (learned) {
        std::vector<WindowScore> windows =
            dtwCandidateWindows(spec.lookback, m_options.maxWindowPercent());
        dtwLeaveOneOut(cases, lengths, labels64, windows);
        const auto best = std::max_element(
            windows.begin(), windows.end(),
            [](const WindowScore &a, const WindowScore &b) { return a.accuracy < b.accuracy; });
        m_window.fill_(best->steps);
        std::vector<float> percents, accuracies;
        for (const WindowScore &w : windows) {
            percents.push_back(float(w.percent));
            accuracies.push_back(float(w.accuracy));
        }
        m_windowPercent.set_(torch::tensor(percents));
        m_windowAccuracy.set_(torch::tensor(accuracies));
    }
    m_cases.set_(cases);
    m_labels.set_(labels64);
    m_lengths.set_(lengths.contiguous().clone());
    return Status::ok();
}

ModelOutput DtwClassifierImpl::forward(const torch::Tensor &input, const ForwardOptions &options)
{
    const ModelSpec &spec = m_options.spec();
    TORCH_CHECK(
        input.dim() == 3 && input.size(1) == spec.lookback && input.size(2) == spec.channels,
        "DTW: input must be [B, ", spec.lookback, ", ", spec.channels, "], got ", input.sizes());
    TORCH_CHECK(fitted(), "DTW: the model has not been fitted (no training cases)");
    torch::NoGradGuard noGrad;
    const torch::Tensor query = input.to(torch::kFloat).contiguous();
    const torch::Tensor real = checkedStepMask(options.stepMask, query, "DTW");
    const torch::Tensor queryLengths = realLengths(real, query).contiguous();
    const std::int64_t batch = query.size(0), steps = spec.lookback, channels = spec.channels;
    const std::int64_t stored = m_cases.size(0), classes = spec.numClasses;
    const std::int64_t window = windowSteps();
    const float *q = query.data_ptr<float>();
    const float *c = m_cases.data_ptr<float>();
    const std::int64_t *qLength = queryLengths.data_ptr<std::int64_t>();
    const std::int64_t *cLength = m_lengths.data_ptr<std::int64_t>();
    const std::int64_t *cLabel = m_labels.data_ptr<std::int64_t>();

    torch::Tensor classCost = torch::full({batch, classes}, dtwAbandoned, torch::kDouble);
    torch::Tensor nearest = torch::full({batch}, std::int64_t(-1), torch::kLong);
    double *cost = classCost.data_ptr<double>();
    std::int64_t *near = nearest.data_ptr<std::int64_t>();
    at::parallel_for(0, batch, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t b = begin; b < end; ++b) {
            double *row = cost + b * classes;
            double best = dtwAbandoned;
            for (std::int64_t n = 0; n < stored; ++n) {
                const std::int64_t k = cLabel[n];
                if (k < 0 || k >= classes)
                    continue;
                const double d =
                    dtwCost(q + b * steps * channels, qLength[b], c + n * steps * channels,
                            cLength[n], channels, window, row[k]);
                if (d < row[k])
                    row[k] = d;
                if (d < best) {
                    best = d;
                    near[b] = n;
                }
            }
        }
    });
    const torch::Tensor distance = classCost.sqrt();
    ModelOutput out;
    out.prediction =
        torch::where(torch::isinf(distance), torch::full_like(distance, -1e9), -distance)
            .to(torch::kFloat);
    if (options.captureIntermediates) {
        out.intermediates.push_back({"input", input});
        out.intermediates.push_back({"logits", out.prediction});
    }
    if (options.captureAttention) {
        torch::Tensor alignment = torch::zeros({batch, steps, steps});
        auto cell = alignment.accessor<float, 3>();
        for (std::int64_t b = 0; b < batch; ++b) {
            const std::int64_t n = near[b];
            if (n < 0)
                continue;
            const auto path = dtwPath(q + b * steps * channels, qLength[b],
                                      c + n * steps * channels, cLength[n], channels, window);
            for (const auto &[i, j] : path.first)
                cell[b][i][j] = 1.0f;
        }
        out.mechanisms.push_back({"nearest/alignment", alignment});
        out.mechanisms.push_back({"nearest/case", m_cases.index_select(0, nearest.clamp_min(0))});
        out.mechanisms.push_back({"nearest/index", nearest});
        out.mechanisms.push_back({"nearest/class_distance", distance.to(torch::kFloat)});
        if (m_windowAccuracy.numel() > 0)
            out.mechanisms.push_back({"window/accuracy", m_windowAccuracy});
    }
    return out;
}

} // namespace twb
