/* A worker pool that reports progress (progress.h). */
#include <pthread.h>
#include <time.h>
#include "util/progress.h"
#include "util/pool.h"

#define PROGRESS_EVERY_MS 200

typedef struct counted {
	int (*work)(void *, int, size_t);
	void *ctx;
	sg_progress_fn tick;
	void *tick_ctx;
	uint64_t done, total;
	double t0, last;
	pthread_mutex_t lock;
} counted;

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int counted_work(void *ctx, int worker, size_t item)
{
	counted *c = ctx;
	int r = c->work(c->ctx, worker, item);
	uint64_t done = __atomic_add_fetch(&c->done, 1, __ATOMIC_RELAXED);
	/* whoever holds the lock reports; the others carry on */
	if (pthread_mutex_trylock(&c->lock) == 0) {
		double t = mono_ms();
		if (t - c->last >= PROGRESS_EVERY_MS) {
			c->last = t;
			c->tick(c->tick_ctx, done, c->total, t - c->t0);
		}
		pthread_mutex_unlock(&c->lock);
	}
	return r;
}

int sg_pool_run_progress(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item),
                         void *ctx, sg_progress_fn tick, void *tick_ctx)
{
	if (!tick)
		return sg_pool_run(n, jobs, work, ctx);
	counted c = {work, ctx, tick, tick_ctx, 0, n, mono_ms(), 0, PTHREAD_MUTEX_INITIALIZER};
	c.last = c.t0;
	int r = sg_pool_run(n, jobs, counted_work, &c);
	tick(tick_ctx, c.done, n, mono_ms() - c.t0);
	pthread_mutex_destroy(&c.lock);
	return r;
}
