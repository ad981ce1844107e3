#include "RealFft.h"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static_assert(sizeof(std::complex<float>) == sizeof(fftwf_complex),
              "std::complex<float> and fftwf_complex must share their layout");

namespace twb::dsp {

namespace {

struct Cache
{
    std::mutex mutex; // guards `plans` (lookups and inserts)
    std::map<int, std::unique_ptr<FftPlans>> plans;
};

Cache &cache()
{
    // Never destroyed: plans may be executed by threads that outlive static destruction.
    static Cache *instance = new Cache;
    return *instance;
}

} // namespace

std::mutex &FftPlanCache::plannerMutex()
{
    static std::mutex *mutex = new std::mutex;
    return *mutex;
}

const FftPlans &FftPlanCache::plans(int n)
{
    if (n < 1)
        throw std::invalid_argument("FFT size must be at least 1");
    Cache &c = cache();
    std::lock_guard cacheLock(c.mutex);
    auto it = c.plans.find(n);
    if (it != c.plans.end())
        return *it->second;

    auto made = std::make_unique<FftPlans>();
    {
        std::lock_guard plannerLock(plannerMutex());
        float *time = fftwf_alloc_real(std::size_t(n));
        fftwf_complex *spectrum = fftwf_alloc_complex(std::size_t(n / 2 + 1));
        made->forward = fftwf_plan_dft_r2c_1d(n, time, spectrum, FFTW_ESTIMATE);
        made->inverse = fftwf_plan_dft_c2r_1d(n, spectrum, time, FFTW_ESTIMATE);
        fftwf_complex *in = fftwf_alloc_complex(std::size_t(n));
        fftwf_complex *out = fftwf_alloc_complex(std::size_t(n));
        made->complexForward = fftwf_plan_dft_1d(n, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
        fftwf_free(out);
        fftwf_free(in);
        fftwf_free(spectrum);
        fftwf_free(time);
    }
    if (!made->forward || !made->inverse || !made->complexForward)
        throw std::runtime_error("FFTW could not plan a real FFT");
    return *c.plans.emplace(n, std::move(made)).first->second;
}

int FftPlanCache::cachedSizes()
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    return int(c.plans.size());
}

namespace {

/// `count` zeroed elements from fftwf_malloc.
template<typename T>
detail::FftwBuffer<T> zeroedBuffer(int count)
{
    detail::FftwBuffer<T> buffer(static_cast<T *>(fftwf_malloc(sizeof(T) * std::size_t(count))));
    if (!buffer)
        throw std::bad_alloc();
    std::fill(buffer.get(), buffer.get() + count, T());
    return buffer;
}

} // namespace

void detail::FftwFree::operator()(void *p) const noexcept
{
    fftwf_free(p);
}

RealFft::RealFft(int n)
    : m_n(n)
    , m_plans(&FftPlanCache::plans(n))
    , m_time(zeroedBuffer<float>(n))
    , m_spectrum(zeroedBuffer<std::complex<float>>(n / 2 + 1))
{}

void RealFft::forward()
{
    fftwf_execute_dft_r2c(m_plans->forward, m_time.get(),
                          reinterpret_cast<fftwf_complex *>(m_spectrum.get()));
}

void RealFft::inverse()
{
    fftwf_execute_dft_c2r(m_plans->inverse, reinterpret_cast<fftwf_complex *>(m_spectrum.get()),
                          m_time.get());
}

RealFftPair::RealFftPair(int n)
    : m_n(n)
    , m_plans(&FftPlanCache::plans(n))
    , m_input(zeroedBuffer<std::complex<float>>(n))
    , m_output(zeroedBuffer<std::complex<float>>(n))
{}

void RealFftPair::forward()
{
    fftwf_execute_dft(m_plans->complexForward, reinterpret_cast<fftwf_complex *>(m_input.get()),
                      reinterpret_cast<fftwf_complex *>(m_output.get()));
}

void RealFftPair::powerOfPair(float *powerA, float *powerB) const
{
    const float *z = reinterpret_cast<const float *>(m_output.get()); // re, im interleaved
    const int b = bins();
    // k = 0 pairs with itself (n - 0 = n = 0 mod n).
    powerA[0] = z[0] * z[0];
    powerB[0] = z[1] * z[1];
    int k = 1;
#if defined(__SSE2__)
    // Four bins at a time: Z[k..k+3] against W = Z[n-k..n-k-3] (read backwards).
    const __m128 conjugate =
        _mm_castsi128_ps(_mm_set_epi32(int(0x80000000), 0, int(0x80000000), 0));
    const __m128 quarter = _mm_set1_ps(0.25f);
    for (; k + 4 <= b; k += 4) {
        const float *w = z + 2 * (m_n - k - 3); // complex n-k-3 .. n-k
        const __m128 z01 = _mm_loadu_ps(z + 2 * k);
        const __m128 z23 = _mm_loadu_ps(z + 2 * k + 4);
        const __m128 wHigh = _mm_loadu_ps(w + 4); // W[n-k-1], W[n-k]
        const __m128 wLow = _mm_loadu_ps(w);      // W[n-k-3], W[n-k-2]
        // conj of W[n-k], W[n-k-1] and of W[n-k-2], W[n-k-3]
        const __m128 c01 =
            _mm_xor_ps(_mm_shuffle_ps(wHigh, wHigh, _MM_SHUFFLE(1, 0, 3, 2)), conjugate);
        const __m128 c23 =
            _mm_xor_ps(_mm_shuffle_ps(wLow, wLow, _MM_SHUFFLE(1, 0, 3, 2)), conjugate);
        const __m128 s01 = _mm_add_ps(z01, c01), s23 = _mm_add_ps(z23, c23); // 2 A
        const __m128 d01 = _mm_sub_ps(z01, c01), d23 = _mm_sub_ps(z23, c23); // 2 i B
        const __m128 sq01 = _mm_mul_ps(s01, s01), sq23 = _mm_mul_ps(s23, s23);
        const __m128 dq01 = _mm_mul_ps(d01, d01), dq23 = _mm_mul_ps(d23, d23);
        // re^2 + im^2 of each complex: even lanes plus odd lanes
        const __m128 a = _mm_add_ps(_mm_shuffle_ps(sq01, sq23, _MM_SHUFFLE(2, 0, 2, 0)),
                                    _mm_shuffle_ps(sq01, sq23, _MM_SHUFFLE(3, 1, 3, 1)));
        const __m128 bb = _mm_add_ps(_mm_shuffle_ps(dq01, dq23, _MM_SHUFFLE(2, 0, 2, 0)),
                                     _mm_shuffle_ps(dq01, dq23, _MM_SHUFFLE(3, 1, 3, 1)));
        _mm_storeu_ps(powerA + k, _mm_mul_ps(a, quarter));
        _mm_storeu_ps(powerB + k, _mm_mul_ps(bb, quarter));
    }
#endif
    for (; k < b; ++k) {
        const int m = m_n - k;
        const float zr = z[2 * k], zi = z[2 * k + 1];
        const float wr = z[2 * m], wi = z[2 * m + 1];
        const float ar = zr + wr, ai = zi - wi; // 2 A[k]
        const float br = zr - wr, bi = zi + wi; // 2 i B[k]; |2 i B| = |2 B|
        powerA[k] = 0.25f * (ar * ar + ai * ai);
        powerB[k] = 0.25f * (br * br + bi * bi);
    }
}

} // namespace twb::dsp
