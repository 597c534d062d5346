/* glob: the path patterns of allowlists, ignore files and manifests. */
#ifndef SG_GLOB_H
#define SG_GLOB_H

/* Glob match with *, ?, [..] and ** (any number of directories): 1 when
 * path matches pattern, else 0. */
int sg_glob_match(const char *pattern, const char *path);

#endif
