/* progress: a worker pool that says how far it got, for the progress line a
 * terminal shows during long range and file scans. */
#ifndef SG_PROGRESS_H
#define SG_PROGRESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Called at most every 200 ms from a worker thread (serialised), and once at
 * the end: items done of total (0 while the total is not known yet),
 * milliseconds since the start. */
typedef void (*sg_progress_fn)(void *ctx, uint64_t done, uint64_t total, double elapsed_ms);

/* Work wrapped to count what is done and report it: sg_progress_work calls
 * c->work and ticks at most every 200 ms. total may grow while it runs (a
 * listing still being read); set it with sg_progress_total. */
typedef struct sg_progress {
	int (*work)(void *ctx, int worker, size_t item);
	void *ctx;
	sg_progress_fn tick;
	void *tick_ctx;
	uint64_t done, total;
	double t0, last;
	pthread_mutex_t lock;
} sg_progress;
void sg_progress_init(sg_progress *c, int (*work)(void *, int, size_t), void *ctx,
                      sg_progress_fn tick, void *tick_ctx, uint64_t total);
int sg_progress_work(void *c, int worker, size_t item);
void sg_progress_total(sg_progress *c, uint64_t total);
/* The last tick, and the lock freed. */
void sg_progress_end(sg_progress *c);

/* sg_pool_run, reporting to tick (which may be NULL: then it is sg_pool_run). */
int sg_pool_run_progress(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item),
                         void *ctx, sg_progress_fn tick, void *tick_ctx);

#endif
