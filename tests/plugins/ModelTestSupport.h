#pragma once

// Helpers shared by the model tests: small utilities (overfit, saveLoad, stageNames, calendar
// marks, head-maskable layers, parameter counts) and the checks that every encoder-decoder
// forecaster (Transformer, Informer, Autoformer, FEDformer) passes the same way. The check*
// helpers report through QVERIFY/QCOMPARE; a failure leaves the helper only, so a test that goes
// on after one returns when QTest::currentTestFailed(). Those that build their own models are
// templates over the TORCH_MODULE holder (Autoformer, Informer ...) and take its options
// (EncoderOptions with spec(), labelLen(), decoderLayers(), useMarks() ...).

#include "common/Expected.h"
#include "common/Task.h"
#include "nn/HeadMaskable.h"
#include "nn/Model.h"
#include "nn/TransformerEncoderLayer.h"

#include <QTest>

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace twb::test {

/// Trains `model` with Adam on one fixed batch for `steps` steps (MSE on the prediction).
/// Returns {initial loss, final loss}, both measured in training mode before/after the steps.
inline std::pair<double, double> overfit(Model &model, const torch::Tensor &input,
                                         const torch::Tensor &target, int steps,
                                         double learningRate)
{
    model.train();
    torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(learningRate));
    double first = 0.0;
    double last = 0.0;
    for (int step = 0; step <= steps; ++step) {
        optimizer.zero_grad();
        const torch::Tensor loss = torch::mse_loss(model.forward(input).prediction, target);
        if (step == 0)
            first = loss.item<double>();
        last = loss.item<double>();
        if (step == steps)
            break;
        loss.backward();
        optimizer.step();
    }
    return {first, last};
}

/// Saves `source` with torch::save, loads it into `target` with torch::load (through a memory
/// stream) and returns both models' eval-mode predictions for `input`.
template<typename Holder>
std::pair<torch::Tensor, torch::Tensor> saveLoad(Holder &source, Holder &target,
                                                 const torch::Tensor &input)
{
    std::stringstream stream;
    torch::save(source, stream);
    torch::load(target, stream);
    source->eval();
    target->eval();
    torch::NoGradGuard noGrad;
    return {source->forward(input).prediction, target->forward(input).prediction};
}

/// The names of named tensors (mechanisms, intermediates), in order.
inline std::vector<std::string> names(const std::vector<NamedTensor> &tensors)
{
    std::vector<std::string> out;
    for (const NamedTensor &tensor : tensors)
        out.push_back(tensor.name);
    return out;
}

/// The names of the captured intermediates, in order.
inline std::vector<std::string> stageNames(const ModelOutput &output)
{
    return names(output.intermediates);
}

/// Named tensors by name.
inline std::map<std::string, torch::Tensor> byName(const std::vector<NamedTensor> &tensors)
{
    std::map<std::string, torch::Tensor> out;
    for (const NamedTensor &tensor : tensors)
        out[tensor.name] = tensor.value;
    return out;
}

/// The tiny spec of the encoder-decoder tests: L 32, H 8, 3 channels (HUFL, HULL, OT) and
/// `markFeatures` calendar features.
inline ModelSpec tinyForecastSpec(std::int64_t markFeatures = 4)
{
    ModelSpec s;
    s.lookback = 32;
    s.horizon = 8;
    s.channels = 3;
    s.channelNames = {"HUFL", "HULL", "OT"};
    s.markFeatures = markFeatures;
    return s;
}

/// ETTh1 with the official settings: 7 channels, lookback 96, horizon 96, 4 calendar features.
inline ModelSpec etth1Spec()
{
    ModelSpec s;
    s.lookback = 96;
    s.horizon = 96;
    s.channels = 7;
    s.markFeatures = 4;
    return s;
}

/// Calendar marks in [-0.5, 0.5] for a batch: {history [B, L, F], future [B, H, F]}.
inline ForwardOptions withMarks(std::int64_t batch, const ModelSpec &spec, bool attention = false,
                                bool intermediates = false)
{
    ForwardOptions options(attention, intermediates);
    options.historyMarks = torch::rand({batch, spec.lookback, spec.markFeatures}) - 0.5;
    options.futureMarks = torch::rand({batch, spec.horizon, spec.markFeatures}) - 0.5;
    return options;
}

