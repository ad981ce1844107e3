#pragma once

#include "LargeAllocator.h"

#include <complex>
#include <cstdint>
#include <vector>

namespace twb::dsp {

/// A dense row-major matrix owning its values: element (r, c) is `data[r * cols + c]`.
/// Which axis is which is stated by every function that returns one (e.g. a magnitude
/// spectrogram is `[bins, frames]`: rows = frequency bins, columns = frames).
template<typename T>
struct Matrix
{
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::vector<T, LargeAllocator<T>> data; ///< huge-page backed when large

    Matrix() = default;
    Matrix(std::int64_t r, std::int64_t c, T fill = T())
        : rows(r)
        , cols(c)
        , data(std::size_t(r * c), fill)
    {}

    /// Tag for a matrix whose values are all written by its creator before anyone reads them:
    /// skips zero-filling (which costs as much as the STFT for a long recording).
    struct Uninitialized
    {
    };
    Matrix(std::int64_t r, std::int64_t c, Uninitialized)
        : rows(r)
        , cols(c)
    {
        data.resize(std::size_t(r * c)); // default-initialised, see LargeAllocator::construct
    }

    bool isEmpty() const { return rows == 0 || cols == 0; }
    T &operator()(std::int64_t r, std::int64_t c) { return data[std::size_t(r * cols + c)]; }
    const T &operator()(std::int64_t r, std::int64_t c) const
    {
        return data[std::size_t(r * cols + c)];
    }
    T *row(std::int64_t r) { return data.data() + r * cols; }
    const T *row(std::int64_t r) const { return data.data() + r * cols; }
};

using FloatMatrix = Matrix<float>;
using ComplexMatrix = Matrix<std::complex<float>>;

/// Row-major `[rows, cols]` -> `[cols, rows]`.
template<typename T>
Matrix<T> transposed(const Matrix<T> &m)
{
    Matrix<T> t(m.cols, m.rows);
    for (std::int64_t r = 0; r < m.rows; ++r)
        for (std::int64_t c = 0; c < m.cols; ++c)
            t(c, r) = m(r, c);
    return t;
}

} // namespace twb::dsp
