/* Container images inside archives: a `docker save` tarball (manifest.json)
 * or an OCI image layout (index.json, blobs/sha256/...). While the archive
 * walker reads the image, this module keeps its small JSON members and the
 * whiteouts each layer holds; afterwards it tells every finding from the
 * image which layer it came from (number and digest), whether it is in the
 * image config, and whether a later layer deletes the file (it still ships:
 * the bytes are in the earlier layer). */
#include <dirent.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "lib/sources/image.h"
#include "util/yamlnode.h"

#define KEEP_MAX_SIZE  (1u << 20) /* a manifest, index or config */
#define KEEP_MAX_COUNT 256
#define KEEP_MAX_BYTES (8u << 20)
#define WHITEOUT_MAX   100000
#define LAYERS_MAX     1024

typedef struct kept {
	char *name, *data;
	size_t len;
} kept;

typedef struct whiteout {
	char *layer;  /* member of the image holding the whiteout */
	char *target; /* path it deletes, or the directory an opaque whiteout empties */
	int opaque;
} whiteout;

struct sg_image {
	kept *kept;
	size_t nkept, kept_bytes;
	whiteout *wh;
	size_t nwh;
	/* the workers reading an image's layers record whiteouts at once */
	pthread_mutex_t lock;
};

typedef struct image_layer {
	char *member; /* name in the archive */
	char *digest; /* "sha256:..." or NULL */
} image_layer;

int sg_image_new(sg_image **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	pthread_mutex_init(&(*out)->lock, NULL);
	return 0;
}

void sg_image_free(sg_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nkept; i++) {
		free(img->kept[i].name);
		free(img->kept[i].data);
	}
	for (size_t i = 0; i < img->nwh; i++) {
		free(img->wh[i].layer);
		free(img->wh[i].target);
	}
	free(img->kept);
	free(img->wh);
	pthread_mutex_destroy(&img->lock);
	free(img);
}

int sg_image_wants(const sg_image *img, const char *name, uint64_t size)
{
	if (size > KEEP_MAX_SIZE || img->nkept >= KEEP_MAX_COUNT ||
	    img->kept_bytes + size > KEEP_MAX_BYTES)
		return 0;
	if (!strcmp(name, "manifest.json") || !strcmp(name, "index.json") ||
	    !strncmp(name, "blobs/", 6))
		return 1;
	/* the legacy docker-save config: <id>.json at the top */
	size_t n = strlen(name);
	return !strchr(name, '/') && n > 5 && !strcmp(name + n - 5, ".json");
}

