#pragma once

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace twb {

/// Forecast errors averaged over every element (window x step x channel) of a part.
struct ForecastMetrics
{
    double mse = 0.0; ///< normalised scale (what the papers report)
    double mae = 0.0;
    double mseOriginal = 0.0; ///< original units (prediction and truth inverse-transformed)
    double maeOriginal = 0.0;
    std::int64_t windows = 0;
    /// The one channel the metrics cover (the MS setting); empty = every channel.
    QString target;

    /// {"mse","mae","mse_original","mae_original","windows"}, and "target" when set
    QJsonObject toJson() const;
};

/// Predictions and truth of a part, row-major [windows, horizon, channels] float32.
struct ForecastPredictions
{
    std::int64_t windows = 0;
    std::int64_t horizon = 0;
    std::int64_t channels = 0;
    std::vector<float> prediction;         ///< normalised
    std::vector<float> truth;              ///< normalised
    std::vector<float> predictionOriginal; ///< original units
    std::vector<float> truthOriginal;
};

} // namespace twb