/// An input batch [batch, lookback, channels] for `spec`.
inline torch::Tensor randomInput(std::int64_t batch, const ModelSpec &spec)
{
    return torch::randn({batch, spec.lookback, spec.channels});
}

/// The model's head-maskable attention modules in the order explain/WhatIf numbers them.
inline std::vector<HeadMaskable *> maskableLayers(Model &model)
{
    std::vector<HeadMaskable *> out;
    for (const auto &module : model.modules(/*include_self=*/false))
        if (auto *maskable = dynamic_cast<HeadMaskable *>(module.get()))
            out.push_back(maskable);
    return out;
}

inline std::int64_t parameterCount(Model &model)
{
    std::int64_t count = 0;
    for (const torch::Tensor &p : model.parameters())
        count += p.numel();
    return count;
}

/// Time-Series-Library's run.py defaults shared by the encoder-decoder forecasters: d_model
/// 512, 8 heads, d_ff 2048, 2 encoder and 1 decoder layers, dropout 0.1, label_len 48, GELU,
/// calendar marks.
template<typename Options>
void checkTimeSeriesLibraryDefaults(const Options &o)
{
    QCOMPARE(o.dModel(), std::int64_t(512));
    QCOMPARE(o.numHeads(), std::int64_t(8));
    QCOMPARE(o.dFF(), std::int64_t(2048));
    QCOMPARE(o.numLayers(), std::int64_t(2));
    QCOMPARE(o.decoderLayers(), std::int64_t(1));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.labelLen(), std::int64_t(48));
    QCOMPARE(o.activation(), FeedForwardActivation::Gelu);
    QVERIFY(o.useMarks());
}

/// Why `options` are invalid; empty when they are valid.
template<typename Options>
QString invalidReason(const Options &options)
{
    const Status s = options.validate();
    return s.isOk() ? QString() : s.error().reason;
}

/// The validation every encoder-decoder forecaster shares, from valid `tiny` options: d_model
/// not divisible by the heads, label_len beyond the lookback, no decoder layer, dropout 1 and a
/// classification spec are refused (and the model's constructor throws), label_len 0 is valid.
template<typename Holder, typename Options>
void checkEncoderDecoderValidation(const Options &tiny)
{
    QVERIFY(tiny.validate().isOk());
    QVERIFY(invalidReason(tiny).isEmpty());
    const std::int64_t tooLong = tiny.spec().lookback + 1;
    QVERIFY(invalidReason(Options(tiny).dModel(tiny.dModel() + 2))
                .contains(QLatin1String("not divisible by n_heads")));
    QVERIFY(invalidReason(Options(tiny).labelLen(tooLong))
                .contains(QStringLiteral("label_len %1").arg(tooLong)));
    QVERIFY(invalidReason(Options(tiny).decoderLayers(0)).contains(QLatin1String("d_layers")));
    QVERIFY(invalidReason(Options(tiny).dropout(1.0)).contains(QLatin1String("dropout")));
    ModelSpec classify = tiny.spec();
    classify.task = Task::Classify;
    QVERIFY(invalidReason(Options(tiny).spec(classify)).contains(QLatin1String("forecast")));
    QVERIFY(Options(tiny).labelLen(0).validate().isOk());
    QVERIFY_THROWS_EXCEPTION(c10::Error, Holder{Options(tiny).decoderLayers(0)});
}

