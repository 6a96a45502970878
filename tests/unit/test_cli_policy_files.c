// SPDX-License-Identifier: GPL-2.0-only
/* Which files `apply -f DIR` and `validate DIR` pick up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "policy_files.h"
#include "util.h"

static char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return (char *)(s ? s + 1 : path);
}

Test(cli_policy_files, directory_is_its_yaml_files_sorted)
{
	char *dir = tmpdir_make(), *sub = xasprintf("%s/nested.yaml", dir);
	struct policy_files set = {0};
	char err[256];

	free(write_file(dir, "b.yaml", "b"));
	free(write_file(dir, "a.yml", "a"));
	free(write_file(dir, "C.yaml", "c"));   /* byte order: upper case first */
	free(write_file(dir, "notes.txt", "x"));
	free(write_file(dir, ".hidden.yaml", "x"));
	free(write_file(dir, "yaml", "x"));
	cr_assert_eq(mkdir(sub, 0700), 0);    /* not searched, even named *.yaml */
	free(write_file(sub, "deep.yaml", "x"));

	cr_assert_eq(policy_files_add(&set, dir, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.n, 3);
	cr_assert_str_eq(base(set.v[0].path), "C.yaml");
	cr_assert_str_eq(base(set.v[1].path), "a.yml");
	cr_assert_str_eq(base(set.v[2].path), "b.yaml");
	cr_assert_null(set.v[0].data, "not read before policy_files_read");

	cr_assert_eq(policy_files_read(&set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.v[2].len, 1);
	cr_assert_eq(memcmp(set.v[2].data, "b", 1), 0);
	policy_files_free(&set);
	free(sub);
	tmpdir_remove(dir);
}

Test(cli_policy_files, trailing_slash_does_not_double)
{
	char *dir = tmpdir_make(), *arg = xasprintf("%s/", dir), *want = xasprintf("%s/p.yaml", dir);
	struct policy_files set = {0};
	char err[256];

	free(write_file(dir, "p.yaml", "p"));
	cr_assert_eq(policy_files_add(&set, arg, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(set.v[0].path, want);
	policy_files_free(&set);
	free(arg);
	free(want);
	tmpdir_remove(dir);
}

Test(cli_policy_files, a_file_is_taken_whatever_its_name)
{
	char *dir = tmpdir_make(), *path = write_file(dir, "policy.txt", "x");
	struct policy_files set = {0};
	char err[256];

	cr_assert_eq(policy_files_add(&set, path, err, sizeof(err)), 0);
	cr_assert_eq(set.n, 1);
	cr_assert_str_eq(set.v[0].path, path);
	policy_files_free(&set);
	free(path);
	tmpdir_remove(dir);
}

Test(cli_policy_files, errors_name_the_file)
{
	char *dir = tmpdir_make(), *missing = xasprintf("%s/missing.yaml", dir);
	struct policy_files set = {0};
	char err[512];

	cr_assert_eq(policy_files_add(&set, missing, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, missing), "%s", err);

	cr_assert_eq(policy_files_add(&set, dir, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "no *.yaml or *.yml files"), "%s", err);
	cr_assert_not_null(strstr(err, dir), "%s", err);
	cr_assert_eq(set.n, 0);
	free(missing);
	tmpdir_remove(dir);
}

Test(cli_policy_files, dangling_link_is_kept_and_fails_to_read)
{
	char *dir = tmpdir_make(), *link = xasprintf("%s/gone.yaml", dir);
	struct policy_files set = {0};
	char err[512];

	cr_assert_eq(symlink("does-not-exist", link), 0);
	cr_assert_eq(policy_files_add(&set, dir, err, sizeof(err)), 0);
	cr_assert_eq(set.n, 1);
	cr_assert_eq(policy_files_read(&set, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, link), "%s", err);
	policy_files_free(&set);
	free(link);
	tmpdir_remove(dir);
}
