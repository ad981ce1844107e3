#pragma once

#include <complex>
#include <memory>
#include <mutex>

struct fftwf_plan_s; // fftw3.h: typedef struct fftwf_plan_s *fftwf_plan

namespace twb::dsp {

namespace detail {
/// Frees memory from fftwf_malloc (SIMD-aligned buffers of RealFft and RealFftPair).
struct FftwFree
{
    void operator()(void *p) const noexcept;
};
template<typename T>
using FftwBuffer = std::unique_ptr<T[], FftwFree>;
} // namespace detail

/// The FFTW plans of one transform size, created once per process and never destroyed.
struct FftPlans
{
    fftwf_plan_s *forward = nullptr;        ///< r2c, out of place, n floats -> n/2+1 complex
    fftwf_plan_s *inverse = nullptr;        ///< c2r, out of place, n/2+1 complex -> n floats
    fftwf_plan_s *complexForward = nullptr; ///< c2c forward, out of place, n -> n complex
};

/// Process-wide cache of FFTW plans, one pair per transform size.
///
/// FFTW's planner is not thread-safe, its execute functions are: every plan is created under
/// plannerMutex(), once per size, and then executed concurrently from any thread on arrays
/// allocated with fftwf_malloc (fftwf_execute_dft_r2c/c2r with new arrays of the same
/// alignment). Any other code in the process that calls an fftw(f)_plan_* function must hold
/// plannerMutex().
///
/// Plans are made with FFTW_ESTIMATE, not FFTW_MEASURE. Measured on this project's 2-core
/// machine: MEASURE takes 0.2-0.6 s to plan a power-of-two size and 1.3-2.3 s for a prime size
/// (ESTIMATE: 1-14 ms), which would stall a GUI whose window size is changed live, while
/// executing an n = 512 transform was within 6 % (1.07 vs 1.01 us). ESTIMATE also picks the
/// same algorithm in every run, so features are bit-identical from run to run (MEASURE's
/// choice depends on timing noise).
class FftPlanCache
{
public:
    /// The plans for size `n` (n >= 1), made on first use. Thread-safe.
    static const FftPlans &plans(int n);
    /// The lock that guards every FFTW planner call in the process.
    static std::mutex &plannerMutex();
    /// Number of sizes planned so far (for tests and diagnostics).
    static int cachedSizes();
};

/// A real FFT of size n with its own aligned work buffers.
///
/// forward(): X[k] = sum_t x[t] exp(-2 pi i k t / n), k = 0..n/2 (unnormalised, like
/// numpy.fft.rfft). inverse(): x[t] = sum over the full Hermitian spectrum, i.e. n times
/// numpy.fft.irfft (unnormalised, FFTW's convention; divide by n yourself).
///
/// One object must not be used from two threads at once; any number of objects (of the same or
/// different sizes) may run concurrently on different threads. Movable (a moved-from object may
/// only be destroyed or assigned), not copyable.
class RealFft
{
public:
    explicit RealFft(int n);

    int size() const { return m_n; }
    int bins() const { return m_n / 2 + 1; }

    /// The n real samples forward() reads and inverse() writes (owned, SIMD-aligned).
    float *timeData() { return m_time.get(); }
    /// The n/2+1 complex bins forward() writes and inverse() reads (owned, SIMD-aligned).
    std::complex<float> *spectrum() { return m_spectrum.get(); }

    /// timeData() -> spectrum(); timeData() is preserved.
    void forward();
    /// spectrum() -> timeData(); spectrum() is overwritten (FFTW c2r destroys its input).
    void inverse();

private:
    int m_n = 0;
    const FftPlans *m_plans = nullptr;
    detail::FftwBuffer<float> m_time;
    detail::FftwBuffer<std::complex<float>> m_spectrum;
};

/// Two real FFTs of size n for the price of one complex FFT (FFTW's complex codelets use SIMD
/// fully; on this project's machine one n = 512 complex transform takes 0.51 us, one real
/// transform 0.58 us).
///
/// Write frame a into the real parts and frame b into the imaginary parts of input(), call
/// forward(), then read A[k] = (Z[k] + conj Z[n-k]) / 2 and B[k] = (Z[k] - conj Z[n-k]) / 2i
/// from output() = Z, k = 0..n/2 (indices mod n); powerOfPair() does that for |A|^2 and |B|^2.
/// Values agree with RealFft to float rounding relative to the larger of the two frames.
///
/// Threading and ownership as RealFft: one object per thread, buffers owned and SIMD-aligned.
class RealFftPair
{
public:
    explicit RealFftPair(int n);

    int size() const { return m_n; }
    int bins() const { return m_n / 2 + 1; }

    /// n complex samples: frame a in the real parts, frame b in the imaginary parts.
    std::complex<float> *input() { return m_input.get(); }
    /// The n complex bins of the last forward().
    const std::complex<float> *output() const { return m_output.get(); }

    /// input() -> output(); input() is preserved.
    void forward();
    /// |A[k]|^2 into powerA[k] and |B[k]|^2 into powerB[k], k = 0..n/2, from output().
    void powerOfPair(float *powerA, float *powerB) const;

private:
    int m_n = 0;
    const FftPlans *m_plans = nullptr;
    detail::FftwBuffer<std::complex<float>> m_input;
    detail::FftwBuffer<std::complex<float>> m_output;
};

} // namespace twb::dsp
