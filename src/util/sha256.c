/* SHA-256 as specified in FIPS 180-4. */
#include <pthread.h>
#include <string.h>
#include "util/sha256.h"

static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_generic(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc;
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0];
	b = st[1];
	cc = st[2];
	d = st[3];
	e = st[4];
	f = st[5];
	g = st[6];
	h = st[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
		              K[i] + w[i];
		uint32_t t2 =
		        (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	st[0] += a;
	st[1] += b;
	st[2] += cc;
	st[3] += d;
	st[4] += e;
	st[5] += f;
	st[6] += g;
	st[7] += h;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1

/* The same compression with the SHA extensions (chosen at run time). The
 * state is kept as the instructions want it, ABEF and CDGH, for the one
 * block; each step of four rounds adds the next four words of the
 * schedule, computed from the previous sixteen. */
__attribute__((target("sha,sse4.1"))) static void compress_sha_ni(uint32_t st[8],
                                                                  const unsigned char *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0xb1);
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(st + 4)), 0x1b);
	__m128i s0 = _mm_alignr_epi8(t, s1, 8); /* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xf0);      /* CDGH */
	__m128i abef = s0, cdgh = s1, w[4];
	for (int i = 0; i < 16; i++) {
		if (i < 4) {
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)),
			                        bswap);
		} else {
			__m128i x = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
			x = _mm_add_epi32(x, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
			w[i & 3] = _mm_sha256msg2_epu32(x, w[(i + 3) & 3]);
		}
		__m128i k = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)(K + 4 * i)));
		s1 = _mm_sha256rnds2_epu32(s1, s0, k);
		s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0e));
	}
	s0 = _mm_add_epi32(s0, abef);
	s1 = _mm_add_epi32(s1, cdgh);
	t = _mm_shuffle_epi32(s0, 0x1b);
	s1 = _mm_shuffle_epi32(s1, 0xb1);
	_mm_storeu_si128((__m128i *)st, _mm_blend_epi16(t, s1, 0xf0));
	_mm_storeu_si128((__m128i *)(st + 4), _mm_alignr_epi8(s1, t, 8));
}

static int cpu_has_sha(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return 0;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

static void (*compress)(uint32_t st[8], const unsigned char *p) = compress_generic;
static pthread_once_t compress_once = PTHREAD_ONCE_INIT;
static int hw_allowed = 1;

static void compress_choose(void)
{
#ifdef HAVE_SHA_NI
	if (hw_allowed && cpu_has_sha())
		compress = compress_sha_ni;
#endif
}

int sg_sha256_use_hw(int on)
{
	pthread_once(&compress_once, compress_choose);
	hw_allowed = on;
	compress = compress_generic;
	compress_choose();
	return compress != compress_generic;
}

void sg_sha256_compress(uint32_t st[8], const unsigned char *blocks, size_t n)
{
	pthread_once(&compress_once, compress_choose);
	for (; n; n--, blocks += 64)
		compress(st, blocks);
}

void sg_sha256_init(sg_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

void sg_sha256_update(sg_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	c->len += len;
	if (c->fill) {
		size_t n = 64 - c->fill < len ? 64 - c->fill : len;
		memcpy(c->buf + c->fill, p, n);
		c->fill += n;
		p += n;
		len -= n;
		if (c->fill < 64)
			return;
		sg_sha256_compress(c->h, c->buf, 1);
		c->fill = 0;
	}
	if (len >= 64) {
		sg_sha256_compress(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	memcpy(c->buf, p, len);
	c->fill = len;
}

void sg_sha256_digest(const uint32_t st[8], unsigned char out[32])
{
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(st[i] >> 24);
		out[4 * i + 1] = (unsigned char)(st[i] >> 16);
		out[4 * i + 2] = (unsigned char)(st[i] >> 8);
		out[4 * i + 3] = (unsigned char)st[i];
	}
}

void sg_sha256_final(sg_sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;
	c->buf[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->buf + c->fill, 0, 64 - c->fill);
		sg_sha256_compress(c->h, c->buf, 1);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sg_sha256_compress(c->h, c->buf, 1);
	sg_sha256_digest(c->h, out);
}
