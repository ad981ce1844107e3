#include "AttentionMath.h"

#include <algorithm>
#include <cmath>

namespace twb::explain {

AttentionLayer headAverage(const AttentionLayer &layer)
{
    if (!layer.isValid())
        return {};
    AttentionLayer mean;
    mean.heads = 1;
    mean.queries = layer.queries;
    mean.keys = layer.keys;
    const std::size_t cells = std::size_t(layer.queries) * std::size_t(layer.keys);
    std::vector<double> sum(cells, 0.0);
    for (int h = 0; h < layer.heads; ++h) {
        const float *head = layer.weights.data() + std::size_t(h) * cells;
        for (std::size_t i = 0; i < cells; ++i)
            sum[i] += head[i];
    }
    mean.weights.resize(cells);
    for (std::size_t i = 0; i < cells; ++i)
        mean.weights[i] = float(sum[i] / layer.heads);
    return mean;
}

AttentionLayer layerAverage(const std::vector<AttentionLayer> &layers, int count)
{
    const std::size_t n = count < 0 ? layers.size() : std::min(layers.size(), std::size_t(count));
    if (n == 0 || !layers.front().isValid())
        return {};
    const AttentionLayer &first = layers.front();
    std::vector<double> sum(first.weights.size(), 0.0);
    for (std::size_t l = 0; l < n; ++l) {
        const AttentionLayer &layer = layers[l];
        if (!layer.isValid() || layer.heads != first.heads || layer.queries != first.queries ||
            layer.keys != first.keys)
            return {};
        for (std::size_t i = 0; i < sum.size(); ++i)
            sum[i] += layer.weights[i];
    }
    AttentionLayer mean{first.heads, first.queries, first.keys, {}};
    mean.weights.resize(sum.size());
    for (std::size_t i = 0; i < sum.size(); ++i)
        mean.weights[i] = float(sum[i] / double(n));
    return mean;
}

namespace {

/// c = a · b for n × n row-major matrices. Blocks of query rows share each row of b, so b is
/// streamed from memory n / block times instead of n times (1,212 AST tokens: 5.9 MB per pass).
void multiply(const std::vector<float> &a, const std::vector<float> &b, std::vector<float> &c,
              int n)
{
    constexpr int block = 8;
    std::fill(c.begin(), c.end(), 0.0f);
    for (int q0 = 0; q0 < n; q0 += block) {
        const int q1 = std::min(n, q0 + block);
        for (int m = 0; m < n; ++m) {
            const float *in = &b[std::size_t(m) * std::size_t(n)];
            for (int q = q0; q < q1; ++q) {
                const float w = a[std::size_t(q) * std::size_t(n) + std::size_t(m)];
                if (w == 0.0f)
                    continue;
                float *out = &c[std::size_t(q) * std::size_t(n)];
                for (int k = 0; k < n; ++k)
                    out[k] += w * in[k];
            }
        }
    }
}

} // namespace

AttentionLayer rollout(const std::vector<AttentionLayer> &layers, int upToLayer)
{
    if (layers.empty())
        return {};
    const int last = upToLayer < 0 ? int(layers.size()) - 1 : upToLayer;
    if (last >= int(layers.size()))
        return {};
    const int n = layers.front().queries;
    const std::size_t cells = std::size_t(n) * std::size_t(n);
    std::vector<float> result(cells, 0.0f);
    for (int i = 0; i < n; ++i)
        result[std::size_t(i) * std::size_t(n) + std::size_t(i)] = 1.0f;
    std::vector<float> mixed(cells);
    std::vector<float> product(cells);
    for (int l = 0; l <= last; ++l) {
        const AttentionLayer mean = headAverage(layers[std::size_t(l)]);
        if (!mean.isValid() || mean.queries != n || mean.keys != n)
            return {};
        for (int q = 0; q < n; ++q) {
            double rowSum = 0.0;
            for (int k = 0; k < n; ++k) {
                const std::size_t i = std::size_t(q) * std::size_t(n) + std::size_t(k);
                rowSum += 0.5 * double(mean.weights[i]) + (q == k ? 0.5 : 0.0);
            }
            for (int k = 0; k < n; ++k) {
                const std::size_t i = std::size_t(q) * std::size_t(n) + std::size_t(k);
                mixed[i] = float((0.5 * double(mean.weights[i]) + (q == k ? 0.5 : 0.0)) / rowSum);
            }
        }
        // This layer is applied after the ones below it: product = mixed · result.
        multiply(mixed, result, product, n);
        result.swap(product);
    }
    return AttentionLayer{1, n, n, std::move(result)};
}

std::vector<float> queryRow(const AttentionLayer &layer, int head, int query)
{
    if (!layer.isValid() || query < 0 || query >= layer.queries || head >= layer.heads)
        return {};
    if (head >= 0) {
        const float *row = layer.row(head, query);
        return {row, row + layer.keys};
    }
    std::vector<double> sum(std::size_t(layer.keys), 0.0);
    for (int h = 0; h < layer.heads; ++h) {
        const float *row = layer.row(h, query);
        for (int k = 0; k < layer.keys; ++k)
            sum[std::size_t(k)] += row[k];
    }
    std::vector<float> mean(sum.size());
    for (std::size_t k = 0; k < sum.size(); ++k)
        mean[k] = float(sum[k] / layer.heads);
    return mean;
}

std::vector<float> rowEntropy(const AttentionLayer &layer)
{
    if (!layer.isValid())
        return {};
    std::vector<float> entropy(std::size_t(layer.heads) * std::size_t(layer.queries));
    for (int h = 0; h < layer.heads; ++h)
        for (int q = 0; q < layer.queries; ++q) {
            const float *row = layer.row(h, q);
            double e = 0.0;
            for (int k = 0; k < layer.keys; ++k)
                if (row[k] > 0.0f)
                    e -= double(row[k]) * std::log(double(row[k]));
            entropy[std::size_t(h) * std::size_t(layer.queries) + std::size_t(q)] = float(e);
        }
    return entropy;
}

bool addToMean(AttentionSet &mean, const AttentionSet &next, int count)
{
    if (count <= 0) {
        mean = next;
        return true;
    }
    if (mean.layers.size() != next.layers.size())
        return false;
    for (std::size_t l = 0; l < mean.layers.size(); ++l) {
        const AttentionLayer &a = mean.layers[l], &b = next.layers[l];
        if (a.heads != b.heads || a.queries != b.queries || a.keys != b.keys ||
            a.weights.size() != b.weights.size())
            return false;
    }
    // mean_{k+1} = mean_k + (x - mean_k) / (k + 1): no large sums, no second pass.
    const float step = 1.0f / float(count + 1);
    for (std::size_t l = 0; l < mean.layers.size(); ++l) {
        std::vector<float> &m = mean.layers[l].weights;
        const std::vector<float> &x = next.layers[l].weights;
        for (std::size_t i = 0; i < m.size(); ++i)
            m[i] += (x[i] - m[i]) * step;
    }
    return true;
}

} // namespace twb::explain