int sg_image_keep(sg_image *img, const char *name, const char *data, size_t len)
{
	if (!len || (data[0] != '{' && data[0] != '['))
		return 0;
	kept *k = realloc(img->kept, (img->nkept + 1) * sizeof(*k));
	if (!k)
		return sg_error_set(SG_ENOMEM, "out of memory");
	img->kept = k;
	k = &img->kept[img->nkept];
	k->name = strdup(name);
	k->data = malloc(len + 1);
	if (!k->name || !k->data) {
		free(k->name);
		free(k->data);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	memcpy(k->data, data, len);
	k->data[len] = '\0';
	k->len = len;
	img->nkept++;
	img->kept_bytes += len;
	return 0;
}

static int add_whiteout(sg_image *img, const char *layer, const char *entry)
{
	if (!layer || img->nwh >= WHITEOUT_MAX)
		return 0;
	const char *slash = strrchr(entry, '/');
	size_t dirlen = slash ? (size_t)(slash - entry) + 1 : 0; /* with its '/' */
	const char *base = entry + dirlen;
	int opaque = !strcmp(base, ".wh..wh..opq");
	whiteout *w = realloc(img->wh, (img->nwh + 1) * sizeof(*w));
	if (!w)
		return sg_error_set(SG_ENOMEM, "out of memory");
	img->wh = w;
	w = &img->wh[img->nwh];
	w->opaque = opaque;
	w->layer = strdup(layer);
	size_t tl = opaque ? dirlen : dirlen + strlen(base + 4);
	w->target = malloc(tl + 1);
	if (!w->layer || !w->target) {
		free(w->layer);
		free(w->target);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	memcpy(w->target, entry, dirlen);
	if (!opaque)
		memcpy(w->target + dirlen, base + 4, tl - dirlen);
	w->target[tl] = '\0';
	img->nwh++;
	return 0;
}

int sg_image_whiteout(sg_image *img, const char *layer, const char *entry)
{
	pthread_mutex_lock(&img->lock);
	int r = add_whiteout(img, layer, entry);
	pthread_mutex_unlock(&img->lock);
	return r;
}

static const kept *find_kept(const sg_image *img, const char *name)
{
	for (size_t i = 0; i < img->nkept; i++)
		if (!strcmp(img->kept[i].name, name))
			return &img->kept[i];
	return NULL;
}

static sg_yaml_node *parse_kept(const sg_image *img, const char *name)
{
	const kept *k = find_kept(img, name);
	sg_yaml_node *n = NULL;
	if (!k || sg_yaml_parse(&n, name, k->data, k->len) < 0) {
		sg_error_clear();
		return NULL;
	}
	return n;
}

/* "sha256:abc" names the member blobs/sha256/abc */
static char *blob_member(const char *digest)
{
	const char *colon = digest ? strchr(digest, ':') : NULL;
	if (!colon || strchr(colon, '/'))
		return NULL;
	size_t n = strlen(digest) + 8;
	char *m = malloc(n);
	if (m)
		snprintf(m, n, "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
	return m;
}

static char *digest_of_member(const char *member)
{
	if (strncmp(member, "blobs/", 6))
		return NULL;
	const char *alg = member + 6, *slash = strchr(alg, '/');
	if (!slash || strchr(slash + 1, '/'))
		return NULL;
	size_t n = strlen(member);
	char *d = malloc(n);
	if (d)
		snprintf(d, n, "%.*s:%s", (int)(slash - alg), alg, slash + 1);
	return d;
}

static const char *scalar(const sg_yaml_node *n)
{
	return n && n->type == SG_YAML_SCALAR ? n->value : NULL;
}

typedef struct image_map {
	image_layer layers[LAYERS_MAX];
	size_t nlayers;
	char *config;
	char *manifest; /* the OCI manifest blob, when there is one */
} image_map;

static void map_free(image_map *m)
{
	for (size_t i = 0; i < m->nlayers; i++) {
		free(m->layers[i].member);
		free(m->layers[i].digest);
	}
	free(m->config);
	free(m->manifest);
}

static int map_add_layer(image_map *m, char *member, char *digest)
{
	if (!member || m->nlayers >= LAYERS_MAX) {
		free(member);
		free(digest);
		return member ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
	}
	m->layers[m->nlayers].member = member;
	m->layers[m->nlayers].digest = digest;
	m->nlayers++;
	return 0;
}

/* docker save: [{"Config": "...", "Layers": [...]}] (the first image) */
static int map_docker(image_map *m, const sg_image *img)
{
	sg_yaml_node *root = parse_kept(img, "manifest.json");
	int r = 0;
	const sg_yaml_node *e =
	        root && root->type == SG_YAML_SEQ && root->count ? root->items[0] : NULL;
	const sg_yaml_node *layers = sg_yaml_get(e, "Layers");
	const char *cfg = scalar(sg_yaml_get(e, "Config"));
	if (!layers || layers->type != SG_YAML_SEQ) {
		sg_yaml_free(root);
		return 0;
	}
	if (cfg && !(m->config = strdup(cfg)))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	sg_yaml_node *conf = cfg ? parse_kept(img, cfg) : NULL;
	const sg_yaml_node *diff = sg_yaml_get(sg_yaml_get(conf, "rootfs"), "diff_ids");
	for (size_t i = 0; r == 0 && i < layers->count; i++) {
		const char *name = scalar(layers->items[i]);
		if (!name)
			continue;
		char *digest = digest_of_member(name);
		if (!digest && diff && diff->type == SG_YAML_SEQ && i < diff->count &&
		    scalar(diff->items[i]))
			digest = strdup(scalar(diff->items[i]));
		r = map_add_layer(m, strdup(name), digest);
	}
	sg_yaml_free(conf);
	sg_yaml_free(root);
	return r;
}

/* OCI layout: index.json -> (an index ->) a manifest -> config, layers */
static int map_oci(image_map *m, const sg_image *img)
{
	sg_yaml_node *n = parse_kept(img, "index.json");
	int r = 0;
	for (int hop = 0; n && hop < 4; hop++) {
		const sg_yaml_node *mans = sg_yaml_get(n, "manifests");
		const sg_yaml_node *layers = sg_yaml_get(n, "layers");
		if (layers && layers->type == SG_YAML_SEQ) {
			char *cm = blob_member(
			        scalar(sg_yaml_get(sg_yaml_get(n, "config"), "digest")));
			m->config = cm;
			for (size_t i = 0; r == 0 && i < layers->count; i++) {
				const char *d = scalar(sg_yaml_get(layers->items[i], "digest"));
				if (d)
					r = map_add_layer(m, blob_member(d), strdup(d));
			}
			break;
		}
		if (!mans || mans->type != SG_YAML_SEQ || !mans->count)
			break;
		char *next = blob_member(scalar(sg_yaml_get(mans->items[0], "digest")));
		sg_yaml_free(n);
		n = next ? parse_kept(img, next) : NULL;
		free(m->manifest);
		m->manifest = next;
	}
	sg_yaml_free(n);
	return r;
}

static int prefixed(const char *s, const char *prefix, size_t n)
{
	return !strncmp(s, prefix, n);
}

/* The first layer after `li` whose whiteouts delete `inner`, or 0. */
static size_t hidden_by(const sg_image *img, const image_map *m, size_t li, const char *inner)
{
	for (size_t j = li + 1; j < m->nlayers; j++)
		for (size_t k = 0; k < img->nwh; k++) {
			const whiteout *w = &img->wh[k];
			if (strcmp(w->layer, m->layers[j].member))
				continue;
			size_t tl = strlen(w->target);
			if (w->opaque ? prefixed(inner, w->target, tl)
			              : (prefixed(inner, w->target, tl) &&
			                 (inner[tl] == '\0' || inner[tl] == '/')))
				return j + 1;
		}
	return 0;
}

static int set_message(sg_finding *f, const char *text)
{
	char *msg;
	if (f->message) {
		size_t n = strlen(f->message) + strlen(text) + 3;
		if (!(msg = malloc(n)))
			return sg_error_set(SG_ENOMEM, "out of memory");
		snprintf(msg, n, "%s; %s", text, f->message);
	} else if (!(msg = strdup(text))) {
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	free(f->message);
	f->message = msg;
	return 0;
}

int sg_image_annotate(sg_image *img, const char *prefix, const char *sep, sg_findings *out,
                      size_t first)
{
	size_t seplen = strlen(sep);
	if (!img || first >= out->count ||
	    (!find_kept(img, "manifest.json") && !find_kept(img, "index.json")))
		return 0;
	image_map *m = calloc(1, sizeof(*m));
	if (!m)
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r = find_kept(img, "manifest.json") ? map_docker(m, img) : 0;
	if (r == 0 && !m->nlayers)
		r = map_oci(m, img);
	size_t plen = strlen(prefix);
	for (size_t i = first; r == 0 && m->nlayers && i < out->count; i++) {
		sg_finding *f = &out->items[i];
		if (!f->path || !prefixed(f->path, prefix, plen) ||
		    strncmp(f->path + plen, sep, seplen))
			continue;
		const char *rest = f->path + plen + seplen;
		char text[512];
		if ((m->config && !strcmp(rest, m->config)) ||
		    (m->manifest && !strcmp(rest, m->manifest))) {
			r = set_message(f, m->config && !strcmp(rest, m->config)
			                           ? "in the image config (Env, Labels or history)"
			                           : "in the image manifest");
			continue;
		}
		for (size_t li = 0; li < m->nlayers; li++) {
			size_t ml = strlen(m->layers[li].member);
			if (!prefixed(rest, m->layers[li].member, ml) ||
			    strncmp(rest + ml, "!/", 2))
				continue;
			size_t by = hidden_by(img, m, li, rest + ml + 2);
			int n = snprintf(text, sizeof(text), "image layer %zu of %zu (%s)", li + 1,
			                 m->nlayers,
			                 m->layers[li].digest ? m->layers[li].digest : "no digest");
			if (by && n > 0 && (size_t)n < sizeof(text))
				snprintf(text + n, sizeof(text) - (size_t)n,
				         "; deleted by layer %zu (whiteout) but still shipped in "
				         "the image",
				         by);
			r = set_message(f, text);
			break;
		}
	}
	map_free(m);
	free(m);
	return r;
}

int sg_image_is_layout_dir(const char *dir)
{
	char p[4096];
	struct stat sb;
	if (snprintf(p, sizeof(p), "%s/oci-layout", dir) >= (int)sizeof(p))
		return 0;
	return lstat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Read a small file whole; NULL when it is missing, large or unreadable. */
static char *read_small(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= KEEP_MAX_SIZE &&
	    (buf = malloc((size_t)sb.st_size + 1))) {
		ssize_t got = read(fd, buf, (size_t)sb.st_size);
		if (got < 0) {
			free(buf);
			buf = NULL;
		} else {
			buf[got] = '\0';
			*len = (size_t)got;
		}
	}
	close(fd);
	return buf;
}

static int join_path(char *out, size_t cap, const char *a, const char *b)
{
	return snprintf(out, cap, "%s/%s", a, b) < (int)cap;
}

/* Scan one file of the layout as text (index, manifest, config, others). */
static int scan_small(sg_scanner *s, const char *path, const char *shown, sg_findings *out,
                      sg_notices *nt)
{
	size_t len = 0;
	char *buf = read_small(path, &len);
	if (!buf)
		return 0;
	sg_origin o = {.path = shown};
	int r = memchr(buf, '\0', len) ? 0 : sg_decode_scan(s, buf, len, &o, NULL, out, nt);
	free(buf);
	return r;
}

typedef struct blob_list {
	char **names; /* "blobs/<alg>/<hex>" */
	size_t count;
} blob_list;

static void blob_list_free(blob_list *b)
{
	for (size_t i = 0; i < b->count; i++)
		free(b->names[i]);
	free(b->names);
}

static int list_blobs(blob_list *b, const char *root)
{
	char dir[4096];
	if (!join_path(dir, sizeof(dir), root, "blobs"))
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *alg;
	int r = 0;
	while (r == 0 && (alg = readdir(d))) {
		if (alg->d_name[0] == '.')
			continue;
		char sub[4096];
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, alg->d_name) >= (int)sizeof(sub))
			continue;
		DIR *e = opendir(sub);
		struct dirent *bl;
		while (r == 0 && e && (bl = readdir(e))) {
			if (bl->d_name[0] == '.' || b->count >= KEEP_MAX_COUNT * 64)
				continue;
			char **n = realloc(b->names, (b->count + 1) * sizeof(*n));
			size_t nl = strlen(alg->d_name) + strlen(bl->d_name) + 8;
			char *name = malloc(nl);
			if (!n || !name) {
				if (n)
					b->names = n;
				free(name);
				r = sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			snprintf(name, nl, "blobs/%s/%s", alg->d_name, bl->d_name);
			b->names = n;
			b->names[b->count++] = name;
		}
		if (e)
			closedir(e);
	}
	closedir(d);
	return r;
}

int sg_image_scan_dir(sg_scanner *s, const char *root, const char *shown, sg_findings *out,
                      sg_notices *nt)
{
	sg_image *img = NULL;
	blob_list blobs = {0};
	image_map *m = calloc(1, sizeof(*m));
	size_t first = out->count;
	char path[4096], disp[4096];
	int r = m ? sg_image_new(&img) : sg_error_set(SG_ENOMEM, "out of memory");
	if (r == 0)
		r = list_blobs(&blobs, root);
	/* the JSON blobs say what the image is: keep them first */
	for (size_t i = 0; r == 0 && i < blobs.count + 1; i++) {
		const char *name = i < blobs.count ? blobs.names[i] : "index.json";
		size_t len = 0;
		char *buf =
		        join_path(path, sizeof(path), root, name) ? read_small(path, &len) : NULL;
		if (buf && sg_image_wants(img, name, len))
			r = sg_image_keep(img, name, buf, len);
		free(buf);
	}
	if (r == 0)
		r = map_oci(m, img);
	int *done = calloc(blobs.count + 1, sizeof(int));
	if (r == 0 && !done)
		r = sg_error_set(SG_ENOMEM, "out of memory");
	/* layers in order, then every other blob and the top-level files */
	for (size_t li = 0; r == 0 && li < m->nlayers; li++) {
		const char *member = m->layers[li].member;
		for (size_t i = 0; i < blobs.count; i++)
			if (!strcmp(blobs.names[i], member))
				done[i] = 1;
		if (!join_path(path, sizeof(path), root, member) ||
		    !join_path(disp, sizeof(disp), shown, member))
			continue;
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			sg_notices_add(nt, "%s: image layer %zu is missing (%s)", shown, li + 1,
			               member);
			continue;
		}
		sg_origin o = {.path = disp};
		r = sg_artefact_scan_layer(s, fd, &o, img, member, out, nt);
		if (r == 1) {
			sg_notices_add(nt, "%s: image layer %zu cannot be read as an archive",
			               shown, li + 1);
			r = 0;
		}
		close(fd);
	}
	for (size_t i = 0; r == 0 && i < blobs.count; i++) {
		if (done[i] || !join_path(path, sizeof(path), root, blobs.names[i]) ||
		    !join_path(disp, sizeof(disp), shown, blobs.names[i]))
			continue;
		const kept *k = find_kept(img, blobs.names[i]);
		if (k) {
			sg_origin o = {.path = disp};
			r = sg_decode_scan(s, k->data, k->len, &o, NULL, out, nt);
			continue;
		}
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		char head[8192];
		ssize_t got = pread(fd, head, sizeof(head), 0);
		sg_origin o = {.path = disp};
		if (got > 0 && sg_archive_detect(head, (size_t)got))
			r = sg_artefact_scan_fd(s, fd, &o, out, nt);
		if (got > 0 && (!sg_archive_detect(head, (size_t)got) || r == 1))
			r = scan_small(s, path, disp, out, nt);
		close(fd);
	}
	const char *tops[] = {"index.json", "oci-layout"};
	for (size_t i = 0; r == 0 && i < 2; i++)
		if (join_path(path, sizeof(path), root, tops[i]) &&
		    join_path(disp, sizeof(disp), shown, tops[i]))
			r = scan_small(s, path, disp, out, nt);
	if (r == 0)
		r = sg_image_annotate(img, shown, "/", out, first);
	free(done);
	blob_list_free(&blobs);
	if (m)
		map_free(m);
	free(m);
	sg_image_free(img);
	return r;
}
