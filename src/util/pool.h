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
/* The same for work that opens and closes many files: on Linux each
 * started thread has a file descriptor table of its own (no lock shared
 * with the other threads on every open and close). A thread's fds are its
 * own: work must close what it opens, and leave(leave_ctx, worker) runs on
 * each worker's own thread (the calling thread's in sg_feed_finish) when
 * it has no more items, to close what it kept open between them. */
int sg_feed_start_own_fds(sg_feed **out, int jobs, int (*work)(void *ctx, int worker, size_t item),
                          void *ctx, void (*leave)(void *leave_ctx, int worker), void *leave_ctx);
/* Items 0..count-1 are ready. */
void sg_feed_add(sg_feed *f, size_t count);
/* 1 once a work call has failed (the producer may stop early). */
int sg_feed_failed(sg_feed *f);
int sg_feed_finish(sg_feed *f);

#endif
