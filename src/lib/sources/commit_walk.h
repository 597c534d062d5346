/* commit_walk: the commit graph of a repository as the git modes need it:
 * an object-id hash map, and a walk over "these commits but not those"
 * that tolerates shallow clones (libgit2 1.5's revwalk stops with an error
 * at a shallow boundary; this walk treats the boundary as a root). */
#ifndef SG_COMMIT_WALK_H
#define SG_COMMIT_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

/* Object id to 32-bit value; open addressing, grows by doubling. A probe
 * reads a dense byte of tag (empty, or seven bits of the hash that chose no
 * slot) before it touches a slot, which holds the id and its value
 * together. */
typedef struct sg_oidmap_slot {
	unsigned char id[GIT_OID_RAWSZ];
	uint32_t value;
} sg_oidmap_slot;

typedef struct sg_oidmap {
	sg_oidmap_slot *slots;
	uint8_t *tags; /* 0: empty */
	size_t cap, count;
} sg_oidmap;

void sg_oidmap_init(sg_oidmap *m);
void sg_oidmap_free(sg_oidmap *m);
/* The value slot of id, or NULL when absent. */
uint32_t *sg_oidmap_get(const sg_oidmap *m, const git_oid *id);
/* Insert id with value (when absent). *slot points at the value in the map
 * (valid until the next insert); *added says whether it was new. */
int sg_oidmap_put(uint32_t **slot, int *added, sg_oidmap *m, const git_oid *id, uint32_t value);

/* A commit as the walk knows it. */
typedef struct sg_commit_node {
	git_oid id;
	git_oid tree; /* its root tree, once loaded */
	int64_t time;
	uint32_t parents; /* index into sg_commit_graph.parent_ids */
	uint32_t nparents;
	uint32_t flags;
} sg_commit_node;

typedef struct sg_commit_graph {
	git_repository *repo; /* borrowed */
	sg_oidmap index;      /* id -> node */
	sg_commit_node *nodes;
	size_t count, cap;
	uint32_t *parent_ids; /* node indexes */
	size_t nparent_ids, parent_cap;
	sg_oidmap shallow; /* commits whose parents this clone lacks */
	int is_shallow;
	size_t cut;         /* walked commits whose parents are missing (shallow) */
	size_t max_commits; /* cap on nodes, 0 = 50 million */
	/* commits read from the packs by hand (sg_commit_graph_use_packs);
	 * anything else through libgit2 */
	const struct sg_packs *packs;
	struct sg_pack_reader *reader;
} sg_commit_graph;

int sg_commit_graph_init(sg_commit_graph *g, git_repository *repo);
void sg_commit_graph_free(sg_commit_graph *g);
/* Read commits from these packs (borrowed; NULL: libgit2 only). 0 or SG_ENOMEM. */
int sg_commit_graph_use_packs(sg_commit_graph *g, const struct sg_packs *packs);

/* A commit's tree, parents and committer time from its raw text, in the
 * order git writes the header ("tree", "parent"s, "author", "committer
 * NAME <EMAIL> SECONDS ZONE"): 0, or -1 on anything else (and from
 * SG_COMMIT_MAX_PARENTS parents on), which libgit2 is then left to read.
 * parents has room for SG_COMMIT_MAX_PARENTS. */
#define SG_COMMIT_MAX_PARENTS 64
/* Larger commits are read by libgit2. */
#define SG_COMMIT_MAX_BYTES (1u << 20)
int sg_commit_header_parse(const char *p, size_t len, git_oid *tree, git_oid *parents, unsigned *np,
                           int64_t *time);

/* The author line (after "author ", NUL-terminated into author) and the
 * message (*msg, *mlen: after the header's first empty line, leading
 * newlines skipped, up to a NUL; NULL and 0 when there is none) of a
 * commit's raw text, as libgit2 reads them. 0, or 1 when the header is not
 * as git writes it, the author line is longer than author_cap - 1 or holds
 * a NUL (libgit2 is then to read the commit). */
int sg_commit_message_parts(const char *raw, size_t len, char *author, size_t author_cap,
                            const char **msg, size_t *mlen);

/* Every commit reachable from include but not from exclude, parents before
 * children (oldest first), as node indexes in *out (malloc'd, *n of them).
 * A shallow boundary ends the walk there and is counted in g->cut; a
 * missing commit in a complete repository is an SG_ENOTFOUND error. */
int sg_commit_walk(uint32_t **out, size_t *n, sg_commit_graph *g, const git_oid *include,
                   size_t ninclude, const git_oid *exclude, size_t nexclude);

#endif
