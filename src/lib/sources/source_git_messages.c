/* Commit and annotated tag messages as chunks: a token pasted into a commit
 * message ships with the history like any file. A commit's message is
 * reported at the path "commit:<id>", a tag's at "tag:<name>", with the
 * author (tagger) and date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "lib/sources/source_git_internal.h"
#include "lib/sources/commit_walk.h"
#include "lib/sources/pack_read.h"

static int scan_message_n(sg_scanner *s, sg_findings *out, const char *path, const char *commit,
                          const char *message, size_t len, const git_signature *who)
{
	char date[64] = "";
	if (!message || !len)
		return 0;
	if (who)
		sg_git_format_date(date, sizeof(date), &who->when);
	sg_origin o = {.path = path,
	               .commit = commit,
	               .author = who ? who->name : NULL,
	               .email = who ? who->email : NULL,
	               .date = who ? date : NULL};
	return sg_scanner_scan(s, message, len, &o, NULL, out);
}

static int scan_message(sg_scanner *s, sg_findings *out, const char *path, const char *commit,
                        const char *message, const git_signature *who)
{
	return scan_message_n(s, out, path, commit, message, message ? strlen(message) : 0, who);
}

static int scan_commit(sg_git_worker *w, const git_oid *id, const char *message, size_t len,
                       const git_signature *who)
{
	char hex[GIT_OID_HEXSZ + 1], path[GIT_OID_HEXSZ + 8];
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(path, sizeof(path), "commit:%s", hex);
	return scan_message_n(w->scanner, &w->findings, path, hex, message, len, who);
}

int sg_git_worker_scan_message(sg_git_worker *w, git_commit *c)
{
	const char *m = git_commit_message(c);
	return scan_commit(w, git_commit_id(c), m, m ? strlen(m) : 0, git_commit_author(c));
}

#define MAX_AUTHOR_LINE 4096

/* From the raw text: 0 scanned, SG_PACK_FALLBACK when libgit2 is to read
 * the commit, <0 error. */
static int scan_message_raw(sg_git_worker *w, const git_oid *id, const char *raw, size_t len)
{
	char author[MAX_AUTHOR_LINE];
	const char *msg;
	size_t mlen;
	git_signature *who = NULL;
	if (sg_commit_message_parts(raw, len, author, sizeof(author), &msg, &mlen) != 0 ||
	    git_signature_from_buffer(&who, author) < 0)
		return SG_PACK_FALLBACK;
	int r = scan_commit(w, id, msg, mlen, who);
	git_signature_free(who);
	return r;
}

int sg_git_worker_scan_commit_message(sg_git_worker *w, sg_pack_reader *reader, const git_oid *id)
{
	const unsigned char *raw;
	size_t len;
	int r = reader ? sg_pack_read_id(reader, id->id, SG_PACK_COMMIT, SG_COMMIT_MAX_BYTES, &raw,
	                                 &len)
	               : SG_PACK_FALLBACK;
	if (r == 0)
		r = scan_message_raw(w, id, (const char *)raw, len);
	if (r != SG_PACK_FALLBACK) /* scanned, or an error */
		return r;
	git_commit *c = NULL;
	if (git_commit_lookup(&c, w->repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_git_error(SG_EIO, hex);
	}
	r = sg_git_worker_scan_message(w, c);
	git_commit_free(c);
	return r;
}

/* One tag object (and the tags it points at, for a tag of a tag). */
static int scan_tag_chain(git_repository *repo, sg_scanner *s, sg_findings *out, sg_oidmap *seen,
                          const git_oid *id, const sg_oidmap *targets, int named)
{
	git_tag *tag = NULL;
	git_object *peeled = NULL;
	int r = 0, added = 0;
	if ((r = sg_oidmap_put(NULL, &added, seen, id, 0)) < 0 || !added)
		return r;
	if (git_tag_lookup(&tag, repo, id) < 0)
		return 0; /* not an annotated tag */
	char hex[GIT_OID_HEXSZ + 1] = "";
	if (git_tag_peel(&peeled, tag) == 0 && git_object_type(peeled) == GIT_OBJECT_COMMIT)
		git_oid_tostr(hex, sizeof(hex), git_object_id(peeled));
	/* in a range: the tags of the commits judged, and the tags named */
	int wanted = !targets || named ||
	             (peeled && git_object_type(peeled) == GIT_OBJECT_COMMIT &&
	              sg_oidmap_get(targets, git_object_id(peeled)));
	if (wanted) {
		const char *name = git_tag_name(tag);
		size_t n = strlen(name ? name : "") + 5;
		char *path = malloc(n);
		if (!path)
			r = sg_error_set(SG_ENOMEM, "out of memory");
		else {
			snprintf(path, n, "tag:%s", name ? name : "");
			r = scan_message(s, out, path, *hex ? hex : NULL, git_tag_message(tag),
			                 git_tag_tagger(tag));
			free(path);
		}
		if (r == 0 && git_tag_target_type(tag) == GIT_OBJECT_TAG)
			r = scan_tag_chain(repo, s, out, seen, git_tag_target_id(tag), targets, 1);
	}
	git_object_free(peeled);
	git_tag_free(tag);
	return r;
}

int sg_git_scan_tags(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                     const sg_oidmap *targets, const git_oid *named, size_t nnamed,
                     sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	git_repository *repo = sg_git_repository(g);
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	sg_scanner *s = NULL;
	sg_oidmap seen, looked; /* tags scanned; objects whose type was read */
	sg_oidmap_init(&seen);
	sg_oidmap_init(&looked);
	int r = sg_scanner_new(&s, rs, &opts->scan);
	if (r == 0 && git_repository_odb(&odb, repo) < 0)
		r = sg_git_error(SG_EIO, "object database");
	for (size_t i = 0; r == 0 && i < nnamed; i++)
		r = scan_tag_chain(repo, s, out, &seen, &named[i], targets, 1);
	/* refs under refs/tags/ and anywhere else may name tag objects */
	if (r == 0 && git_reference_iterator_new(&it, repo) < 0)
		r = sg_git_error(SG_EIO, "listing refs");
	while (r == 0 && git_reference_next(&ref, it) == 0) {
		const git_oid *id = git_reference_target(ref);
		size_t size;
		git_object_t type;
		int added = 0;
		/* many refs name one commit: each object's header is read once, and
		 * says what the ref names without parsing the object */
		if (id && (r = sg_oidmap_put(NULL, &added, &looked, id, 0)) == 0 && added &&
		    git_odb_read_header(&size, &type, odb, id) == 0 && type == GIT_OBJECT_TAG)
			r = scan_tag_chain(repo, s, out, &seen, id, targets, 0);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (s)
		sg_scanner_report_limits(s, st, nt, "tag messages");
	sg_scanner_free(s);
	git_odb_free(odb);
	sg_oidmap_free(&seen);
	sg_oidmap_free(&looked);
	return r;
}
