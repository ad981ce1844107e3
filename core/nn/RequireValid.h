#pragma once

#include "common/Expected.h"

#include <torch/torch.h>

namespace twb {

/// What every model constructor does first: throws c10::Error with the reason when
/// options.validate() fails. A plugin's create() has validated already and returns the Error
/// (CreateModel.h); this keeps a model constructed directly with bad options from being built
/// half-way.
template<typename Options>
void requireValid(const Options &options)
{
    const Status valid = options.validate();
    TORCH_CHECK(valid.isOk(), valid.isOk() ? "" : valid.error().reason.toStdString());
}

} // namespace twb
