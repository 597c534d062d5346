/* Pack positions of objects, from each pack's .idx (version 2), for the
 * sweeps that read many blobs (history, ranges): in pack order a worker's recently inflated
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
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "lib/sources/git_parse.h"
#include "secretgate/secretgate.h"
#include "util/grow.h"

typedef struct pack_place {
	const sg_oidmap *index;
	sg_pack_pos *pos;
	uint32_t packno;
} pack_place;

/* An object of the caller's found in a pack: the first pack that has it wins. */
static void place(void *ctx, const git_oid *id, uint64_t offset)
{
	pack_place *pp = ctx;
	uint32_t *slot = sg_oidmap_get(pp->index, id);
	if (!slot || pp->pos[*slot].pack != UINT32_MAX)
		return;
	pp->pos[*slot].pack = pp->packno;
	pp->pos[*slot].offset = offset;
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
	sg_pack_index_each(m, size, place, &(pack_place){index, pos, packno});
	munmap((void *)m, size);
}

void sg_pack_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int sg_pack_index_names(git_repository *repo, char *dir, size_t dir_len, char ***out, size_t *nout)
{
	snprintf(dir, dir_len, "%sobjects/pack", git_repository_commondir(repo));
	*out = NULL;
	*nout = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	while (r == 0 && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".idx"))
			continue;
		if (n == cap && SG_GROW(names, cap, 16) < 0) {
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		if (!(names[n] = strdup(e->d_name)))
			r = sg_error_set(SG_ENOMEM, "out of memory");
		else
			n++;
	}
	closedir(d);
	if (r < 0) {
		sg_pack_names_free(names, n);
		return r;
	}
	*out = names;
	*nout = n;
	return 0;
}

int sg_pack_positions(git_repository *repo, const sg_oidmap *index, sg_pack_pos *pos)
{
	char dir[4096];
	char **names;
	size_t n;
	int r = sg_pack_index_names(repo, dir, sizeof(dir), &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		index_pack(index, pos, p, (uint32_t)i);
	}
	sg_pack_names_free(names, n);
	return 0;
}

int sg_packs_open_repo(sg_packs **out, git_repository *repo)
{
	char dir[4096];
	char **names;
	size_t n;
	*out = NULL;
	int r = sg_pack_index_names(repo, dir, sizeof(dir), &names, &n);
	if (r == 0 && n)
		r = sg_packs_open(out, dir, names, n);
	if (n)
		sg_pack_names_free(names, n);
	return r;
}
