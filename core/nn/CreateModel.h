#pragma once

#include "Model.h"
#include "common/Expected.h"

#include <exception>
#include <memory>

namespace twb {

/// What every plugin's create() ends with: validates `options`, then constructs the model,
/// turning a validation failure or an exception from the constructor into an Error that
/// names `modelName`.
template<typename Impl, typename Options>
Expected<std::shared_ptr<Model>> createValidatedModel(const Options &options,
                                                      const QString &modelName)
{
    if (Status valid = options.validate(); !valid)
        return valid.error();
    try {
        return std::shared_ptr<Model>(std::make_shared<Impl>(options));
    } catch (const std::exception &e) {
        return Error{QStringLiteral("%1: cannot create the model: %2")
                         .arg(modelName, QString::fromUtf8(e.what())),
                     {},
                     0};
    }
}

} // namespace twb
