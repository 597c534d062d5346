/* Pack positions of objects, from each pack's .idx (version 2), for the
 * sweeps that read many blobs: in pack order a worker's recently inflated
 * delta bases are still in its cache. A missing or unreadable index only
 * loses the order, never an object. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pack_order.h"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void index_pack(const sg_oidmap *index, sg_pack_pos *pos, const char *path, uint32_t packno)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return;
	if (fstat(fd, &sb) < 0 || sb.st_size < 8 + 1024) {
		close(fd);
		return;
	}
	size_t size = (size_t)sb.st_size;
	const unsigned char *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	/* version 1 indexes have no header; their objects just keep id order */
	if (!memcmp(m, "\377tOc", 4) && be32(m + 4) == 2) {
		uint32_t n = be32(m + 8 + 255 * 4);
		size_t ids = 8 + 1024, crcs = ids + (size_t)n * 20, offs = crcs + (size_t)n * 4,
		       large = offs + (size_t)n * 4;
		if (large <= size) {
			for (uint32_t i = 0; i < n; i++) {
				uint32_t *bi = sg_oidmap_get(
				        index, (const git_oid *)(m + ids + (size_t)i * 20));
				if (!bi || pos[*bi].pack != UINT32_MAX)
					continue;
				uint64_t off = be32(m + offs + (size_t)i * 4);
				if (off & 0x80000000u) {
					size_t at = large + (size_t)(off & 0x7fffffffu) * 8;
					if (at + 8 > size)
						continue;
					off = (uint64_t)be32(m + at) << 32 | be32(m + at + 4);
				}
				pos[*bi].pack = packno;
				pos[*bi].offset = off;
			}
		}
	}
	munmap((void *)m, size);
}

int sg_pack_positions(git_repository *repo, const sg_oidmap *index, sg_pack_pos *pos)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%sobjects/pack", git_repository_commondir(repo));
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".idx"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		index_pack(index, pos, p, (uint32_t)i);
		free(names[i]);
	}
	free(names);
	return 0;
}
