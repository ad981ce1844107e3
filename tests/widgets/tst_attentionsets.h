#pragma once
// Small attention sets built in memory for the attention explorer tests: the token layouts of
// PatchTST (patches of a 96-sample window), iTransformer (ETTh1's seven variates) and AST
// (CLS + distillation token and spectrogram tiles), with deterministic row-stochastic maps.

#include "attention/AttentionSet.h"

#include <QString>

#include <string>
#include <vector>

namespace twb::test {

/// Fills every row of every head with positive weights that sum to 1 (deterministic).
inline explain::AttentionLayer stochasticLayer(int heads, int tokens, int seed)
{
    explain::AttentionLayer layer{heads, tokens, tokens, {}};
    layer.weights.resize(std::size_t(heads) * std::size_t(tokens) * std::size_t(tokens));
    for (int h = 0; h < heads; ++h)
        for (int q = 0; q < tokens; ++q) {
            double sum = 0.0;
            for (int k = 0; k < tokens; ++k) {
                const float v = float(1 + ((h + 1 + seed) * (q + 2) * (k + 3) + 7 * k) % 11);
                layer.at(h, q, k) = v;
                sum += v;
            }
            for (int k = 0; k < tokens; ++k)
                layer.at(h, q, k) = float(layer.at(h, q, k) / sum);
        }
    return layer;
}

/// A [heads, queries, keys] layer (queries != keys allowed) with row-stochastic weights.
inline explain::AttentionLayer stochasticLayer(int heads, int queries, int keys, int seed)
{
    explain::AttentionLayer layer{heads, queries, keys, {}};
    layer.weights.resize(std::size_t(heads) * std::size_t(queries) * std::size_t(keys));
    for (int h = 0; h < heads; ++h)
        for (int q = 0; q < queries; ++q) {
            double sum = 0.0;
            for (int k = 0; k < keys; ++k) {
                const float v =
                    float(1 + ((h + 1 + seed) * (q + 2) * (k + 3) + 5 * k + 3 * q * k + q) % 13);
                layer.at(h, q, k) = v;
                sum += v;
            }
            for (int k = 0; k < keys; ++k)
                layer.at(h, q, k) = float(layer.at(h, q, k) / sum);
        }
    return layer;
}

/// Informer over an 8-step window: encoder layer 0 over the 8 steps, encoder layer 1 over the 4
/// distilled tokens "steps [2i,2i+2)", and decoder layer 0's cross-attention [6 decoder tokens
/// (label_len 2, horizon 4: "decoder step t-2" .. "decoder step t+4") x those 4 tokens]; 2 heads.
inline explain::AttentionSet informerSet()
{
    explain::AttentionSet set;
    set.modelId = "informer";
    set.sampleLabel = "test window 0";
    set.channelNames = {"HUFL", "OT"};
    for (int i = 0; i < 8; ++i) {
        TokenInfo t;
        t.kind = TokenInfo::Kind::TimeStep;
        t.begin = i;
        t.end = i + 1;
        t.label = "t" + std::to_string(i);
        set.tokens.push_back(t);
    }
    explain::AttentionLayer first = stochasticLayer(2, 8, 0);
    first.name = "encoder layer 0";
    explain::AttentionLayer distilled = stochasticLayer(2, 4, 1);
    distilled.name = "encoder layer 1";
    for (int i = 0; i < 4; ++i) {
        TokenInfo t;
        t.kind = TokenInfo::Kind::TimeRange;
        t.begin = 2 * i;
        t.end = 2 * i + 2;
        t.label = QStringLiteral("steps [%1,%2)").arg(t.begin).arg(t.end).toStdString();
        distilled.queryTokens.push_back(t);
    }
    distilled.keyTokens = distilled.queryTokens;
    explain::AttentionLayer cross = stochasticLayer(2, 6, 4, 2);
    cross.name = "decoder layer 0 cross-attention";
    cross.kind = explain::AttentionLayer::Kind::CrossAttention;
    for (int i = 0; i < 6; ++i) {
        TokenInfo t;
        t.kind = TokenInfo::Kind::TimeStep;
        t.begin = 6 + i; // label_len 2: two known steps before the horizon (lookback 8)
        t.end = t.begin + 1;
        // Two known steps t-2, t-1, then the horizon t+1 .. t+4.
        t.label = i < 2 ? "decoder step t-" + std::to_string(2 - i)
                        : "decoder step t+" + std::to_string(i - 1);
        cross.queryTokens.push_back(t);
    }
    cross.keyTokens = distilled.keyTokens;
    set.layers = {first, distilled, cross};
    for (int i = 0; i < 16; ++i)
        set.input.push_back(float(i % 5) - 2.0f);
    set.inputRows = 8;
    set.inputCols = 2;
    return set;
}

/// PatchTST over a 96-sample window: patch length 16, stride 8 -> 11 patches [8i, 8i+16),
/// labels "patch i: t[a,b)"; `layers` layers of `heads` heads; channel 0 of ETTh1's names.
inline explain::AttentionSet patchSet(int layers = 2, int heads = 3)
{
    explain::AttentionSet set;
    set.modelId = "patchtst";
    set.sampleLabel = "test window 0";
    set.channel = 0;
    set.channelNames = {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
    for (int i = 0; i < 11; ++i) {
        TokenInfo t;
        t.kind = TokenInfo::Kind::TimeRange;
        t.begin = 8 * i;
        t.end = 8 * i + 16;
        t.label = QStringLiteral("patch %1: t[%2,%3)").arg(i).arg(t.begin).arg(t.end).toStdString();
        set.tokens.push_back(t);
    }
    for (int l = 0; l < layers; ++l)
        set.layers.push_back(stochasticLayer(heads, 11, l));
    return set;
}

/// iTransformer on ETTh1: one token per variate, labelled with the channel name.
inline explain::AttentionSet variateSet()
{
    explain::AttentionSet set;
    set.modelId = "itransformer";
    set.channelNames = {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
    for (int c = 0; c < 7; ++c) {
        TokenInfo t;
        t.kind = TokenInfo::Kind::Variate;
        t.channel = c;
        t.label = set.channelNames[std::size_t(c)];
        set.tokens.push_back(t);
    }
    set.layers = {stochasticLayer(2, 7, 0), stochasticLayer(2, 7, 1)};
    return set;
}

/// AST on a [26 bins, 36 frames] spectrogram: CLS, DIST, then tiles 16 x 16 with stride 10:
/// frequency tiles [0,16), [10,26) times time tiles [0,16), [10,26), [20,36) (frequency-major).
inline explain::AttentionSet astSet()
{
    explain::AttentionSet set;
    set.modelId = "ast";
    TokenInfo cls;
    cls.kind = TokenInfo::Kind::Special;
    cls.label = "CLS";
    TokenInfo dist = cls;
    dist.label = "DIST";
    set.tokens = {cls, dist};
    for (int f = 0; f < 2; ++f)
        for (int t = 0; t < 3; ++t) {
            TokenInfo tile;
            tile.kind = TokenInfo::Kind::Tile;
            tile.begin = 10 * t;
            tile.end = 10 * t + 16;
            tile.freqBegin = 10 * f;
            tile.freqEnd = 10 * f + 16;
            tile.label = QStringLiteral("tile f[%1,%2) t[%3,%4)")
                             .arg(tile.freqBegin)
                             .arg(tile.freqEnd)
                             .arg(tile.begin)
                             .arg(tile.end)
                             .toStdString();
            set.tokens.push_back(tile);
        }
    set.layers = {stochasticLayer(2, 8, 0), stochasticLayer(2, 8, 1)};
    return set;
}

} // namespace twb::test
