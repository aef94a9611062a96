// This file implements the base64 run searches (see base64_runs.hpp). Each classifies a block of bytes
// into a bit mask, bit k set iff byte k is a base64 character, and works on the masks: plain text costs
// the decoder this much per byte, so it is kept to a few instructions per 32 bytes where AVX2 is there.
#include "util/base64_runs.hpp"

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KEYGATE_X86 1
#endif

namespace keygate {
namespace {

constexpr std::size_t kRun = 16;

#if defined(KEYGATE_X86)
// Bit k set iff p[k] is a base64 character, for k < 16 (SSE2: ranges by signed comparisons).
inline unsigned bits16_sse2(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Letters: v | 0x20 in 'a'..'z' (only A-Z and a-z land there); the range test shifts it to start at
  // -128, so that one signed comparison bounds it. The same for '/'..'9'.
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(folded, _mm_set1_epi8(static_cast<char>(0x80 - 'a'))),
                                        _mm_set1_epi8(static_cast<char>(-128 + 26)));
  const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - '/'))),
                                       _mm_set1_epi8(static_cast<char>(-128 + 11)));
  const __m128i symbol =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), symbol)));
}

inline std::uint64_t bits64_sse2(const char* p) {
  return bits16_sse2(p) | (std::uint64_t{bits16_sse2(p + 16)} << 16) |
         (std::uint64_t{bits16_sse2(p + 32)} << 32) | (std::uint64_t{bits16_sse2(p + 48)} << 48);
}

// Bit k set iff p[k] is a base64 character, for k < 32 (AVX2: a table lookup per nibble). Each high
// nibble that holds base64 characters has a bit; the low-nibble table sets, per low nibble, the bits of
// the high nibbles it completes: + - / (2B 2D 2F): bit 0; 0-9 (30-39): bit 1; A-O, a-o (41-4F, 61-6F):
// bit 2; P-Z, p-z (50-5A, 70-7A): bit 3; _ (5F): bit 4. Bytes of 0x80 and up look up 0 in both.
__attribute__((target("avx2"))) inline std::uint32_t bits32_avx2(const char* p) {
  const __m256i lo_table = _mm256_setr_epi8(
      0x0A, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0C, 0x05, 0x04, 0x05, 0x04, 0x15,  //
      0x0A, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0C, 0x05, 0x04, 0x05, 0x04, 0x15);
  const __m256i hi_table =
      _mm256_setr_epi8(0, 0, 0x01, 0x02, 0x04, 0x18, 0x04, 0x08, 0, 0, 0, 0, 0, 0, 0, 0,  //
                       0, 0, 0x01, 0x02, 0x04, 0x18, 0x04, 0x08, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
  // The low nibble's lookup takes v itself: a byte with its top bit set looks up 0.
  const __m256i both = _mm256_and_si256(_mm256_shuffle_epi8(lo_table, v), _mm256_shuffle_epi8(hi_table, hi));
  const __m256i none = _mm256_cmpeq_epi8(both, _mm256_setzero_si256());
  return ~static_cast<std::uint32_t>(_mm256_movemask_epi8(none));
}

__attribute__((target("avx2"))) inline std::uint64_t bits64_avx2(const char* p) {
  return bits32_avx2(p) | (std::uint64_t{bits32_avx2(p + 32)} << 32);
}

bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

// The first start of 16 set bits in a row in `m`, whose bits at and above 64 - 15 may go on in the next
// block; 64 when none starts below that.
inline std::size_t run16_in(std::uint64_t m) {
  m &= m >> 1;  // bit k: k and k+1 set
  m &= m >> 2;  // k..k+3
  m &= m >> 4;  // k..k+7
  m &= m >> 8;  // k..k+15 (bits 49-63 lack their upper neighbours: only 0-48 are final)
  m &= (std::uint64_t{1} << 49) - 1;
  return m != 0 ? static_cast<std::size_t>(__builtin_ctzll(m)) : 64;
}

// Inlined into each caller, so that the classifier is inlined in turn where the caller may use its
// instructions (find_run16_avx2).
template <typename Bits64>
__attribute__((always_inline)) inline std::size_t find_run16(std::string_view s, std::size_t from,
                                                             Bits64 bits64) {
  const std::size_t n = s.size();
  std::size_t i = from;
  std::size_t carry = 0;  // base64 characters in a row that end the blocks read so far (fewer than 16)
  for (; i + 64 <= n; i += 64) {
    const std::uint64_t m = bits64(s.data() + i);
    if (carry > 0) {
      const std::size_t ones = ~m == 0 ? 64 : static_cast<std::size_t>(__builtin_ctzll(~m));
      if (carry + ones >= kRun) return i - carry;
    }
    const std::size_t at = run16_in(m);
    if (at < 64) return i + at;
    // No run of 16 starts in bits 0-48, so the top bits set are fewer than 16 (and m is not all ones).
    carry = static_cast<std::size_t>(__builtin_clzll(~m));
  }
  for (std::size_t run = carry; i < n; ++i) {
    run = base64_run_byte(s[i]) ? run + 1 : 0;
    if (run == kRun) return i - (kRun - 1);
  }
  return std::string_view::npos;
}

#if defined(KEYGATE_X86)
struct Bits64Avx2 {
  __attribute__((target("avx2"))) std::uint64_t operator()(const char* p) const { return bits64_avx2(p); }
};

__attribute__((target("avx2"))) std::size_t find_run16_avx2(std::string_view s, std::size_t from) {
  return find_run16(s, from, Bits64Avx2{});
}

__attribute__((target("avx2"))) std::size_t run_end_avx2(std::string_view s, std::size_t i) {
  for (; i + 32 <= s.size(); i += 32) {
    const std::uint32_t other = ~bits32_avx2(s.data() + i);
    if (other != 0) return i + static_cast<std::size_t>(__builtin_ctz(other));
  }
  return i;
}
#endif

}  // namespace

std::size_t find_base64_run16(std::string_view s, std::size_t from, RunSimd simd) {
#if defined(KEYGATE_X86)
  if (simd == RunSimd::Best && has_avx2()) return find_run16_avx2(s, from);
  return find_run16(s, from, bits64_sse2);
#else
  (void)simd;
  return find_run16(s, from, [](const char* p) {
    std::uint64_t m = 0;
    for (int k = 0; k < 64; ++k) m |= std::uint64_t{base64_run_byte(p[k])} << k;
    return m;
  });
#endif
}

std::size_t base64_run_end(std::string_view s, std::size_t from, RunSimd simd) {
  const std::size_t n = s.size();
  std::size_t i = from;
#if defined(KEYGATE_X86)
  // Most runs are identifiers of a few dozen bytes: 32 (16) bytes at a time, not 64.
  if (simd == RunSimd::Best && has_avx2()) {
    i = run_end_avx2(s, i);
  } else {
    for (; i + 16 <= n; i += 16) {
      const unsigned other = ~bits16_sse2(s.data() + i) & 0xFFFFu;
      if (other != 0) return i + static_cast<std::size_t>(__builtin_ctz(other));
    }
  }
#else
  (void)simd;
#endif
  while (i < n && base64_run_byte(s[i])) ++i;
  return i;
}

}  // namespace keygate
