/* secretgate hook install: put the pre-commit (and pre-push) shims into a
 * repository's hooks directory, honouring core.hooksPath. A hook that is
 * already there is kept and chained; installing twice changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "cli/cli.h"

/* The shims are hooks/pre-commit and hooks/pre-push, embedded at build time
 * (hooks_embedded.c); the installed hook is the shim after its first line,
 * with its own first lines before it. */
static const char *shim_body(const char *file)
{
	const char *nl = strchr(file, '\n');
	return nl ? nl + 1 : file;
}

#define HOOK_MARK     "# secretgate-hook: installed by 'secretgate hook install'\n"
#define CHAIN_SUFFIX  ".before-secretgate"
#define MAX_HOOK_SIZE (1024 * 1024)

static const char hook_help[] =
        "usage: secretgate hook install [--pre-push] [--force] [-C DIR]\n"
        "\n"
        "Install the pre-commit hook (and with --pre-push the pre-push hook) into the\n"
        "repository's hooks directory (core.hooksPath when set). A hook already there is kept\n"
        "as <name>.before-secretgate and runs first; --force replaces it instead (a copy is\n"
        "kept as <name>.secretgate-backup). Running it again changes nothing.\n"
        "\n"
        "Commits that add a secret are then blocked; 'git commit --no-verify' bypasses the\n"
        "hook in an emergency.\n"
        "\n"
        "Example:\n"
        "  secretgate hook install --pre-push\n";

/* Text of a file (at most MAX_HOOK_SIZE), or NULL with errno set. */
static char *read_small(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = malloc(MAX_HOOK_SIZE + 1);
	size_t len = 0;
	ssize_t got;
	while (buf && len < MAX_HOOK_SIZE &&
	       (got = read(fd, buf + len, MAX_HOOK_SIZE - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			buf = NULL;
			break;
		}
		len += (size_t)got;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
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
	size_t len = strlen("#!/bin/sh\n") + strlen(HOOK_MARK) + strlen(line) + strlen(shim) + 1;
	char *text = malloc(len);
	if (text)
		snprintf(text, len, "#!/bin/sh\n%s%s%s", HOOK_MARK, line, shim);
	return text;
}

static int write_hook(const char *path, const char *text)
{
	char tmp[PATH_MAX + 32];
	snprintf(tmp, sizeof(tmp), "%s.secretgate-tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0755);
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
	if (fchmod(fd, 0755) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
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

/* The directory git runs hooks from: core.hooksPath (relative to the working
 * tree, as git resolves it) or <git dir>/hooks. */
static int hooks_dir(char *out, size_t n, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf buf = {0};
	int found = 0;
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_path(&buf, cfg, "core.hooksPath") == 0 && buf.size) {
		const char *base = git_repository_workdir(repo);
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
	return 0;
}

static int file_present(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0;
}

/* Install one hook. Returns 0 or -1 (error printed). */
static int install_one(const char *dir, const char *name, const char *shim, int force)
{
	char path[PATH_MAX], chained[PATH_MAX + 32], backup[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(chained, sizeof(chained), "%s%s", path, CHAIN_SUFFIX);
	snprintf(backup, sizeof(backup), "%s.secretgate-backup", path);
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
		else
			printf("secretgate: kept the existing %s hook as %s; it runs first\n", name,
			       keep);
	}
	if (write_hook(path, want) < 0) {
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

int cmd_hook(int argc, char **argv)
{
	int pre_push = 0, force = 0, install = 0;
	const char *dir = ".";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(hook_help, stdout);
			return EXIT_CLEAN;
		} else if (!strcmp(a, "install") && !install) {
			install = 1;
		} else if (!strcmp(a, "--pre-push")) {
			pre_push = 1;
		} else if (!strcmp(a, "--force")) {
			force = 1;
		} else if (!strcmp(a, "-C") && i + 1 < argc) {
			dir = argv[++i];
		} else {
			cli_error("usage",
			          "unknown argument '%s' for hook (see 'secretgate hook --help')",
			          a);
			return EXIT_ERROR;
		}
	}
	if (!install) {
		fputs(hook_help, stderr);
		return EXIT_ERROR;
	}
	git_libgit2_init();
	git_repository *repo = NULL;
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0) {
		const git_error *e = git_error_last();
		cli_error("hook", "%s: %s", dir, e ? e->message : "not a git repository");
		return EXIT_ERROR;
	}
	char hooks[PATH_MAX];
	hooks_dir(hooks, sizeof(hooks), repo);
	git_repository_free(repo);
	if (mkdirs(hooks) < 0) {
		cli_error("hook", "cannot create %s: %s", hooks, strerror(errno));
		return EXIT_ERROR;
	}
	int rc = install_one(hooks, "pre-commit", shim_body(sg_hook_pre_commit), force);
	if (rc == 0 && pre_push)
		rc = install_one(hooks, "pre-push", shim_body(sg_hook_pre_push), force);
	return rc < 0 ? EXIT_ERROR : EXIT_CLEAN;
}