/// The calendar marks are optional. With dated `options` the model forecasts [batch, H, C] with
/// marks and without them (undefined marks: no temporal embedding), and the marks change the
/// forecast; built for a spec without dates it has no temporal embedding at all. Only one of the
/// two marks, or an input of another length, is refused.
template<typename Holder, typename Options>
void checkMarksOptional(const Options &options, std::int64_t batch = 5)
{
    const ModelSpec &spec = options.spec();
    QVERIFY(spec.markFeatures > 0);
    ModelSpec undatedSpec = spec;
    undatedSpec.markFeatures = 0;
    Holder model(options);
    Holder undated(Options(options).spec(undatedSpec));
    model->eval();
    undated->eval();
    torch::NoGradGuard noGrad;
    const std::vector<std::int64_t> shape{batch, spec.horizon, spec.channels};
    const torch::Tensor x = randomInput(batch, spec);
    const ForwardOptions marks = withMarks(batch, spec);
    const torch::Tensor marked = model->forward(x, marks).prediction;
    QCOMPARE(marked.sizes().vec(), shape);
    const torch::Tensor plain = model->forward(x).prediction;
    QCOMPARE(plain.sizes().vec(), shape);
    QVERIFY(!torch::allclose(marked, plain, 1e-5, 1e-6));
    QVERIFY(model->named_parameters().contains("enc_embedding.temporal.weight"));
    QVERIFY(!undated->named_parameters().contains("enc_embedding.temporal.weight"));
    QCOMPARE(undated->forward(x).prediction.sizes().vec(), shape);
    ForwardOptions half = marks;
    half.futureMarks = torch::Tensor();
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x, half));
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x.narrow(1, 1, spec.lookback - 1)));
}

/// Embed "none" (useMarks(false)): no temporal embedding, and the marks never reach the forecast.
template<typename Holder, typename Options>
void checkIgnoresMarks(const Options &options)
{
    Holder model(Options(options).useMarks(false));
    QVERIFY(!model->named_parameters().contains("enc_embedding.temporal.weight"));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = randomInput(2, options.spec());
    QVERIFY(torch::equal(model->forward(x, withMarks(2, options.spec())).prediction,
                         model->forward(x).prediction));
}

/// One token per step: tokens() are the lookback's steps "encoder step t-L" .. "t-1", and so
/// are encoderLayerTokens(0 .. stepLayers - 1); decoderTokens() are the label_len known steps and
/// the horizon, "decoder step t-label_len" .. "t+H-1", with begin relative to the lookback window
/// (the horizon's first step at L).
template<typename Holder>
void checkStepTokens(const Holder &model, std::size_t stepLayers)
{
    const ModelSpec &spec = model->options().spec();
    const std::int64_t labelLen = model->options().labelLen();
    const std::vector<TokenInfo> encoder = model->tokens();
    QCOMPARE(encoder.size(), std::size_t(spec.lookback));
    const std::vector<TokenInfo> decoder = model->decoderTokens();
    QCOMPARE(decoder.size(), std::size_t(labelLen + spec.horizon));
    for (std::size_t i = 0; i < encoder.size(); ++i) {
        QCOMPARE(encoder[i].kind, TokenInfo::Kind::TimeStep);
        QCOMPARE(encoder[i].begin, std::int64_t(i));
        QCOMPARE(encoder[i].end, std::int64_t(i) + 1);
    }
    for (std::size_t i = 0; i < decoder.size(); ++i) {
        QCOMPARE(decoder[i].kind, TokenInfo::Kind::TimeStep);
        QCOMPARE(decoder[i].begin, spec.lookback - labelLen + std::int64_t(i));
        QCOMPARE(decoder[i].end, decoder[i].begin + 1);
    }
    QCOMPARE(encoder.front().label, "encoder step t-" + std::to_string(spec.lookback));
    QCOMPARE(encoder.back().label, std::string("encoder step t-1"));
    QCOMPARE(decoder.front().label, "decoder step t-" + std::to_string(labelLen));
    QCOMPARE(decoder[labelLen].label, std::string("decoder step t"));
    QCOMPARE(decoder.back().label, "decoder step t+" + std::to_string(spec.horizon - 1));
    for (std::size_t layer = 0; layer < stepLayers; ++layer) {
        const std::vector<TokenInfo> tokens = model->encoderLayerTokens(layer);
        QCOMPARE(tokens.size(), encoder.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            QCOMPARE(tokens[i].kind, encoder[i].kind);
            QCOMPARE(tokens[i].begin, encoder[i].begin);
            QCOMPARE(tokens[i].end, encoder[i].end);
            QCOMPARE(tokens[i].label, encoder[i].label);
        }
    }
}

