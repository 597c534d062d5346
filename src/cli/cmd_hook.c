/* secretgate hook: install, uninstall and run the pre-commit (and pre-push)
 * shims. A repository whose hooks belong to a hook manager (husky, lefthook,
 * overcommit, simple-git-hooks, the pre-commit framework) or to a tracked
 * core.hooksPath gets secretgate the way that manager expects, or the line to
 * add; a hook that is already there is never lost or silently replaced. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "cli/cli.h"
#include "util/file.h"

/* hooks/pre-commit and hooks/pre-push as shipped (hooks_embedded.c). */
extern const char sg_hook_pre_commit[];
extern const char sg_hook_pre_push[];

#define HOOK_MARK     "# secretgate-hook: installed by 'secretgate hook install'\n"
#define BLOCK_BEGIN   "# secretgate-hook: added by 'secretgate hook install'\n"
#define BLOCK_END     "# secretgate-hook: end\n"
#define CHAIN_SUFFIX  ".before-secretgate"
#define BACKUP_SUFFIX ".secretgate-backup"
#define MAX_HOOK_SIZE (1024 * 1024)

/* What a hook manager runs: the shim, through the binary on PATH, so the
 * line means the same on every machine. */
#define RUN_PRE_COMMIT "secretgate hook run pre-commit"
#define RUN_PRE_PUSH   "secretgate hook run pre-push"

static const char hook_help[] =
        "usage: secretgate hook install [--pre-push] [--force] [-C DIR]\n"
        "       secretgate hook uninstall [-C DIR]\n"
        "       secretgate hook run pre-commit|pre-push [ARG...]\n"
        "\n"
        "install puts the pre-commit hook (and with --pre-push the pre-push hook) where git\n"
        "runs hooks from (core.hooksPath when set). A hook already there is kept as\n"
        "<name>.before-secretgate and runs first when it is executable (one git ignored for\n"
        "lack of the execute bit stays ignored); --force replaces it instead (a copy is kept\n"
        "as <name>.secretgate-backup). Running it again changes nothing.\n"
        "\n"
        "When a hook manager owns the hooks, install integrates with it: husky gets a line in\n"
        ".husky/pre-commit, lefthook and overcommit a block in their configuration; for\n"
        "simple-git-hooks, the pre-commit framework and a core.hooksPath tracked in the\n"
        "repository it prints what to add and writes nothing (exit 2).\n"
        "\n"
        "uninstall removes what install wrote and puts a kept hook back. run executes a\n"
        "shim, for hook managers: '" RUN_PRE_COMMIT "'.\n"
        "\n"
        "Commits that add a secret are then blocked; 'git commit --no-verify' bypasses the\n"
        "hook in an emergency.\n"
        "\n"
        "Examples:\n"
        "  secretgate hook install --pre-push\n"
        "  secretgate hook uninstall\n";

typedef enum hook_manager {
	MANAGER_NONE,
	MANAGER_HUSKY,      /* core.hooksPath=.husky/_ (9) or .husky (8) */
	MANAGER_LEFTHOOK,   /* lefthook.yml */
	MANAGER_OVERCOMMIT, /* .overcommit.yml */
	MANAGER_SIMPLE,     /* simple-git-hooks, configured in package.json */
	MANAGER_PRECOMMIT,  /* the pre-commit framework's installed hook */
	MANAGER_TRACKED,    /* a core.hooksPath whose files the repository tracks */
} hook_manager;

typedef struct hook_site {
	char hooks[PATH_MAX];   /* where git runs hooks from */
	char workdir[PATH_MAX]; /* the working tree with a trailing '/', or "" */
	hook_manager manager;
	char config[PATH_MAX + 32];  /* the manager's directory or file */
	int husky_v8;                /* .husky itself is the hooks directory */
	char why[2 * PATH_MAX + 64]; /* how the manager was recognised */
} hook_site;

/* Text of a file (at most MAX_HOOK_SIZE), or NULL with errno set (ENOENT when
 * it is missing, EFBIG over the cap) and sg_error_last() saying why. A file is
 * never cut short: what is read here may be written back. */
