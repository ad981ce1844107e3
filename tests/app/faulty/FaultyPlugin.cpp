#include "FaultyPlugin.h"

#include "nn/Model.h"

#include <cstdlib>
#include <stdexcept>

namespace twb::test {

namespace {

enum class Fault { None, CreateThrows, ForwardThrows, ForwardAborts };

/// x [B, L, C] -> Linear(L -> H) over time, shared by channels; misbehaves as told once
/// `faultAfter` forward calls have gone well.
class FaultyModel : public Model
{
public:
    FaultyModel(std::int64_t lookback, std::int64_t horizon, Fault fault, std::int64_t faultAfter)
        : m_fault(fault)
        , m_faultAfter(faultAfter)
    {
        time = register_module("time", torch::nn::Linear(lookback, horizon));
    }

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        if (m_calls++ >= m_faultAfter) {
            if (m_fault == Fault::ForwardThrows)
                throw std::runtime_error("faulty: forward threw on purpose");
            if (m_fault == Fault::ForwardAborts)
                std::abort();
        }
        ModelOutput out;
        out.prediction = time(input.transpose(1, 2)).transpose(1, 2);
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }

    torch::nn::Linear time = nullptr;

private:
    Fault m_fault;
    std::int64_t m_faultAfter;
    std::int64_t m_calls = 0;
};

} // namespace

QString FaultyPlugin::description() const
{
    return QStringLiteral("A test fixture that throws or aborts on request.");
}

QString FaultyPlugin::paper() const
{
    return QStringLiteral("None (test fixture).");
}

HyperparameterSchema FaultyPlugin::hyperparameters() const
{
    using Spec = HyperparameterSpec;
    return HyperparameterSchema({
        Spec::choice(QStringLiteral("fault"), QStringLiteral("Fault"),
                     {QStringLiteral("none"), QStringLiteral("create_throws"),
                      QStringLiteral("forward_throws"), QStringLiteral("forward_aborts")},
                     QStringLiteral("none"), QStringLiteral("What goes wrong.")),
        Spec::integer(QStringLiteral("fault_after"), QStringLiteral("Fault after"), 0, 0, 1000000,
                      QStringLiteral("Forward calls that go well before the fault.")),
    });
}

Expected<std::shared_ptr<Model>> FaultyPlugin::create(const ModelSpec &spec,
                                                      const HyperparameterValues &values) const
{
    const QString name = values.text(QStringLiteral("fault"));
    if (name == QLatin1String("create_throws"))
        throw std::runtime_error("faulty: create threw on purpose");
    const Fault fault = name == QLatin1String("forward_throws")   ? Fault::ForwardThrows
                        : name == QLatin1String("forward_aborts") ? Fault::ForwardAborts
                                                                  : Fault::None;
    return std::shared_ptr<Model>(std::make_shared<FaultyModel>(
        spec.lookback, spec.horizon, fault, values.integer(QStringLiteral("fault_after"))));
}

} // namespace twb::test
