/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which files a policy argument names: a file is itself; a directory is its
 * *.yaml and *.yml files, sorted by name (byte order, so the result does not
 * depend on the locale), not recursing, skipping hidden files as a shell
 * glob would.  `rtenf apply -f` and `rtenf validate` share this so that a
 * directory that validates is exactly the set that gets applied.
 */
#ifndef RTENF_POLICY_FILES_H
#define RTENF_POLICY_FILES_H

#include <stddef.h>

struct policy_file {
	char *path;  /* as given, or DIR/NAME for a directory's entries */
	char *data;  /* NULL until policy_files_read() */
	size_t len;
};

struct policy_files {
	struct policy_file *v;
	size_t n;
};

/* Appends the files arg names.  Returns 0, or -errno with a message naming
 * the file or directory in err (a directory without policy files is
 * -ENOENT). */
int policy_files_add(struct policy_files *set, const char *arg, char *err, size_t errlen);
/* Reads every file not read yet.  Stops at the first failure: -errno and a
 * message naming the file in err. */
int policy_files_read(struct policy_files *set, char *err, size_t errlen);
/* Reads one file, unless already read. */
int policy_file_read(struct policy_file *f, char *err, size_t errlen);
void policy_files_free(struct policy_files *set);

#endif /* RTENF_POLICY_FILES_H */
