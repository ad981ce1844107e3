#pragma once

#include "attention/ForwardTrace.h"

#include <QImage>
#include <QSize>

namespace twb {

/// A small chart of a forward-pass stage that is a model's mechanism rather than a tensor of
/// activations, drawn from the trace alone (no torch). The kind is read from the stage name's
/// last part, so any model that reports these mechanisms gets the same picture:
///  - "<layer>.autocorrelation" [1, heads, T] (Autoformer): R(τ) over the lag τ, one faint line
///    per head and their mean, with the chosen delays (sibling "<layer>.delays") marked;
///  - "<layer>.delays" [1, k] (strongest first): the model's input (its last channel, from the
///    stage "input") and the same series rolled by each of the three strongest delays τ,
///    x(t + τ), the copies that the time-delay aggregation sums;
///  - "<layer>.mode_magnitude" [heads, M] (FEDformer): the mean over heads of each kept
///    Fourier mode's weight magnitude, as bars at the mode's frequency (sibling
///    "<layer>.modes"; for "<layer>.cross.mode_magnitude", "<layer>.cross.modes");
///  - "<layer>.active_queries", ".self_active_queries", ".cross_active_queries" [1, heads, u]
///    (Informer's ProbSparse): a strip per head over the layer's queries with the active ones
///    filled (the query count from the stage "<layer>" [1, T, d], else the largest index + 1);
///  - "<layer>.spectrum" [F] or [1, F] (TimesNet): an amplitude over frequency f = 0..F-1
///    (cycles per window) with the chosen frequencies (sibling "<layer>.frequencies" [k]) marked
///    and, with the sibling "<layer>.periods" [k], their periods in the caption;
///  - "<name>.seasonal" and "<name>.trend" [1, T, C] with C the input's channel count
///    (series decomposition): the last channel over time.
/// Every other stage, and a stage whose preview does not have the expected rank or size,
/// gives a null image (the caller draws its heat map). Values are read from the stages'
/// previews, positions scaled by their strides.
/// Threading: any thread (QImage and QPainter on an image only).
QImage mechanismPicture(const explain::ForwardTrace &trace, int stageIndex, QSize size);

} // namespace twb
