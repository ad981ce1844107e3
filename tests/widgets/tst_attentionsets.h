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