static char *read_small(const char *path)
{
	char *buf;
	size_t len;
	int rc = sg_file_read(&buf, &len, path, MAX_HOOK_SIZE);
	if (rc == 0)
		return buf;
	errno = rc == SG_ENOTFOUND ? ENOENT
	        : rc == SG_ETOOBIG ? EFBIG
	        : rc == SG_ENOMEM  ? ENOMEM
	                           : EIO;
	return NULL;
}

static int file_present(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0;
}

static int is_executable(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0111);
}

/* path as a single-quoted shell word */
static void sh_quote(char *out, size_t n, const char *s)
{
	size_t k = 0;
	if (n < 3)
		return;
	out[k++] = '\'';
	for (; *s && k + 6 < n; s++) {
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = *s;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
}

/* The shim without its "#!/bin/sh" line. */
static const char *shim_body(const char *shim)
{
	const char *nl = strchr(shim, '\n');
	return nl ? nl + 1 : shim;
}

static char *hook_text(const char *shim)
{
	char self[PATH_MAX], quoted[3 * PATH_MAX + 8], line[3 * PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	line[0] = '\0';
	if (n > 0) {
		self[n] = '\0';
		sh_quote(quoted, sizeof(quoted), self);
		snprintf(line, sizeof(line), "SECRETGATE_INSTALLED=%s\n", quoted);
	}
	const char *body = shim_body(shim);
	size_t len = strlen("#!/bin/sh\n") + strlen(HOOK_MARK) + strlen(line) + strlen(body) + 1;
	char *text = malloc(len);
	if (text)
		snprintf(text, len, "#!/bin/sh\n%s%s%s", HOOK_MARK, line, body);
	return text;
}

/* Write text to path through a temporary file renamed over it. */
static int write_file(const char *path, const char *text, mode_t mode)
{
	char tmp[PATH_MAX + 32];
	snprintf(tmp, sizeof(tmp), "%s.secretgate-tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return -1;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static mode_t mode_of(const char *path, mode_t otherwise)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (sb.st_mode & 07777) : otherwise;
}

/* Append text to a file (created with mode when missing), starting on a new line. */
static int append_file(const char *path, const char *text, mode_t mode)
{
	char *have = read_small(path);
	if (!have && errno != ENOENT)
		return -1;
	size_t hl = have ? strlen(have) : 0, tl = strlen(text);
	char *all = malloc(hl + tl + 2);
	if (!all) {
		free(have);
		return -1;
	}
	snprintf(all, hl + tl + 2, "%s%s%s", have ? have : "",
	         hl && have[hl - 1] != '\n' ? "\n" : "", text);
	int r = write_file(path, all, mode_of(path, mode));
	free(all);
	free(have);
	return r;
}

static int mkdirs(const char *dir)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* 1 when a line of text that is not a comment mentions word. */
static int mentions(const char *text, const char *word)
{
	for (const char *l = text; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		const char *s = l;
		while (s < l + n && (*s == ' ' || *s == '\t'))
			s++;
		if (*s != '#' && memmem(s, n - (size_t)(s - l), word, strlen(word)))
			return 1;
		l = e ? e + 1 : NULL;
	}
	return 0;
}

/* 1 when a YAML document has `key:` at the top level. */
static int yaml_top_key(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, k) && l[k] == ':')
			return 1;
	return 0;
}

/* Remove every exact line `line` (no newline) and every BLOCK_BEGIN..BLOCK_END
 * block. Returns 1 when something went, 0 when nothing was there, -1 on error.
 * A file left holding only blank lines is removed when remove_empty. */
static int strip_file(const char *path, const char *line, int remove_empty)
{
	char *have = read_small(path);
	if (!have)
		return errno == ENOENT ? 0 : -1;
	size_t n = strlen(have), ll = line ? strlen(line) : 0;
	char *out = malloc(n + 1);
	if (!out) {
		free(have);
		return -1;
	}
	size_t k = 0;
	int removed = 0, in_block = 0, blank = 1;
	for (char *l = have; *l;) {
		char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
		size_t body = e ? len - 1 : len;
		int drop = 0;
		if (!strncmp(l, BLOCK_BEGIN, strlen(BLOCK_BEGIN)))
			in_block = drop = 1;
		else if (in_block) {
			drop = 1;
			if (!strncmp(l, BLOCK_END, strlen(BLOCK_END)))
				in_block = 0;
		} else if (line && body == ll && !memcmp(l, line, ll))
			drop = 1;
		if (drop) {
			removed = 1;
		} else {
			memcpy(out + k, l, len);
			k += len;
			for (size_t i = 0; i < body; i++)
				if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
					blank = 0;
		}
		l += len;
	}
	out[k] = '\0';
	int r = 0;
	if (removed) {
		if (blank && remove_empty)
			r = unlink(path);
		else
			r = write_file(path, out, mode_of(path, 0644));
		r = r < 0 ? -1 : 1;
	}
	free(out);
	free(have);
	return r;
}

/* The directory git runs hooks from: core.hooksPath (relative to the working
 * tree, as git resolves it) or <git dir>/hooks. *configured gets the value of
 * core.hooksPath, or "" when unset. */
static void hooks_dir(char *out, size_t n, char *configured, size_t cn, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf buf = {0};
	int found = 0;
	configured[0] = '\0';
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_path(&buf, cfg, "core.hooksPath") == 0 && buf.size) {
		const char *base = git_repository_workdir(repo);
		snprintf(configured, cn, "%s", buf.ptr);
		if (buf.ptr[0] == '/' || !base)
			snprintf(out, n, "%s", buf.ptr);
		else
			snprintf(out, n, "%s%s", base, buf.ptr);
		found = 1;
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
	if (!found)
		snprintf(out, n, "%shooks", git_repository_commondir(repo));
	size_t l = strlen(out);
	while (l > 1 && out[l - 1] == '/')
		out[--l] = '\0';
	l = strlen(configured);
	while (l > 1 && configured[l - 1] == '/')
		configured[--l] = '\0';
}

/* 1 when the repository tracks a file under dir (relative to the working tree). */
static int tracks_under(git_repository *repo, const char *rel)
{
	git_index *index = NULL;
	char prefix[PATH_MAX + 2];
	size_t pos;
	int r = 0;
	snprintf(prefix, sizeof(prefix), "%s/", rel);
	if (git_repository_index(&index, repo) == 0 &&
	    git_index_find_prefix(&pos, index, prefix) == 0)
		r = 1;
	git_index_free(index);
	return r;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail) && (a == b || s[a - b - 1] == '/');
}

