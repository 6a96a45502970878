// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_resolve_path(): a dotted member path from task_struct compiled to the
 * steps the BPF side follows, on a made-up BTF (task_btf.h), and the errors
 * that name the segment that is wrong.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_resolve.h"
#include "task_btf.h"

static struct btf *btf;

static void setup(void)
{
	btf = task_btf_new();
}

static void teardown(void)
{
	btf__free(btf);
}

TestSuite(btf_resolve, .init = setup, .fini = teardown);

static struct btf_resolved resolve_ok(const char *path)
{
	struct btf_resolved r;
	char err[256] = "";

	cr_assert_eq(btf_resolve_path(btf, "task_struct", path, &r, err, sizeof(err)), 0, "%s: %s", path, err);
	return r;
}

static void expect_error(const char *path, const char *want)
{
	struct btf_resolved r;
	char err[256] = "";

	cr_assert_neq(btf_resolve_path(btf, "task_struct", path, &r, err, sizeof(err)), 0, "%s resolved", path);
	cr_expect_str_eq(err, want, "%s", path);
}

#define assert_step(r, I, OFF, DEREF)                                                                          \
	cr_assert((r).steps.off[I] == (OFF) && !!((r).steps.deref & (1u << (I))) == (DEREF),                     \
		  "step %d: off %u deref %d, expected %u %d", I, (r).steps.off[I], !!((r).steps.deref & (1u << (I))), \
		  (unsigned)(OFF), (int)(DEREF))

Test(btf_resolve, through_a_pointer_and_embedded_structs)
{
	struct btf_resolved r = resolve_ok("cred.uid.val");

	cr_assert_eq(r.steps.nsteps, 2);
	assert_step(r, 0, 16, 1); /* load task->cred */
	assert_step(r, 1, 4, 0);  /* cred->uid.val: uid at 4, val at 0 */
	cr_expect_eq(r.kind, BTF_RESOLVED_INT);
	cr_expect_eq(r.size, 4);
	cr_expect_not(r.is_signed);
}

Test(btf_resolve, a_member_in_place)
{
	struct btf_resolved r = resolve_ok("tgid");

	cr_assert_eq(r.steps.nsteps, 1);
	assert_step(r, 0, 4, 0);
	cr_expect(r.is_signed);
	r = resolve_ok("big");
	assert_step(r, 0, 72, 0);
	cr_expect_eq(r.size, 8);
}

Test(btf_resolve, self_pointer_twice)
{
	struct btf_resolved r = resolve_ok("real_parent.real_parent.tgid");

	cr_assert_eq(r.steps.nsteps, 3);
	assert_step(r, 0, 8, 1);
	assert_step(r, 1, 8, 1);
	assert_step(r, 2, 4, 0);
}

Test(btf_resolve, strings_in_place_and_behind_a_pointer)
{
	struct btf_resolved r = resolve_ok("comm");

	cr_expect_eq(r.kind, BTF_RESOLVED_CHARS);
	cr_expect_eq(r.size, 16);
	cr_assert_eq(r.steps.nsteps, 1);
	assert_step(r, 0, 24, 0);
	r = resolve_ok("name");
	cr_expect_eq(r.kind, BTF_RESOLVED_CHAR_PTR);
	cr_assert_eq(r.steps.nsteps, 1);
	assert_step(r, 0, 48, 1); /* the last step loads the pointer the string is behind */
	r = resolve_ok("real_parent.comm");
	cr_assert_eq(r.steps.nsteps, 2);
	assert_step(r, 1, 24, 0);
}

Test(btf_resolve, anonymous_union_members_and_array_elements)
{
	struct btf_resolved r = resolve_ok("b");

	assert_step(r, 0, 40, 0);
	r = resolve_ok("arr[3]");
	assert_step(r, 0, 56 + 3 * 4, 0);
	cr_expect_eq(r.kind, BTF_RESOLVED_INT);
}

Test(btf_resolve, a_struct_or_pointer_at_the_end_is_other)
{
	cr_expect_eq(resolve_ok("cred").kind, BTF_RESOLVED_OTHER);
	cr_expect_str_eq(resolve_ok("cred").desc, "struct cred *");
	cr_expect_eq(resolve_ok("cred.uid").kind, BTF_RESOLVED_OTHER);
	cr_expect_str_eq(resolve_ok("cred.uid").desc, "struct kuid");
}

Test(btf_resolve, errors_name_the_segment)
{
	expect_error("cred.uidx.val", "task_struct.cred has no member 'uidx'");
	expect_error("pidx", "task_struct has no member 'pidx'");
	expect_error("pid.x", "task_struct.pid is a 4-byte signed integer, it has no member 'x'");
	expect_error("flags", "task_struct.flags is a bit field, which resolve cannot read");
	expect_error("pid[1]", "task_struct.pid is not an array, it takes no index");
	expect_error("arr[4]", "index 4 is out of task_struct.arr, which has 4 elements");
	expect_error("comm[", "resolve segment 'comm[' after task_struct is not a member name or name[index]");
	expect_error("cred..uid", "resolve segment '' after task_struct.cred is not a member name or name[index]");
	expect_error("", "resolve is empty: name a member of task_struct");
}

Test(btf_resolve, depth_is_limited)
{
	char path[512] = "";

	/* RTENF_RESOLVE_MAX_STEPS pointer reads leave no step for the last
	 * member's offset */
	for (int i = 0; i < RTENF_RESOLVE_MAX_STEPS; i++)
		strcat(path, "real_parent.");
	strcat(path, "tgid");
	expect_error(path, "resolve path too deep at task_struct.real_parent.real_parent.real_parent.real_parent."
			   "real_parent.real_parent.real_parent.real_parent.tgid: more than 8 steps (pointer reads), the "
			   "most rtenf follows");
	path[0] = '\0';
	for (int i = 0; i < RTENF_RESOLVE_MAX_STEPS - 1; i++)
		strcat(path, "real_parent.");
	strcat(path, "tgid");
	cr_expect_eq(resolve_ok(path).steps.nsteps, RTENF_RESOLVE_MAX_STEPS);
}
