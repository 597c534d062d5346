/* A worker pool that reports progress (progress.h). */
#include <pthread.h>
#include <time.h>
#include "util/progress.h"
#include "util/pool.h"

#define PROGRESS_EVERY_MS 200

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void sg_progress_init(sg_progress *c, int (*work)(void *, int, size_t), void *ctx,
                      sg_progress_fn tick, void *tick_ctx, uint64_t total)
{
	*c = (sg_progress){
	        work, ctx, tick, tick_ctx, 0, total, mono_ms(), 0, PTHREAD_MUTEX_INITIALIZER};
	c->last = c->t0;
}

void sg_progress_total(sg_progress *c, uint64_t total)
{
	__atomic_store_n(&c->total, total, __ATOMIC_RELAXED);
}

int sg_progress_work(void *ctx, int worker, size_t item)
{
	sg_progress *c = ctx;
	int r = c->work(c->ctx, worker, item);
	uint64_t done = __atomic_add_fetch(&c->done, 1, __ATOMIC_RELAXED);
	/* whoever holds the lock reports; the others carry on */
	if (pthread_mutex_trylock(&c->lock) == 0) {
		double t = mono_ms();
		if (t - c->last >= PROGRESS_EVERY_MS) {
			c->last = t;
			c->tick(c->tick_ctx, done, __atomic_load_n(&c->total, __ATOMIC_RELAXED),
			        t - c->t0);
		}
		pthread_mutex_unlock(&c->lock);
	}
	return r;
}

void sg_progress_end(sg_progress *c)
{
	c->tick(c->tick_ctx, c->done, c->total, mono_ms() - c->t0);
	pthread_mutex_destroy(&c->lock);
}

int sg_pool_run_progress(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item),
                         void *ctx, sg_progress_fn tick, void *tick_ctx)
{
	if (!tick)
		return sg_pool_run(n, jobs, work, ctx);
	sg_progress c;
	sg_progress_init(&c, work, ctx, tick, tick_ctx, n);
	int r = sg_pool_run(n, jobs, sg_progress_work, &c);
	sg_progress_end(&c);
	return r;
}
