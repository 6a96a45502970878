// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ways around matchBinaries, tried for real.  matchBinaries compares the
 * path of the file the kernel opened for the exec (resolved in the kernel,
 * up to the process's root), never argv[0] or the name the caller typed.
 *
 * A deny list (In [blocked]) catches the binary however it is named on the
 * command line: through a symlink, a relative path, "..", or a fake argv[0].
 * It cannot catch the same bytes at another path: a renamed copy, a hard
 * link, or the program run by the dynamic loader (the kernel opens ld.so)
 * — the tests assert that these run, so a change that starts or stops
 * catching them is noticed and docs/policies.md is kept honest.  An allow
 * list (NotIn [allowed]) catches all three: whatever is not the allowed
 * file is refused, however it got its bytes.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;
static char dir[64]; /* DIR/bin/tool (the guarded binary), links and copies beside it */
static char *secret; /* the file whose opening the policies watch */

static void cleanup(void)
{
	agent_stop(&agent);
	if (dir[0]) {
		char *cmd = xasprintf("rm -rf %s", dir);

		cr_log_info("cleanup: %s exited %d", cmd, system(cmd));
		free(cmd);
	}
	dir[0] = '\0';
	free(secret);
	secret = NULL;
}

TestSuite(binary_bypass, .fini = cleanup, .timeout = 120);

static const char kill_policy[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: %s\n"
				  "spec:\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_openat\n"
				  "    args:\n"
				  "    - index: 6\n"
				  "      type: string\n"
				  "    selectors:\n"
				  "    - matchBinaries:\n"
				  "      - operator: %s\n"
				  "        values: [\"%s\"]\n"
				  "      matchArgs:\n"
				  "      - index: 0\n"
				  "        operator: Equal\n"
				  "        values: [\"%s\"]\n"
				  "      matchActions:\n"
				  "      - action: Sigkill\n";

static char *at(const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static void sh(const char *fmt, const char *a, const char *b)
{
	char *cmd = xasprintf(fmt, a, b);

	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
}

/* DIR/bin/tool: a copy of testprog; the ways to reach it made below. */
static void setup_files(void)
{
	char *tool, *bin;

	require_root();
	snprintf(dir, sizeof(dir), "/tmp/rtenf-bypass-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	bin = at("bin");
	cr_assert_eq(mkdir(bin, 0755), 0);
	tool = at("bin/tool");
	sh("cp %s %s", testprog_bin(), tool);
	sh("ln -s %s %s/link", tool, dir);	     /* absolute symlink */
	sh("ln -s bin/tool %s/%s", dir, "rel-link"); /* relative symlink */
	sh("cp %s %s/renamed", tool, dir);	     /* same bytes, other name */
	sh("ln %s %s/hardlink", tool, dir);	     /* same inode, other name */
	secret = at("secret");
	free(tool);
	free(bin);
}

static void apply_kill(const char *name, const char *op, const char *binary)
{
	char *yaml = xasprintf(kill_policy, name, op, binary, secret);

	apply_ok(&agent, name, yaml, "enforce");
	free(yaml);
}

/* Runs file with argv (argv[0] may be anything) in directory cwd (NULL:
 * ours); returns the wait status. */
static int run_file(const char *cwd, const char *file, char *const argv[])
{
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (cwd && chdir(cwd))
			_exit(126);
		execv(file, argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static int run_in(const char *cwd, char *const argv[])
{
	return run_file(cwd, argv[0], argv);
}

/* Opens the secret with program path, started from cwd. */
static int open_with(const char *cwd, const char *path)
{
	char *argv[] = {(char *)path, "open", secret, NULL};

	return run_in(cwd, argv);
}

static bool killed(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

static bool ran(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The dynamic loader of an ELF file (its PT_INTERP), or NULL when it is
 * linked statically. */
static char *loader_of(const char *prog)
{
	size_t len = 0;
	char *elf = read_file(prog, &len), *r = NULL;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;

	cr_assert_not_null(elf, "%s: %s", prog, strerror(errno));
	cr_assert(len >= sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_ident[EI_CLASS] == ELFCLASS64,
		  "%s is not a 64-bit ELF file", prog);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff + (size_t)i * eh->e_phentsize);

		if ((const char *)(ph + 1) > elf + len)
			break;
		if (ph->p_type == PT_INTERP && ph->p_offset + ph->p_filesz <= len && ph->p_filesz > 1)
			r = xstrndup(elf + ph->p_offset, ph->p_filesz - 1);
	}
	free(elf);
	return r;
}

/* Runs tool through its dynamic loader (the kernel opens the loader) and
 * expects it killed or left to run. */
static void expect_loaded_run(const char *tool, bool want_killed)
{
	char *loader = loader_of(tool);

	if (!loader) {
		/* cr_log_warn would make criterion exit 1 with every test passed */
		cr_log_info("testprog is linked statically: the loader case is not tried");
		return;
	}
	{
		char *argv[] = {loader, (char *)tool, "open", secret, NULL};
		int status = run_in(NULL, argv);

		cr_expect(want_killed ? killed(status) : ran(status), "run by %s: wait status 0x%x, expected %s",
			  loader, status, want_killed ? "SIGKILL" : "exit 0");
	}
	free(loader);
}

Test(binary_bypass, deny_list_catches_every_name_of_the_same_file)
{
	char *tool, *link, *rel_link, *bin;

	setup_files();
	tool = at("bin/tool");
	link = at("link");
	rel_link = at("rel-link");
	bin = at("bin");
	agent_start(&agent, NULL);
	apply_kill("deny", "In", tool);

	cr_expect(killed(open_with(NULL, tool)), "the path the policy names");
	cr_expect(killed(open_with(NULL, link)), "an absolute symlink to it");
	cr_expect(killed(open_with(NULL, rel_link)), "a relative symlink to it");
	cr_expect(killed(open_with(bin, "./tool")), "a relative path");
	cr_expect(killed(open_with(bin, "../bin/./tool")), "a path through .. and .");
	{
		/* argv[0] says /usr/bin/true: the kernel still opened tool */
		char *argv[] = {"/usr/bin/true", "open", secret, NULL};

		cr_expect(killed(run_file(NULL, tool, argv)), "a fake argv[0]");
	}
	cr_expect(ran(open_with(NULL, testprog_bin())), "another binary is left alone");
	free(tool);
	free(link);
	free(rel_link);
	free(bin);
}

Test(binary_bypass, deny_list_by_symlink_name_catches_the_target)
{
	char *tool, *link;

	setup_files();
	tool = at("bin/tool");
	link = at("link");
	agent_start(&agent, NULL);
	/* the policy names the symlink; the kernel opens what it points to */
	apply_kill("deny-link", "In", link);
	cr_expect(killed(open_with(NULL, tool)), "the target, named directly");
	cr_expect(killed(open_with(NULL, link)), "the symlink itself");
	free(tool);
	free(link);
}

Test(binary_bypass, deny_list_misses_other_paths_to_the_same_bytes)
{
	char *tool, *renamed, *hardlink;

	setup_files();
	tool = at("bin/tool");
	renamed = at("renamed");
	hardlink = at("hardlink");
	agent_start(&agent, NULL);
	apply_kill("deny", "In", tool);

	cr_expect(killed(open_with(NULL, tool)), "the policy works");
	/* documented limits of a path deny list (docs/policies.md) */
	cr_expect(ran(open_with(NULL, renamed)), "a renamed copy is another file: not caught by path");
	cr_expect(ran(open_with(NULL, hardlink)), "a hard link is another path: not caught");
	expect_loaded_run(tool, false);
	free(tool);
	free(renamed);
	free(hardlink);
}

Test(binary_bypass, allow_list_catches_what_a_deny_list_misses)
{
	char *tool, *link, *renamed, *hardlink, *bin;

	setup_files();
	tool = at("bin/tool");
	link = at("link");
	renamed = at("renamed");
	hardlink = at("hardlink");
	bin = at("bin");
	agent_start(&agent, NULL);
	/* only tool may open the secret */
	apply_kill("allow", "NotIn", tool);

	cr_expect(ran(open_with(NULL, tool)), "the allowed binary");
	cr_expect(ran(open_with(NULL, link)), "the allowed binary through a symlink");
	cr_expect(ran(open_with(bin, "./tool")), "the allowed binary by a relative path");
	cr_expect(killed(open_with(NULL, renamed)), "a renamed copy");
	cr_expect(killed(open_with(NULL, hardlink)), "a hard link");
	cr_expect(killed(open_with(NULL, testprog_bin())), "any other binary");
	expect_loaded_run(tool, true);
	free(tool);
	free(link);
	free(renamed);
	free(hardlink);
	free(bin);
}
