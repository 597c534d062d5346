/* The worker pools: every item is worked on exactly once, items fed while
 * the pool runs included, and the first failure is the pool's result. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/pool.h"
#include "secretgate/secretgate.h"

#define ITEMS 5000

typedef struct counts {
	int seen[ITEMS];
	size_t fail_at; /* ITEMS: none fails */
} counts;

static int count_item(void *ctx, int worker, size_t item)
{
	counts *c = ctx;
	__atomic_add_fetch(&c->seen[item], 1, __ATOMIC_RELAXED);
	return item == c->fail_at ? sg_error_set(SG_EINVALID, "item %zu failed", item) : 0;
}

static void test_pool_runs_each_item_once(void **state)
{
	(void)state;
	static counts c;
	memset(&c, 0, sizeof(c));
	c.fail_at = ITEMS;
	assert_int_equal(sg_pool_run(ITEMS, 3, count_item, &c), 0);
	for (size_t i = 0; i < ITEMS; i++)
		assert_int_equal(c.seen[i], 1);
}

static void test_feed_runs_items_as_they_come(void **state)
{
	(void)state;
	static counts c;
	for (int jobs = 1; jobs <= 4; jobs++) {
		memset(&c, 0, sizeof(c));
		c.fail_at = ITEMS;
		sg_feed *f = NULL;
		assert_int_equal(sg_feed_start(&f, jobs, count_item, &c), 0);
		for (size_t n = 1; n <= ITEMS; n += 7)
			sg_feed_add(f, n);
		sg_feed_add(f, ITEMS);
		assert_int_equal(sg_feed_failed(f), 0);
		assert_int_equal(sg_feed_finish(f), 0);
		for (size_t i = 0; i < ITEMS; i++)
			assert_int_equal(c.seen[i], 1);
	}
}

static void test_feed_reports_the_failure(void **state)
{
	(void)state;
	static counts c;
	memset(&c, 0, sizeof(c));
	c.fail_at = 10;
	sg_feed *f = NULL;
	assert_int_equal(sg_feed_start(&f, 2, count_item, &c), 0);
	sg_feed_add(f, ITEMS);
	assert_int_equal(sg_feed_finish(f), SG_EINVALID);
	assert_string_equal(sg_error_last(), "item 10 failed");
	assert_int_equal(c.seen[10], 1);
	for (size_t i = 0; i < ITEMS; i++)
		assert_true(c.seen[i] <= 1);
}

/* A worker keeps one fd open across its items (as a directory cache does)
 * and closes it when it leaves; on Linux the started threads' fds are in
 * tables of their own. */
typedef struct kept {
	int fd[4];
	pthread_t thread[4];
	int items[4], left[4];
} kept;

static int keep_fd(void *ctx, int worker, size_t item)
{
	kept *k = ctx;
	(void)item;
	if (k->fd[worker] < 0) {
		k->fd[worker] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		k->thread[worker] = pthread_self();
	}
	k->items[worker]++;
	return k->fd[worker] < 0 ? sg_error_set(SG_EIO, "open failed") : 0;
}

static void leave_fd(void *ctx, int worker)
{
	kept *k = ctx;
	k->left[worker]++;
	if (k->fd[worker] >= 0) {
		/* the fd is this thread's: closed here */
		assert_true(pthread_equal(k->thread[worker], pthread_self()));
		close(k->fd[worker]);
	}
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_feed_with_own_fds_leaves_none_open(void **state)
{
	(void)state;
	for (int jobs = 1; jobs <= 4; jobs++) {
		kept k;
		memset(&k, 0, sizeof(k));
		for (int i = 0; i < 4; i++)
			k.fd[i] = -1;
		int before = open_fds();
		sg_feed *f = NULL;
		assert_int_equal(sg_feed_start_own_fds(&f, jobs, keep_fd, &k, leave_fd, &k), 0);
		sg_feed_add(f, ITEMS);
		assert_int_equal(sg_feed_finish(f), 0);
		int total = 0;
		for (int i = 0; i < jobs; i++) {
			total += k.items[i];
			/* every worker left once, the calling thread (the last) too */
			assert_int_equal(k.left[i], 1);
		}
		assert_int_equal(total, ITEMS);
		/* what the calling thread opened as a worker is closed (the started
		 * threads' tables went with them) */
		assert_int_equal(open_fds(), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pool_runs_each_item_once),
	        cmocka_unit_test(test_feed_runs_items_as_they_come),
	        cmocka_unit_test(test_feed_reports_the_failure),
	        cmocka_unit_test(test_feed_with_own_fds_leaves_none_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
