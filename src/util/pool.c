/* Worker threads pulling items from a shared counter, and the notice list
 * they report non-fatal problems into. */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/pool.h"
#include "secretgate/secretgate.h"

#define NOTICES_MAX 1000

/* Notices are rare (a skipped file, a cap reached), so one lock serves
 * every list: a list needs no set-up that can fail and owns no lock. */
static pthread_mutex_t notices_lock = PTHREAD_MUTEX_INITIALIZER;

int sg_notices_init(sg_notices *n)
{
	memset(n, 0, sizeof(*n));
	return 0;
}

void sg_notices_free(sg_notices *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->items[i]);
	free(n->items);
	memset(n, 0, sizeof(*n));
}

void sg_notices_add(sg_notices *n, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (!n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&notices_lock);
	if (n->count >= NOTICES_MAX) {
		n->dropped++;
	} else {
		if (n->count == n->cap) {
			size_t ncap = n->cap ? n->cap * 2 : 16;
			char **items = realloc(n->items, ncap * sizeof(*items));
			if (items) {
				n->items = items;
				n->cap = ncap;
			}
		}
		char *copy = n->count < n->cap ? strdup(buf) : NULL;
		if (copy)
			n->items[n->count++] = copy;
		else
			n->dropped++;
	}
	pthread_mutex_unlock(&notices_lock);
}

int sg_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

typedef struct pool {
	size_t n, next;
	int (*work)(void *, int, size_t);
	void *ctx;
	int error;
	char message[512];
} pool;

typedef struct worker_arg {
	pool *p;
	int id;
} worker_arg;

static void *worker_main(void *arg)
{
	worker_arg *a = arg;
	pool *p = a->p;
	for (;;) {
		if (__atomic_load_n(&p->error, __ATOMIC_RELAXED))
			break;
		size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		if (i >= p->n)
			break;
		int r = p->work(p->ctx, a->id, i);
		if (r < 0) {
			int zero = 0;
			if (__atomic_compare_exchange_n(&p->error, &zero, r, 0, __ATOMIC_SEQ_CST,
			                                __ATOMIC_SEQ_CST))
				snprintf(p->message, sizeof(p->message), "%s", sg_error_last());
			break;
		}
	}
	return NULL;
}

