#include "ClassificationMetrics.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace twb {

namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

double meanOf(const std::vector<double> &values)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

} // namespace

double rocAuc(const std::vector<float> &scores, const std::vector<bool> &positive)
{
    const std::size_t n = scores.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // Mann-Whitney U: the sum of the (tie-averaged, 1-based) ranks of the positives.
    double positiveRankSum = 0.0;
    std::int64_t positives = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i + 1) + double(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k)
            if (positive[order[k]]) {
                positiveRankSum += averageRank;
                ++positives;
            }
        i = j;
    }
    const std::int64_t negatives = std::int64_t(n) - positives;
    if (positives == 0 || negatives == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double u = positiveRankSum - double(positives) * double(positives + 1) / 2.0;
    return u / (double(positives) * double(negatives));
}

ClassificationMetrics computeClassificationMetrics(const std::vector<float> &probabilities,
                                                   const std::vector<int> &labels, int classes)
{
    if (classes < 1)
        throw std::invalid_argument("classification metrics: at least one class is needed");
    const std::size_t n = labels.size();
    if (probabilities.size() != n * std::size_t(classes))
        throw std::invalid_argument("classification metrics: probabilities must be "
                                    "[examples, classes]");
    ClassificationMetrics m;
    m.examples = std::int64_t(n);
    m.confusion.assign(std::size_t(classes), std::vector<std::int64_t>(std::size_t(classes), 0));
    double logLossSum = 0.0;
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int truth = labels[i];
        if (truth < 0 || truth >= classes)
            throw std::invalid_argument("classification metrics: label out of range");
        const float *row = probabilities.data() + i * std::size_t(classes);
        const int predicted = int(std::max_element(row, row + classes) - row);
        ++m.confusion[std::size_t(truth)][std::size_t(predicted)];
        correct += predicted == truth ? 1 : 0;
        const double p = std::clamp(double(row[truth]), 1e-15, 1.0);
        logLossSum -= std::log(p);
    }
    m.accuracy = n ? double(correct) / double(n) : std::numeric_limits<double>::quiet_NaN();
    m.logLoss = n ? logLossSum / double(n) : std::numeric_limits<double>::quiet_NaN();

    std::vector<double> recalls, f1s, aucs;
    m.perClass.resize(std::size_t(classes));
    for (int c = 0; c < classes; ++c) {
        ClassScores &s = m.perClass[std::size_t(c)];
        std::int64_t predictedAsC = 0;
        for (int t = 0; t < classes; ++t) {
            s.support += m.confusion[std::size_t(c)][std::size_t(t)];
            predictedAsC += m.confusion[std::size_t(t)][std::size_t(c)];
        }
        const double truePositives = double(m.confusion[std::size_t(c)][std::size_t(c)]);
        s.precision = predictedAsC ? truePositives / double(predictedAsC) : 0.0;
        s.recall = s.support ? truePositives / double(s.support) : 0.0;
        s.f1 = s.precision + s.recall > 0.0
                   ? 2.0 * s.precision * s.recall / (s.precision + s.recall)
                   : 0.0;
        if (s.support > 0) {
            recalls.push_back(s.recall);
            f1s.push_back(s.f1);
        }
        std::vector<float> scores(n);
        std::vector<bool> positive(n);
        for (std::size_t i = 0; i < n; ++i) {
            scores[i] = probabilities[i * std::size_t(classes) + std::size_t(c)];
            positive[i] = labels[i] == c;
        }
        const double auc = rocAuc(scores, positive);
        if (std::isfinite(auc))
            aucs.push_back(auc);
    }
    m.balancedAccuracy = meanOf(recalls);
    m.macroF1 = meanOf(f1s);
    m.rocAucOvr = meanOf(aucs);
    return m;
}

QJsonObject ClassificationMetrics::toJson(const QStringList &classNames) const
{
    QJsonArray rows;
    for (const auto &row : confusion) {
        QJsonArray r;
        for (std::int64_t v : row)
            r.append(qint64(v));
        rows.append(r);
    }
    QJsonArray classesJson;
    for (std::size_t c = 0; c < perClass.size(); ++c) {
        const ClassScores &s = perClass[c];
        classesJson.append(QJsonObject{{QStringLiteral("class"), qsizetype(c) < classNames.size()
                                                                     ? classNames[qsizetype(c)]
                                                                     : QString::number(c)},
                                       {QStringLiteral("precision"), s.precision},
                                       {QStringLiteral("recall"), s.recall},
                                       {QStringLiteral("f1"), s.f1},
                                       {QStringLiteral("support"), qint64(s.support)}});
    }
    return {{QStringLiteral("accuracy"), number(accuracy)},
            {QStringLiteral("balanced_accuracy"), number(balancedAccuracy)},
            {QStringLiteral("macro_f1"), number(macroF1)},
            {QStringLiteral("log_loss"), number(logLoss)},
            {QStringLiteral("roc_auc_ovr"), number(rocAucOvr)},
            {QStringLiteral("examples"), qint64(examples)},
            {QStringLiteral("confusion"), rows},
            {QStringLiteral("per_class"), classesJson}};
}

} // namespace twb