/* A file in the working tree whose name is one of names (NULL-terminated);
 * its path goes to out. */
static int find_config(char *out, size_t n, const char *workdir, const char *const *names)
{
	for (; *names; names++) {
		snprintf(out, n, "%s%s", workdir, *names);
		if (file_present(out))
			return 1;
	}
	out[0] = '\0';
	return 0;
}

/* Which manager owns the hooks, from core.hooksPath, the installed hooks'
 * text and the configuration files at the top of the working tree. */
static void detect_manager(hook_site *s, git_repository *repo, const char *configured)
{
	static const char *const lefthook[] = {"lefthook.yml", ".lefthook.yml", "lefthook.yaml",
	                                       ".lefthook.yaml", NULL};
	static const char *const overcommit[] = {".overcommit.yml", NULL};
	static const char *const simple[] = {".simple-git-hooks.json",
	                                     ".simple-git-hooks.js",
	                                     ".simple-git-hooks.cjs",
	                                     "simple-git-hooks.json",
	                                     "simple-git-hooks.js",
	                                     "simple-git-hooks.cjs",
	                                     NULL};
	s->manager = MANAGER_NONE;
	if (*configured && *s->workdir) {
		if (ends_with(configured, ".husky/_") || ends_with(configured, ".husky")) {
			s->manager = MANAGER_HUSKY;
			s->husky_v8 = ends_with(configured, ".husky");
			snprintf(s->config, sizeof(s->config), "%s", s->hooks);
			if (!s->husky_v8) {
				char *slash = strrchr(s->config, '/');
				if (slash)
					*slash = '\0';
			}
			snprintf(s->why, sizeof(s->why), "core.hooksPath is %s", configured);
			return;
		}
		size_t wl = strlen(s->workdir);
		const char *rel = configured;
		if (configured[0] == '/')
			rel = !strncmp(configured, s->workdir, wl) ? configured + wl : NULL;
		while (rel && rel[0] == '.' && rel[1] == '/')
			rel += 2;
		if (rel && *rel && tracks_under(repo, rel)) {
			s->manager = MANAGER_TRACKED;
			snprintf(s->config, sizeof(s->config), "%s", rel);
			snprintf(s->why, sizeof(s->why),
			         "core.hooksPath %s is tracked in the repository", rel);
			return;
		}
	}
	static const char *const names[] = {"pre-commit", "pre-push"};
	for (size_t i = 0; i < 2; i++) {
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s/%s", s->hooks, names[i]);
		char *text = read_small(path);
		if (!text)
			continue;
		hook_manager m = MANAGER_NONE;
		if (strstr(text, HOOK_MARK))
			m = MANAGER_NONE;
		else if (strstr(text, "File generated by pre-commit"))
			m = MANAGER_PRECOMMIT;
		else if (strstr(text, "lefthook"))
			m = MANAGER_LEFTHOOK;
		else if (strstr(text, "overcommit"))
			m = MANAGER_OVERCOMMIT;
		else if (strstr(text, "SKIP_SIMPLE_GIT_HOOKS") || strstr(text, "simple-git-hooks"))
			m = MANAGER_SIMPLE;
		free(text);
		if (m != MANAGER_NONE) {
			s->manager = m;
			snprintf(s->why, sizeof(s->why), "%s was written by it", path);
			break;
		}
	}
	if (!*s->workdir)
		return;
	if ((s->manager == MANAGER_NONE || s->manager == MANAGER_LEFTHOOK) &&
	    find_config(s->config, sizeof(s->config), s->workdir, lefthook)) {
		if (s->manager == MANAGER_NONE)
			snprintf(s->why, sizeof(s->why), "%s is there", s->config);
		s->manager = MANAGER_LEFTHOOK;
	} else if ((s->manager == MANAGER_NONE || s->manager == MANAGER_OVERCOMMIT) &&
	           find_config(s->config, sizeof(s->config), s->workdir, overcommit)) {
		if (s->manager == MANAGER_NONE)
			snprintf(s->why, sizeof(s->why), "%s is there", s->config);
		s->manager = MANAGER_OVERCOMMIT;
	} else if (s->manager == MANAGER_NONE &&
	           find_config(s->config, sizeof(s->config), s->workdir, simple)) {
		snprintf(s->why, sizeof(s->why), "%s is there", s->config);
		s->manager = MANAGER_SIMPLE;
	} else if (s->manager == MANAGER_NONE) {
		char pkg[PATH_MAX + 16];
		snprintf(pkg, sizeof(pkg), "%spackage.json", s->workdir);
		char *text = read_small(pkg);
		if (text && strstr(text, "\"simple-git-hooks\"")) {
			s->manager = MANAGER_SIMPLE;
			snprintf(s->config, sizeof(s->config), "%s", pkg);
			snprintf(s->why, sizeof(s->why), "%s configures it", pkg);
		}
		free(text);
	}
}