int sg_pool_run(size_t n, int jobs, int (*work)(void *ctx, int worker, size_t item), void *ctx)
{
	pool p = {n, 0, work, ctx, 0, {0}};
	if (jobs <= 0)
		jobs = sg_cores();
	if ((size_t)jobs > n)
		jobs = n ? (int)n : 1;
	if (jobs == 1) {
		worker_arg a = {&p, 0};
		worker_main(&a);
		return p.error ? sg_error_set(p.error, "%s", p.message) : 0;
	}
	pthread_t *t = calloc((size_t)jobs, sizeof(*t));
	worker_arg *args = calloc((size_t)jobs, sizeof(*args));
	if (!t || !args) {
		free(t);
		free(args);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	int started = 0;
	for (int i = 0; i < jobs; i++) {
		args[i] = (worker_arg){&p, i};
		if (pthread_create(&t[i], NULL, worker_main, &args[i]) != 0)
			break;
		started++;
	}
	if (started == 0) {
		args[0] = (worker_arg){&p, 0};
		worker_main(&args[0]);
	}
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	free(args);
	return p.error ? sg_error_set(p.error, "%s", p.message) : 0;
}

struct sg_feed {
	pthread_mutex_t lock;
	pthread_cond_t more;
	size_t ready, next;
	int done, error, jobs, started;
	char message[512];
	int (*work)(void *, int, size_t);
	void *ctx;
	void (*leave)(void *, int); /* sg_feed_start_own_fds */
	void *leave_ctx;
	pthread_t *threads;
	struct feed_arg *args;
};

typedef struct feed_arg {
	sg_feed *f;
	int id;
} feed_arg;

#define FEED_RUN 128

/* Work failed with r: the first failure is the feed's, and every worker
 * waiting for items is woken to stop. */
static void feed_fail(sg_feed *f, int r)
{
	pthread_mutex_lock(&f->lock);
	if (!f->error) {
		f->error = r;
		snprintf(f->message, sizeof(f->message), "%s", sg_error_last());
	}
	pthread_cond_broadcast(&f->more);
	pthread_mutex_unlock(&f->lock);
}

static void feed_worker(sg_feed *f, int id)
{
	for (;;) {
		pthread_mutex_lock(&f->lock);
		while (!f->error && f->next >= f->ready && !f->done)
			pthread_cond_wait(&f->more, &f->lock);
		if (f->error || f->next >= f->ready) {
			pthread_mutex_unlock(&f->lock);
			return;
		}
		/* a run of items while many are ready (neighbours in a listing share
		 * a directory, which one thread then opens from alone), shorter as
		 * fewer are left so that the threads end together */
		size_t i = f->next, n = (f->ready - i) / (8 * (size_t)f->jobs);
		n = n < 1 ? 1 : n > FEED_RUN ? FEED_RUN : n;
		f->next += n;
		pthread_mutex_unlock(&f->lock);
		for (size_t k = 0; k < n; k++) {
			int r = f->work(f->ctx, id, i + k);
			if (r < 0) {
				feed_fail(f, r);
				return;
			}
		}
	}
}

/* ThreadSanitizer keeps one record per descriptor number for the whole
 * process: with tables of their own, the same number in two threads is two
 * files, which it would report as a race. Its builds share the table. */
#if defined(__SANITIZE_THREAD__)
#define SHARE_FDS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SHARE_FDS 1
#endif
#endif

/* A worker's part, then what it does on its way out (sg_feed_start_own_fds). */
static void feed_work_and_leave(sg_feed *f, int id)
{
	feed_worker(f, id);
	if (f->leave)
		f->leave(f->leave_ctx, id);
}

static void *feed_main(void *arg)
{
	feed_arg *a = arg;
#if defined(CLONE_FILES) && !defined(SHARE_FDS)
	/* a table of its own: opens and closes take no lock the others take,
	 * and reads need no reference on the file (a failure keeps the shared
	 * table, which works as well) */
	if (a->f->leave)
		(void)unshare(CLONE_FILES);
#endif
	feed_work_and_leave(a->f, a->id);
	return NULL;
}

static int feed_start(sg_feed **out, int jobs, int (*work)(void *ctx, int worker, size_t item),
                      void *ctx, void (*leave)(void *, int), void *leave_ctx)
{
	if (jobs <= 0)
		jobs = sg_cores();
	sg_feed *f = calloc(1, sizeof(*f));
	feed_arg *args = calloc((size_t)jobs, sizeof(*args));
	pthread_t *t = calloc((size_t)jobs, sizeof(*t));
	if (!f || !args || !t) {
		free(f);
		free(args);
		free(t);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->more, NULL);
	f->work = work;
	f->ctx = ctx;
	f->leave = leave;
	f->leave_ctx = leave_ctx;
	f->jobs = jobs;
	f->threads = t;
	f->args = args;
	/* the calling thread is the last worker (jobs - 1), from sg_feed_finish */
	for (int i = 0; i < jobs - 1; i++) {
		args[i] = (feed_arg){f, i};
		if (pthread_create(&t[i], NULL, feed_main, &args[i]) != 0)
			break;
		f->started++;
	}
	*out = f;
	return 0;
}

int sg_feed_start(sg_feed **out, int jobs, int (*work)(void *ctx, int worker, size_t item),
                  void *ctx)
{
	return feed_start(out, jobs, work, ctx, NULL, NULL);
}

int sg_feed_start_own_fds(sg_feed **out, int jobs, int (*work)(void *ctx, int worker, size_t item),
                          void *ctx, void (*leave)(void *leave_ctx, int worker), void *leave_ctx)
{
	return feed_start(out, jobs, work, ctx, leave, leave_ctx);
}

void sg_feed_add(sg_feed *f, size_t count)
{
	pthread_mutex_lock(&f->lock);
	if (count > f->ready) {
		f->ready = count;
		pthread_cond_broadcast(&f->more);
	}
	pthread_mutex_unlock(&f->lock);
}

int sg_feed_failed(sg_feed *f)
{
	pthread_mutex_lock(&f->lock);
	int e = f->error != 0;
	pthread_mutex_unlock(&f->lock);
	return e;
}

int sg_feed_finish(sg_feed *f)
{
	pthread_mutex_lock(&f->lock);
	f->done = 1;
	pthread_cond_broadcast(&f->more);
	pthread_mutex_unlock(&f->lock);
	feed_work_and_leave(f, f->jobs - 1);
	for (int i = 0; i < f->started; i++)
		pthread_join(f->threads[i], NULL);
	int r = f->error ? sg_error_set(f->error, "%s", f->message) : 0;
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->more);
	free(f->threads);
	free(f->args);
	free(f);
	return r;
}
