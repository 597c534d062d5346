/* progress: a worker pool that says how far it got, for the progress line a
 * terminal shows during long range and file scans. */
#ifndef SG_PROGRESS_H
#define SG_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* Called at most every 200 ms from a worker thread (serialised), and once at
 * the end: items done of total, milliseconds since the start. */
typedef void (*sg_progress_fn)(void *ctx, uint64_t done, uint64_t total, double elapsed_ms);

/* sg_pool_run, reporting to tick (which may be NULL: then it is sg_pool_run). */
int sg_pool_run_progress(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item),
                         void *ctx, sg_progress_fn tick, void *tick_ctx);

#endif