/// Capturing costs nothing when off: `model` (eval) on `input` with `options` returns no
/// attention, cross-attention, mechanisms or intermediates, and the same forecast as with the
/// captures `attention` and `intermediates` on, whose output lands in `captured`.
inline void checkCapturesOnlyWhenAsked(Model &model, const torch::Tensor &input,
                                       const ForwardOptions &options, bool attention,
                                       bool intermediates, ModelOutput &captured)
{
    model.eval();
    torch::NoGradGuard noGrad;
    const ModelOutput plain = model.forward(input, options);
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.crossAttention.empty());
    QVERIFY(plain.mechanisms.empty());
    QVERIFY(plain.intermediates.empty());
    captured = model.forward(input, withCaptures(options, attention, intermediates));
    QVERIFY(torch::equal(plain.prediction, captured.prediction));
}

/// Models without softmax attention (Autoformer, FEDformer): capturing attention on a batch of
/// 2 with marks (checkCapturesOnlyWhenAsked) fills no attention matrix, only the mechanisms,
/// which land in `mechanisms` by name.
inline void checkMechanismsWithoutAttention(Model &model, const ModelSpec &spec,
                                            std::map<std::string, torch::Tensor> &mechanisms)
{
    ModelOutput out;
    checkCapturesOnlyWhenAsked(model, randomInput(2, spec), withMarks(2, spec), true, false, out);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(out.attention.empty());
    QVERIFY(out.crossAttention.empty());
    mechanisms = byName(out.mechanisms);
}

/// Head masks on `layers` of `model` (eval), each with offMask.numel() heads: all-ones masks
/// leave the forecast of `input` unchanged, `offMask` on any one layer changes it (beyond
/// allclose(rtol, atol)), and clearing the masks restores it exactly.
inline void checkHeadMasks(Model &model, const std::vector<HeadMaskable *> &layers,
                           const torch::Tensor &input, const ForwardOptions &options,
                           const torch::Tensor &offMask, double rtol, double atol)
{
    model.eval();
    torch::NoGradGuard noGrad;
    const auto forecast = [&] {
        return model.forward(input, options).prediction;
    };
    const torch::Tensor plain = forecast();
    QVERIFY(!layers.empty());
    for (HeadMaskable *layer : layers) {
        QCOMPARE(layer->headCount(), offMask.numel());
        layer->setHeadMask(torch::ones_like(offMask));
    }
    QVERIFY(torch::equal(forecast(), plain));
    for (HeadMaskable *layer : layers) {
        layer->setHeadMask(offMask);
        QVERIFY(!torch::allclose(forecast(), plain, rtol, atol));
        layer->setHeadMask({});
    }
    QVERIFY(torch::equal(forecast(), plain));
}

/// The stages of the series-decomposition forecasters (Autoformer, FEDformer) on a batch of 2:
/// the input's decomposition, the decoder's seasonal and trend inputs, each layer's stages; the
/// input is seasonal + trend and the forecast is the decoder output's seasonal + trend over the
/// horizon.
template<typename Holder, typename Options>
void checkDecompositionIntermediates(const Options &options)
{
    Holder model(options);
    const ModelSpec &spec = options.spec();
    const std::int64_t labelLen = options.labelLen();
    const std::int64_t decoderSteps = labelLen + spec.horizon;
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = randomInput(2, spec);
    const ModelOutput out = model->forward(x, withMarks(2, spec, false, true));
    const std::vector<std::string> stages = stageNames(out);
    std::map<std::string, torch::Tensor> stage = byName(out.intermediates);
    QCOMPARE(stages.front(), std::string("input"));
    QCOMPARE(stages.back(), std::string("output"));
    for (const char *name :
         {"input_decomposition.seasonal", "input_decomposition.trend", "decoder_input.seasonal",
          "decoder_input.trend", "encoder_embedding", "encoder_layer_0.after_attention.seasonal",
          "encoder_layer_1.after_feed_forward.trend", "encoder_output", "decoder_embedding",
          "decoder_layer_0.after_self.trend", "decoder_layer_0.after_cross.seasonal",
          "decoder_layer_0.after_feed_forward.seasonal", "decoder_layer_0.residual_trend",
          "decoder_output.seasonal", "decoder_output.trend"})
        QVERIFY2(stage.count(name), name);
    QCOMPARE(stage["decoder_input.trend"].sizes().vec(),
             (std::vector<std::int64_t>{2, decoderSteps, spec.channels}));
    QCOMPARE(stage["encoder_layer_0.after_attention.trend"].sizes().vec(),
             (std::vector<std::int64_t>{2, spec.lookback, options.dModel()}));
    QCOMPARE(stage["decoder_layer_0.residual_trend"].sizes().vec(),
             (std::vector<std::int64_t>{2, decoderSteps, spec.channels}));
    QVERIFY(torch::allclose(
        stage["input_decomposition.seasonal"] + stage["input_decomposition.trend"], x));
    const torch::Tensor sum = stage["decoder_output.seasonal"] + stage["decoder_output.trend"];
    QVERIFY(torch::allclose(sum.narrow(1, labelLen, spec.horizon), out.prediction));
    QVERIFY(torch::equal(stage["output"], out.prediction));
}

