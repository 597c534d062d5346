/* Encodings the unit tests and fuzz targets build their inputs with, at run
 * time (the project holds no encoded credentials): base64 in the standard
 * alphabet with padding, hex of one case, percent-encoding. in is a
 * NUL-terminated string; out must hold 4 * ((strlen(in) + 2) / 3) + 1,
 * 2 * strlen(in) + 1 and 3 * strlen(in) + 1 bytes. */
#ifndef SG_TEST_ENCODE_H
#define SG_TEST_ENCODE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline void test_base64(char *out, const char *in)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = i + 1 < n ? al[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? al[v & 63] : '=';
	}
	out[o] = '\0';
}

static inline void test_hex(char *out, const char *in, int upper)
{
	for (size_t i = 0; in[i]; i++)
		snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", (unsigned char)in[i]);
	out[2 * strlen(in)] = '\0';
}

static inline void test_percent(char *out, const char *in)
{
	for (size_t i = 0; in[i]; i++)
		snprintf(out + 3 * i, 4, "%%%02X", (unsigned char)in[i]);
	out[3 * strlen(in)] = '\0';
}

#endif
