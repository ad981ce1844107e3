#pragma once

#include "Hyperparameters.h"

#include <QJsonValue>
#include <QVariant>

namespace twb::hyperparameter {

/// The rules of one hyperparameter type, used by HyperparameterSchema: converts `value` (a
/// number, bool or string as typed on a command line or read from JSON) to the canonical type
/// of `spec` (Int: qint64, Real: double, Bool: bool, Choice and Text: QString) and checks its
/// range or choices. The Error names the key and the rule ("d_model: 0 is below the minimum
/// 1"). Pure function, any thread.
Expected<QVariant> check(const HyperparameterSpec &spec, const QVariant &value);

/// A canonical value as JSON (an invalid QVariant is null).
QJsonValue toJson(const QVariant &value);

} // namespace twb::hyperparameter
