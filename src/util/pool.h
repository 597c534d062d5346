/* The worker-thread pool the sources share. */
#ifndef SG_UTIL_POOL_H
#define SG_UTIL_POOL_H

#include <stddef.h>

/* Run work(ctx, worker, item) for items 0..n-1 on `jobs` threads (0 = cores).
 * Returns the first negative result, after every thread has stopped. */
int sg_pool_run(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item), void *ctx);
int sg_cores(void);

#endif
