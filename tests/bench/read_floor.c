/* The floor under a working-tree scan: walk a tree and read every regular
 * file whole, with nothing done to the bytes, on THREADS threads (the walk
 * first, by the entries' types; each file opened by its path). make bench
 * times it beside the scan of the same corpus, so the scan's time can be read
 * against what the machine needs to open and read the files that day.
 *   read_floor DIR [THREADS]   prints "<ms> ms, <files> files, <bytes> bytes" */
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char **paths;
static size_t npaths, cap_paths, next_path;

static int push(char ***v, size_t *n, size_t *cap, char *p)
{
	if (!p)
		return -1;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		char **nv = realloc(*v, *cap * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
	}
	(*v)[(*n)++] = p;
	return 0;
}

/* Regular files by the entries' own types (no stat), links not followed. */
static int walk(const char *root)
{
	char **stack = NULL;
	size_t n = 0, cap = 0;
	if (push(&stack, &n, &cap, strdup(root)) < 0)
		return -1;
	while (n > 0) {
		char *dir = stack[--n];
		DIR *d = opendir(dir);
		for (struct dirent *e; d && (e = readdir(d));) {
			if (e->d_type != DT_DIR && e->d_type != DT_REG)
				continue;
			if (e->d_type == DT_DIR &&
			    (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")))
				continue;
			char *p;
			if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
				p = NULL;
			if (e->d_type == DT_DIR ? push(&stack, &n, &cap, p)
			                        : push(&paths, &npaths, &cap_paths, p))
				return -1;
		}
		if (d)
			closedir(d);
		free(dir);
	}
	free(stack);
	return 0;
}

/* Files in runs of 64, as the scan's workers take them; the byte count. */
static void *reader(void *arg)
{
	(void)arg;
	size_t cap = 1 << 20, total = 0;
	char *buf = malloc(cap);
	for (size_t i;
	     buf && (i = __atomic_fetch_add(&next_path, 64, __ATOMIC_RELAXED)) < npaths;) {
		for (size_t end = i + 64 < npaths ? i + 64 : npaths; i < end; i++) {
			int fd = open(paths[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t got;
			size_t len = 0;
			while ((got = read(fd, buf + len, cap - len)) > 0) {
				len += (size_t)got;
				if (len < cap)
					break; /* short: the end of the file */
				char *nb = realloc(buf, 2 * cap);
				if (!nb)
					break;
				buf = nb;
				cap *= 2;
			}
			total += len;
			close(fd);
		}
	}
	free(buf);
	return (void *)total;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: read_floor DIR [THREADS]\n");
		return 2;
	}
	int threads = argc > 2 ? atoi(argv[2]) : 2;
	if (threads < 1 || threads > 64)
		threads = 2;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (walk(argv[1]) < 0) {
		fprintf(stderr, "read_floor: cannot walk %s\n", argv[1]);
		return 2;
	}
	pthread_t t[64];
	size_t bytes = 0;
	for (int k = 0; k < threads; k++)
		pthread_create(&t[k], NULL, reader, NULL);
	for (int k = 0; k < threads; k++) {
		void *r;
		pthread_join(t[k], &r);
		bytes += (size_t)r;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("%lld ms, %zu files, %zu bytes\n", ms, npaths, bytes);
	return 0;
}
