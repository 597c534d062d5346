/* The worker-thread pool the sources share. */
#ifndef SG_UTIL_POOL_H
#define SG_UTIL_POOL_H

#include <stddef.h>

/* Run work(ctx, worker, item) for items 0..n-1 on `jobs` threads (0 = cores).
 * Returns the first negative result, after every thread has stopped. */
int sg_pool_run(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item), void *ctx);
int sg_cores(void);

/* A pool whose items appear while it runs (a listing read on the calling
 * thread): sg_feed_start starts jobs - 1 threads (0 = cores), which call
 * work(ctx, worker, item) for items 0, 1, ... as sg_feed_add makes them
 * available. sg_feed_finish says no more will come, works on the rest on
 * the calling thread as the last worker, waits for every thread and frees
 * the feed; it returns the first negative result of work. */
typedef struct sg_feed sg_feed;
int sg_feed_start(sg_feed **out, int jobs, int (*work)(void *ctx, int worker, size_t item),
                  void *ctx);
/* Items 0..count-1 are ready. */
void sg_feed_add(sg_feed *f, size_t count);
/* 1 once a work call has failed (the producer may stop early). */
int sg_feed_failed(sg_feed *f);
int sg_feed_finish(sg_feed *f);

#endif
