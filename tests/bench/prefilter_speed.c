/* The prefilter alone over a file held in memory: the embedded rules' keyword
 * search, best of N passes, in MB per second of CPU time on one core.
 *   prefilter_speed FILE [PASSES]   the figure
 *   prefilter_speed --keywords      the rules' keywords, one a line (to make
 *                                   keyword-free text with grep -v -i -F -f) */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "secretgate/secretgate.h"
#include "lib/engine/rule.h"

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: prefilter_speed FILE [PASSES] | --keywords\n");
		return 2;
	}
	if (strcmp(argv[1], "--keywords") == 0) {
		sg_ruleset *all;
		if (sg_ruleset_new_default(&all) < 0)
			return 2;
		for (size_t i = 0; i < all->count; i++)
			for (size_t k = 0;
			     all->rules[i]->enabled && k < all->rules[i]->keywords.count; k++)
				printf("%s\n", all->rules[i]->keywords.items[k]);
		sg_ruleset_free(all);
		return 0;
	}
	int passes = argc > 2 ? atoi(argv[2]) : 5;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc(len > 0 ? (size_t)len : 1);
	if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "prefilter_speed: cannot read %s\n", argv[1]);
		return 2;
	}
	fclose(f);
	sg_ruleset *rs;
	/* built here from the rules' keywords, the same tables the pack embeds, so
	 * one prefilter.c can be measured against another with the same pack */
	if (sg_ruleset_new_default(&rs) < 0 || (rs->pristine = 0, sg_ruleset_finalize(rs)) < 0) {
		fprintf(stderr, "%s\n", sg_error_last());
		return 2;
	}
	sg_hits hits = {0};
	double best = 0;
	size_t nhits = 0;
	/* scanned in 1 MB chunks, as the scanner reads files */
	const size_t chunk = 1 << 20;
	for (int p = 0; p < passes; p++) {
		double t = cpu_seconds();
		nhits = 0;
		for (size_t off = 0; off < (size_t)len; off += chunk) {
			size_t n = (size_t)len - off < chunk ? (size_t)len - off : chunk;
			hits.count = 0;
			if (sg_prefilter_scan(rs->prefilter, data + off, n, &hits) < 0)
				return 2;
			nhits += hits.count;
		}
		t = cpu_seconds() - t;
		if (p == 0 || t < best)
			best = t;
	}
	printf("%.0f MB/s per core over %.1f MB (%zu keyword hits, %zu states)\n",
	       (double)len / 1e6 / best, (double)len / 1e6, nhits,
	       sg_prefilter_states(rs->prefilter));
	sg_hits_free(&hits);
	sg_ruleset_free(rs);
	free(data);
	return 0;
}
