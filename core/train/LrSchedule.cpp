#include "LrSchedule.h"
#include "common/Errors.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace twb {

namespace {

struct NamedSchedule
{
    ScheduleKind kind;
    const char *name;
};

constexpr NamedSchedule scheduleNames[] = {
    {ScheduleKind::Constant, "constant"},       {ScheduleKind::Step, "step"},
    {ScheduleKind::Cosine, "cosine"},           {ScheduleKind::OneCycle, "onecycle"},
    {ScheduleKind::Exponential, "exponential"}, {ScheduleKind::Plateau, "plateau"},
};

double cosineAnneal(double start, double end, double pct)
{
    return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}

} // namespace

QString scheduleName(ScheduleKind kind)
{
    for (const auto &s : scheduleNames)
        if (s.kind == kind)
            return QString::fromLatin1(s.name);
    return {};
}

std::optional<ScheduleKind> scheduleFromName(const QString &name)
{
    for (const auto &s : scheduleNames)
        if (name == QLatin1String(s.name))
            return s.kind;
    return std::nullopt;
}

Expected<LrSchedule> LrSchedule::create(const ScheduleOptions &options, qint64 epochs,
                                        qint64 batchesPerEpoch)
{
    auto fail = [](const QString &reason) {
        return makeError(reason);
    };
    if (!(options.baseLr > 0.0) || !std::isfinite(options.baseLr))
        return fail(QStringLiteral("learning rate must be a positive number"));
    if (epochs < 1 || batchesPerEpoch < 1)
        return fail(QStringLiteral("a schedule needs at least one epoch and one batch"));
    switch (options.kind) {
    case ScheduleKind::Constant:
        break;
    case ScheduleKind::Step:
        if (options.stepSize < 1)
            return fail(QStringLiteral("step schedule: step size must be at least 1 epoch"));
        [[fallthrough]];
    case ScheduleKind::Exponential:
        if (!(options.gamma > 0.0 && options.gamma <= 1.0))
            return fail(QStringLiteral("%1 schedule: gamma must be in (0, 1]")
                            .arg(scheduleName(options.kind)));
        if (options.hold < 0)
            return fail(QStringLiteral("exponential schedule: hold must not be negative"));
        break;
    case ScheduleKind::Plateau:
        if (options.stepSize < 1)
            return fail(QStringLiteral("plateau schedule: step size (the epochs without a better "
                                       "validation loss before a decay) must be at least 1"));
        if (!(options.gamma > 0.0 && options.gamma <= 1.0))
            return fail(QStringLiteral("plateau schedule: gamma must be in (0, 1]"));
        break;
    case ScheduleKind::Cosine:
        if (options.tMax < 0)
            return fail(QStringLiteral("cosine schedule: T_max must not be negative"));
        if (options.etaMin < 0.0 || options.etaMin > options.baseLr)
            return fail(QStringLiteral("cosine schedule: eta_min must be in [0, lr]"));
        break;
    case ScheduleKind::OneCycle:
        if (!(options.pctStart > 0.0 && options.pctStart < 1.0))
            return fail(QStringLiteral("onecycle schedule: pct_start must be in (0, 1)"));
        if (!(options.divFactor > 0.0) || !(options.finalDivFactor > 0.0))
            return fail(QStringLiteral("onecycle schedule: div factors must be positive"));
        break;
    }
    return LrSchedule(options, epochs, batchesPerEpoch);
}

LrSchedule::LrSchedule(const ScheduleOptions &options, qint64 epochs, qint64 batchesPerEpoch)
    : m_options(options)
    , m_epochs(epochs)
    , m_batchesPerEpoch(batchesPerEpoch)
{}

double LrSchedule::lr(qint64 epoch, qint64 batch) const
{
    const ScheduleOptions &o = m_options;
    switch (o.kind) {
    case ScheduleKind::Constant:
        return o.baseLr;
    case ScheduleKind::Step:
        return o.baseLr * std::pow(o.gamma, double(epoch / o.stepSize));
    case ScheduleKind::Cosine: {
        const double tMax = double(o.tMax > 0 ? o.tMax : m_epochs);
        return o.etaMin +
               (o.baseLr - o.etaMin) * (1.0 + std::cos(std::numbers::pi * epoch / tMax)) / 2.0;
    }
    case ScheduleKind::OneCycle:
        return oneCycle(epoch * m_batchesPerEpoch + batch);
    case ScheduleKind::Exponential:
        return o.baseLr * std::pow(o.gamma, double(std::max<qint64>(0, epoch - o.hold)));
    case ScheduleKind::Plateau:
        return o.baseLr;
    }
    return o.baseLr;
}

double LrSchedule::afterEpoch(double lr, qint64 badEpochs) const
{
    if (!followsValidation() || badEpochs < 1 || badEpochs % m_options.stepSize != 0)
        return lr;
    return lr * m_options.gamma;
}

// The two-phase form of PyTorch's OneCycleLR with cosine annealing: phase one ends at step
// pct_start * total - 1 (rising from initial to max), phase two at total - 1 (falling to min).
double LrSchedule::oneCycle(qint64 step) const
{
    const ScheduleOptions &o = m_options;
    const double total = double(m_epochs * m_batchesPerEpoch);
    const double initialLr = o.baseLr / o.divFactor;
    const double minLr = initialLr / o.finalDivFactor;
    const double warmEnd = o.pctStart * total - 1.0;
    const double s = double(step);
    if (s <= warmEnd)
        return cosineAnneal(initialLr, o.baseLr, warmEnd > 0.0 ? s / warmEnd : 1.0);
    const double span = (total - 1.0) - warmEnd;
    const double pct = span > 0.0 ? std::min(1.0, (s - warmEnd) / span) : 1.0;
    return cosineAnneal(o.baseLr, minLr, pct);
}

} // namespace twb
