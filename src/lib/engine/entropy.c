/* Shannon entropy of a byte string, in bits per byte. */
#include <math.h>
#include "secretgate/secretgate.h"
#include "lib/engine/checks.h"

double sg_entropy(const char *s, size_t len)
{
	size_t counts[256] = {0};
	double h = 0.0;
	if (len == 0)
		return 0.0;
	for (size_t i = 0; i < len; i++)
		counts[(unsigned char)s[i]]++;
	for (size_t i = 0; i < 256; i++) {
		if (counts[i] == 0)
			continue;
		double p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}