/* Install one native hook. Returns 0 or -1 (error printed). */
static int install_native(const char *dir, const char *name, const char *shim, int force)
{
	char path[PATH_MAX], chained[PATH_MAX + 32], backup[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(chained, sizeof(chained), "%s%s", path, CHAIN_SUFFIX);
	snprintf(backup, sizeof(backup), "%s%s", path, BACKUP_SUFFIX);
	char *want = hook_text(shim);
	if (!want) {
		cli_error("hook", "out of memory");
		return -1;
	}
	char *have = read_small(path);
	int rc = 0;
	if (have && strstr(have, HOOK_MARK)) {
		if (!strcmp(have, want)) {
			printf("secretgate: %s hook already installed in %s\n", name, dir);
			goto done;
		}
		/* ours, from another binary or version: refresh it, keep the chain */
	} else if (have || file_present(path)) {
		const char *keep = force ? backup : chained;
		int runs = is_executable(path);
		if (!force && file_present(chained)) {
			cli_error("hook",
			          "%s exists and so does %s; move one of them away, or use --force",
			          path, chained);
			rc = -1;
			goto done;
		}
		if (rename(path, keep) < 0) {
			cli_error("hook", "cannot move %s to %s: %s", path, keep, strerror(errno));
			rc = -1;
			goto done;
		}
		if (force)
			printf("secretgate: replaced the existing %s hook (copy kept as %s)\n",
			       name, keep);
		else if (runs)
			printf("secretgate: kept the existing %s hook as %s; it runs first\n", name,
			       keep);
		else
			printf("secretgate: kept the existing %s hook as %s; it is not executable, "
			       "so git never ran it and it still does not run (chmod +x it to run "
			       "it first)\n",
			       name, keep);
	}
	if (write_file(path, want, 0755) < 0) {
		cli_error("hook", "cannot write %s: %s", path, strerror(errno));
		rc = -1;
		goto done;
	}
	printf("secretgate: installed the %s hook in %s\n", name, dir);
done:
	free(have);
	free(want);
	return rc;
}

/* Remove a native hook written by install and put back what it kept. */
static int uninstall_native(const char *dir, const char *name, int tell_foreign, int *did)
{
	char path[PATH_MAX], chained[PATH_MAX + 32], backup[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(chained, sizeof(chained), "%s%s", path, CHAIN_SUFFIX);
	snprintf(backup, sizeof(backup), "%s%s", path, BACKUP_SUFFIX);
	char *have = read_small(path);
	if (!have)
		return 0;
	int ours = strstr(have, HOOK_MARK) != NULL;
	free(have);
	if (!ours) {
		if (tell_foreign)
			printf("secretgate: %s was not written by secretgate; left alone\n", path);
		return 0;
	}
	if (unlink(path) < 0) {
		cli_error("hook", "cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	*did = 1;
	const char *back = file_present(chained) ? chained : file_present(backup) ? backup : NULL;
	if (back && rename(back, path) < 0) {
		cli_error("hook", "cannot move %s back to %s: %s", back, path, strerror(errno));
		return -1;
	}
	if (back)
		printf("secretgate: removed the %s hook and put back %s\n", name, back);
	else
		printf("secretgate: removed the %s hook from %s\n", name, dir);
	return 0;
}

/* husky: a line in .husky/<name>, which husky runs and the team shares. */
static int install_husky(const hook_site *s, const char *name, const char *line)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", s->config, name);
	char *have = read_small(path);
	if (have && mentions(have, "secretgate")) {
		printf("secretgate: %s already runs secretgate\n", path);
		free(have);
		return 0;
	}
	int existed = have != NULL;
	free(have);
	char text[PATH_MAX];
	/* husky 8 runs the file itself: it needs its first lines and the execute bit */
	if (!existed && s->husky_v8)
		snprintf(text, sizeof(text),
		         "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\n%s\n", line);
	else
		snprintf(text, sizeof(text), "%s\n", line);
	if (append_file(path, text, s->husky_v8 ? 0755 : 0644) < 0) {
		cli_error("hook", "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	printf("secretgate: %s '%s' to %s (husky runs it; commit the file so everyone gets it)\n",
	       existed ? "added" : "wrote", line, path);
	return 0;
}

/* lefthook and overcommit: a marked block appended to the configuration when
 * it has no section for the hook yet; otherwise the snippet to merge. */
static int install_block(const hook_site *s, const char *section, const char *block,
                         const char *run, const char *then, int *printed)
{
	char *have = read_small(s->config);
	if (!have) {
		cli_error("hook", "%s", sg_error_last());
		return -1;
	}
	int r = 0;
	if (mentions(have, run)) {
		printf("secretgate: %s already runs secretgate at %s\n", s->config, section);
	} else if (yaml_top_key(have, section)) {
		fprintf(stderr,
		        "secretgate: hook: %s already has a '%s:' section; not changed. Add under "
		        "it:\n"
		        "%s",
		        s->config, section, strchr(block, '\n') + 1);
		*printed = 1;
	} else {
		size_t n = strlen(BLOCK_BEGIN) + strlen(block) + strlen(BLOCK_END) + 1;
		char *text = malloc(n);
		if (!text) {
			free(have);
			return -1;
		}
		snprintf(text, n, "%s%s%s", BLOCK_BEGIN, block, BLOCK_END);
		r = append_file(s->config, text, 0644);
		free(text);
		if (r < 0)
			cli_error("hook", "cannot write %s: %s", s->config, strerror(errno));
		else
			printf("secretgate: added a %s section running secretgate to %s; %s\n",
			       section, s->config, then);
	}
	free(have);
	return r;
}

static const char lefthook_pre_commit[] = "pre-commit:\n"
                                          "  commands:\n"
                                          "    secretgate:\n"
                                          "      run: " RUN_PRE_COMMIT "\n";
static const char lefthook_pre_push[] = "pre-push:\n"
                                        "  commands:\n"
                                        "    secretgate:\n"
                                        "      run: " RUN_PRE_PUSH "\n"
                                        "      use_stdin: true\n";
static const char overcommit_pre_commit[] =
        "PreCommit:\n"
        "  Secretgate:\n"
        "    enabled: true\n"
        "    description: 'secretgate: secrets in the staged changes'\n"
        "    required_executable: 'secretgate'\n"
        "    command: ['secretgate', 'hook', 'run', 'pre-commit']\n";

/* What to add when nothing may be written. */
static void print_instructions(const hook_site *s, int pre_push)
{
	switch (s->manager) {
	case MANAGER_SIMPLE:
		fprintf(stderr,
		        "In package.json (or %s), add to \"simple-git-hooks\":\n"
		        "  \"pre-commit\": \"" RUN_PRE_COMMIT "\"%s\n"
		        "(after a command already there: '<command> && " RUN_PRE_COMMIT "'),\n"
		        "then run: npx simple-git-hooks\n",
		        s->config,
		        pre_push ? ",\n  \"pre-push\": \"" RUN_PRE_PUSH " \\\"$@\\\"\"" : "");
		break;
	case MANAGER_PRECOMMIT:
		fprintf(stderr,
		        "Add to .pre-commit-config.yaml, under repos: (docs/hooks.md has the form "
		        "that\n"
		        "names secretgate's repository and release instead):\n"
		        "  - repo: local\n"
		        "    hooks:\n"
		        "      - id: secretgate\n"
		        "        name: secretgate\n"
		        "        entry: secretgate git --staged\n"
		        "        language: system\n"
		        "        pass_filenames: false\n"
		        "        always_run: true\n"
		        "%s",
		        pre_push ? "      - id: secretgate-pre-push\n"
		                   "        name: secretgate (pushed commits)\n"
		                   "        entry: " RUN_PRE_PUSH "\n"
		                   "        language: system\n"
		                   "        pass_filenames: false\n"
		                   "        always_run: true\n"
		                   "and install its hook: pre-commit install --hook-type pre-push\n"
		                 : "");
		break;
	case MANAGER_TRACKED:
		fprintf(stderr,
		        "Add this line to %s/pre-commit (a shell script, executable) and commit "
		        "it:\n"
		        "  " RUN_PRE_COMMIT "\n"
		        "%s%s%s",
		        s->config, pre_push ? "and to " : "", pre_push ? s->config : "",
		        pre_push ? "/pre-push:\n  " RUN_PRE_PUSH " \"$@\"\n" : "");
		break;
	default:
		break;
	}
}

static const char *manager_name(hook_manager m)
{
	switch (m) {
	case MANAGER_HUSKY:
		return "husky";
	case MANAGER_LEFTHOOK:
		return "lefthook";
	case MANAGER_OVERCOMMIT:
		return "overcommit";
	case MANAGER_SIMPLE:
		return "simple-git-hooks";
	case MANAGER_PRECOMMIT:
		return "the pre-commit framework";
	case MANAGER_TRACKED:
		return "the repository";
	default:
		return "git";
	}
}

static int install(const hook_site *s, int pre_push, int force)
{
	int printed = 0, rc = 0;
	if (s->manager != MANAGER_NONE)
		printf("secretgate: %s manages this repository's hooks (%s)\n",
		       manager_name(s->manager), s->why);
	switch (s->manager) {
	case MANAGER_NONE:
		if (mkdirs(s->hooks) < 0) {
			cli_error("hook", "cannot create %s: %s", s->hooks, strerror(errno));
			return EXIT_ERROR;
		}
		rc = install_native(s->hooks, "pre-commit", sg_hook_pre_commit, force);
		if (rc == 0 && pre_push)
			rc = install_native(s->hooks, "pre-push", sg_hook_pre_push, force);
		break;
	case MANAGER_HUSKY:
		rc = install_husky(s, "pre-commit", RUN_PRE_COMMIT);
		if (rc == 0 && pre_push)
			rc = install_husky(s, "pre-push", RUN_PRE_PUSH " \"$@\"");
		break;
	case MANAGER_LEFTHOOK:
		if (!file_present(s->config)) {
			cli_error("hook", "lefthook's configuration file was not found in %s",
			          s->workdir);
			return EXIT_ERROR;
		}
		rc = install_block(s, "pre-commit", lefthook_pre_commit, RUN_PRE_COMMIT,
		                   "run 'lefthook install' if lefthook has no pre-commit hook yet",
		                   &printed);
		if (rc == 0 && pre_push)
			rc = install_block(
			        s, "pre-push", lefthook_pre_push, RUN_PRE_PUSH,
			        "run 'lefthook install' if lefthook has no pre-push hook "
			        "yet",
			        &printed);
		break;
	case MANAGER_OVERCOMMIT:
		if (!file_present(s->config)) {
			cli_error("hook", "overcommit's .overcommit.yml was not found in %s",
			          s->workdir);
			return EXIT_ERROR;
		}
		rc = install_block(
		        s, "PreCommit", overcommit_pre_commit, "'hook', 'run', 'pre-commit'",
		        "run 'overcommit --sign' so overcommit accepts the change", &printed);
		if (rc == 0 && pre_push) {
			/* overcommit's pre-push hooks read the pushed refs themselves and
			 * give a command none of them */
			cli_error("hook",
			          "--pre-push: overcommit does not pass the pushed refs to a "
			          "command; use secretgate in CI for pushes (docs/ci.md)");
			printed = 1;
		}
		break;
	case MANAGER_SIMPLE:
	case MANAGER_PRECOMMIT:
	case MANAGER_TRACKED:
		if (s->manager == MANAGER_TRACKED)
			cli_error(
			        "hook",
			        "warning: %s is shared through the repository; nothing written (a "
			        "hook there would name this machine's paths)",
			        s->config);
		else
			cli_error("hook", "warning: %s runs the hooks (%s); nothing written",
			          manager_name(s->manager), s->why);
		print_instructions(s, pre_push);
		printed = 1;
		break;
	}
	if (rc < 0)
		return EXIT_ERROR;
	return printed ? EXIT_ERROR : EXIT_CLEAN;
}

static int uninstall(const hook_site *s)
{
	int did = 0, r = 0;
	int native = s->manager == MANAGER_NONE;
	if (uninstall_native(s->hooks, "pre-commit", native, &did) < 0 ||
	    uninstall_native(s->hooks, "pre-push", native, &did) < 0)
		return EXIT_ERROR;
	if (s->manager == MANAGER_HUSKY) {
		static const char *const husky[][2] = {{"pre-commit", RUN_PRE_COMMIT},
		                                       {"pre-push", RUN_PRE_PUSH " \"$@\""}};
		for (size_t i = 0; i < 2 && r >= 0; i++) {
			char path[PATH_MAX + 64];
			snprintf(path, sizeof(path), "%s/%s", s->config, husky[i][0]);
			r = strip_file(path, husky[i][1], !s->husky_v8);
			if (r > 0)
				printf("secretgate: removed secretgate from %s\n", path);
			did |= r > 0;
		}
	} else if ((s->manager == MANAGER_LEFTHOOK || s->manager == MANAGER_OVERCOMMIT) &&
	           *s->config) {
		r = strip_file(s->config, NULL, 0);
		if (r > 0)
			printf("secretgate: removed secretgate's section from %s\n", s->config);
		did |= r > 0;
	}
	if (r < 0) {
		cli_error("hook", "cannot rewrite the hook configuration: %s", strerror(errno));
		return EXIT_ERROR;
	}
	if (!did)
		printf("secretgate: no hook installed by secretgate found\n");
	return EXIT_CLEAN;
}

/* hook run NAME ARG...: the shipped shim, for a hook manager's command line.
 * Its "$0" names no file, so there is no chained hook beside it. */
static int run_shim(int argc, char **argv)
{
	const char *shim = NULL;
	if (argc > 0 && !strcmp(argv[0], "pre-commit"))
		shim = sg_hook_pre_commit;
	else if (argc > 0 && !strcmp(argv[0], "pre-push"))
		shim = sg_hook_pre_push;
	if (!shim) {
		cli_error("usage", "hook run wants pre-commit or pre-push");
		return EXIT_ERROR;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		setenv("SECRETGATE_INSTALLED", self, 1);
	}
	char **args = calloc((size_t)argc + 5, sizeof(char *));
	if (!args)
		return EXIT_ERROR;
	args[0] = "sh";
	args[1] = "-c";
	args[2] = (char *)shim_body(shim);
	args[3] = "/dev/null/secretgate-hook";
	for (int i = 1; i < argc; i++)
		args[3 + i] = argv[i];
	fflush(stdout);
	execv("/bin/sh", args);
	cli_error("hook", "cannot run /bin/sh: %s", strerror(errno));
	free(args);
	return EXIT_ERROR;
}

typedef struct hook_args {
	int pre_push, force, help;
	const char *dir;
} hook_args;

static const cli_opt hook_table[] = {
        CLI_FLAG("--help", "-h", hook_args, help, 1),
        CLI_FLAG("--pre-push", NULL, hook_args, pre_push, 1),
        CLI_FLAG("--force", NULL, hook_args, force, 1),
        CLI_VALUE("-C", NULL, hook_args, dir),
        {0},
};

int cmd_hook(int argc, char **argv)
{
	hook_args ha = {.dir = "."};
	const char *action = NULL;
	if (argc > 1 && !strcmp(argv[1], "run"))
		return run_shim(argc - 2, argv + 2);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = 0;
		if (!action && (!strcmp(a, "install") || !strcmp(a, "uninstall"))) {
			action = a;
			continue;
		}
		if (a[0] == '-' && (r = cli_opt_parse(hook_table, &ha, argc, argv, &i)) < 0)
			return EXIT_ERROR;
		if (r == 1 && ha.help) {
			fputs(hook_help, stdout);
			return EXIT_CLEAN;
		}
		if (r == 1)
			continue;
		static const char *const words[] = {"install", "uninstall", "run", "--pre-push",
		                                    "--force"};
		const char *sug = cli_suggest(a, words, sizeof(words) / sizeof(words[0]));
		if (sug)
			cli_error("usage", "unknown argument '%s' for hook (did you mean '%s'?)", a,
			          sug);
		else
			cli_error("usage",
			          "unknown argument '%s' for hook (see 'secretgate hook --help')",
			          a);
		return EXIT_ERROR;
	}
	if (!action) {
		fputs(hook_help, stderr);
		return EXIT_ERROR;
	}
	git_libgit2_init();
	git_repository *repo = NULL;
	if (git_repository_open_ext(&repo, ha.dir, 0, NULL) < 0) {
		const git_error *e = git_error_last();
		cli_error("hook", "%s: %s", ha.dir, e ? e->message : "not a git repository");
		return EXIT_ERROR;
	}
	hook_site site = {0};
	char configured[PATH_MAX];
	hooks_dir(site.hooks, sizeof(site.hooks), configured, sizeof(configured), repo);
	const char *wd = git_repository_workdir(repo);
	snprintf(site.workdir, sizeof(site.workdir), "%s", wd ? wd : "");
	detect_manager(&site, repo, configured);
	git_repository_free(repo);
	return !strcmp(action, "install") ? install(&site, ha.pre_push, ha.force)
	                                  : uninstall(&site);
}
