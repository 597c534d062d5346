/* pack_order: where objects sit in the repository's packs, read from each
 * pack's .idx, so blobs can be read in pack order (delta bases a worker has
 * just inflated are still in its cache). */
#ifndef SG_PACK_ORDER_H
#define SG_PACK_ORDER_H

#include <stdint.h>
#include <git2.h>
#include "lib/sources/commit_walk.h"

typedef struct sg_pack_pos {
	uint32_t pack; /* pack number, UINT32_MAX: not in a pack (loose, alternate) */
	uint64_t offset;
} sg_pack_pos;

/* For each id in index, pos[value] = its first pack and offset (version 2
 * indexes; version 1 and unreadable indexes leave pack = UINT32_MAX). pos
 * must hold index->count entries, set to UINT32_MAX by the caller. */
int sg_pack_positions(git_repository *repo, const sg_oidmap *index, sg_pack_pos *pos);
/* The .idx files of the repository's objects/pack (dir gets that folder),
 * in the order sg_pack_positions numbers the packs. Freed with
 * sg_pack_names_free. */
int sg_pack_index_names(git_repository *repo, char *dir, size_t dir_len, char ***names, size_t *n);
void sg_pack_names_free(char **names, size_t n);
/* The repository's packs opened for reading by hand (pack_read.h), numbered
 * as sg_pack_positions numbers them; *out stays NULL when there are none. */
struct sg_packs;
int sg_packs_open_repo(struct sg_packs **out, git_repository *repo);

#endif