/// The number of parameters of the model built from `options`.
template<typename Holder, typename Options>
void checkParameterCount(const Options &options, std::int64_t expected)
{
    Holder model(options);
    QCOMPARE(parameterCount(*model), expected);
}

/// Adam on one random batch of 4 for `steps` steps brings the training loss below `maxRatio`
/// times its start.
template<typename Holder, typename Options>
void checkOverfitsTinyBatch(const Options &options, int steps, double learningRate, double maxRatio)
{
    Holder model(options);
    const ModelSpec &spec = options.spec();
    const torch::Tensor x = randomInput(4, spec);
    const torch::Tensor y = torch::randn({4, spec.horizon, spec.channels});
    const auto [first, last] = overfit(*model, x, y, steps, learningRate);
    qInfo("loss %g -> %g (%.1f %% drop)", first, last, 100.0 * (1.0 - last / first));
    QVERIFY2(last < maxRatio * first,
             qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

/// A source model and a target from another seed forecast differently; after torch::save of the
/// source and torch::load into the target they forecast alike (eval). `prepareSource` runs on
/// the source first (to move buffers such as BatchNorm statistics away from their start).
template<typename Holder, typename Options>
void checkSaveLoadRoundTrip(const Options &options,
                            const std::function<void(Holder &)> &prepareSource = {})
{
    Holder source(options);
    torch::manual_seed(77);
    Holder target(options);
    if (prepareSource) {
        prepareSource(source);
        if (QTest::currentTestFailed())
            return;
    }
    const torch::Tensor x = randomInput(3, options.spec());
    {
        source->eval();
        target->eval();
        torch::NoGradGuard noGrad;
        QVERIFY(!torch::equal(source->forward(x).prediction, target->forward(x).prediction));
    }
    const auto [a, b] = saveLoad(source, target, x);
    QVERIFY(torch::equal(a, b));
}

/// `a` and `b` hold the same names with equal tensors.
inline void checkSameTensors(const torch::OrderedDict<std::string, torch::Tensor> &a,
                             const torch::OrderedDict<std::string, torch::Tensor> &b)
{
    QCOMPARE(a.size(), b.size());
    for (const auto &item : a)
        QVERIFY2(b.contains(item.key()) && torch::equal(item.value(), b[item.key()]),
                 item.key().c_str());
}

/// Two models built after the same seed have the same parameters and buffers (names and values)
/// and forecast alike (eval).
template<typename Holder, typename Options>
void checkSameSeedSameModel(const Options &options)
{
    const torch::Tensor x = randomInput(2, options.spec());
    torch::manual_seed(9);
    Holder a(options);
    torch::manual_seed(9);
    Holder b(options);
    checkSameTensors(a->named_parameters(), b->named_parameters());
    checkSameTensors(a->named_buffers(), b->named_buffers());
    a->eval();
    b->eval();
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
}

} // namespace twb::test
