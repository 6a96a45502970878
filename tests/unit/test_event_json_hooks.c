// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON of process_kprobe, process_lsm, process_uprobe and of every argument
 * kind: complete lines, as Tetragon's export would print them, plus
 * rtenf's enforcement fields.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event_fixtures.h"
#include "event_format.h"
#include "json_expect.h"

#define CAT_JSON "{\"pid\":4242,\"uid\":0,\"binary\":\"/usr/bin/cat\",\"arguments\":\"/etc/shadow\",\"auid\":0,\"tid\":4242}"
#define INIT_JSON                                                                                                      \
	"{\"exec_id\":\"dm06MQ==\",\"pid\":1,\"uid\":0,\"binary\":\"/usr/lib/systemd/systemd\","                      \
	"\"auid\":4294967295,\"tid\":1,\"in_init_tree\":true}"
#define TAIL "\"node_name\":\"vm\",\"time\":\"" FX_TIME_JSON "\"}\n"

static rtenf_Process *cat_process(void)
{
	return fx_process_simple("/usr/bin/cat", "/etc/shadow", 4242);
}

/* An enforced Override of security_file_open, every field set. */
static void kprobe_override(rtenf_Event *ev)
{
	rtenf_ProcessKprobe *k = &ev->event.process_kprobe;

	fx_kprobe(ev, cat_process(), "security_file_open", "deny-shadow", rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE,
		  rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	k->parent = fx_process_init();
	fx_arg_file(ev, NULL, "/etc/shadow", "O_RDONLY|O_CLOEXEC", "-rw-r-----");
	k->has_return_arg = true;
	k->return_arg.which_arg = rtenf_KprobeArgument_int_arg_tag;
	k->return_arg.arg.int_arg = -1;
	k->message = fx_strdup("shadow read");
	fx_add_tag(ev, "credentials");
	k->error = 1;
	k->selector = 1;
	k->mechanism = fx_strdup("fentry");
}

#define KPROBE_OVERRIDE_JSON                                                                                           \
	"{\"process_kprobe\":{\"process\":" CAT_JSON ",\"parent\":" INIT_JSON ","                                       \
	"\"function_name\":\"security_file_open\","                                                                   \
	"\"args\":[{\"file_arg\":{\"path\":\"/etc/shadow\",\"flags\":\"O_RDONLY|O_CLOEXEC\","                          \
	"\"permission\":\"-rw-r-----\"}}],"                                                                            \
	"\"return\":{\"int_arg\":-1},\"action\":\"KPROBE_ACTION_OVERRIDE\",\"policy_name\":\"deny-shadow\","          \
	"\"message\":\"shadow read\",\"tags\":[\"credentials\"],\"policy_mode\":\"enforce\",\"enforced\":true,"        \
	"\"error\":1,\"selector\":1,\"mechanism\":\"fentry\"}," TAIL

Test(event_json_hooks, kprobe_in_tetragon_order)
{
	rtenf_Event ev;

	kprobe_override(&ev);
	expect_json(&ev, KPROBE_OVERRIDE_JSON);
}

Test(event_json_hooks, kprobe_audited_kill)
{
	rtenf_Event ev;

	fx_kprobe(&ev, cat_process(), "__x64_sys_setuid", "no-setuid", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
		  rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	expect_json(&ev, "{\"process_kprobe\":{\"process\":" CAT_JSON ",\"function_name\":\"__x64_sys_setuid\","
			 "\"action\":\"KPROBE_ACTION_SIGKILL\",\"policy_name\":\"no-setuid\","
			 "\"policy_mode\":\"audit\",\"enforced\":false,\"signal\":9}," TAIL);
}

Test(event_json_hooks, kprobe_late_with_return_value)
{
	rtenf_Event ev;

	fx_kprobe(&ev, NULL, "__x64_sys_openat", "watch", rtenf_KprobeAction_KPROBE_ACTION_POST,
		  rtenf_PolicyMode_POLICY_MODE_ENFORCE, false);
	ev.event.process_kprobe.late = true;
	ev.event.process_kprobe.return_value = -13;
	expect_json(&ev, "{\"process_kprobe\":{\"function_name\":\"__x64_sys_openat\","
			 "\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"watch\",\"policy_mode\":\"enforce\","
			 "\"enforced\":false,\"late\":true,\"return_value\":\"-13\"}," TAIL);
}

Test(event_json_hooks, kprobe_return_only_when_present)
{
	rtenf_Event ev;

	/* No action and no return: neither key, nor the enforcement fields. */
	fx_kprobe(&ev, NULL, "tcp_connect", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		  rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	expect_json(&ev, "{\"process_kprobe\":{\"function_name\":\"tcp_connect\"}," TAIL);

	/* A present return with no value is still printed, like any set
	 * submessage in protojson. */
	fx_kprobe(&ev, NULL, "tcp_connect", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		  rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	ev.event.process_kprobe.has_return_arg = true;
	expect_json(&ev, "{\"process_kprobe\":{\"function_name\":\"tcp_connect\",\"return\":{}}," TAIL);

	fx_kprobe(&ev, NULL, "do_sys_openat2", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		  rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	ev.event.process_kprobe.has_return_arg = true;
	ev.event.process_kprobe.return_arg.which_arg = rtenf_KprobeArgument_long_arg_tag;
	ev.event.process_kprobe.return_arg.arg.long_arg = 3;
	ev.event.process_kprobe.return_arg.label = fx_strdup("fd");
	expect_json(&ev, "{\"process_kprobe\":{\"function_name\":\"do_sys_openat2\","
			 "\"return\":{\"long_arg\":\"3\",\"label\":\"fd\"}}," TAIL);
}

Test(event_json_hooks, lsm_in_tetragon_order)
{
	rtenf_Event ev;
	rtenf_ProcessLsm *l = &ev.event.process_lsm;

	fx_lsm(&ev, cat_process(), "file_open", "block-passwd", rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE,
	       rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	l->parent = fx_process_init();
	l->message = fx_strdup("passwd opened");
	fx_arg_file(&ev, "file", "/etc/passwd", NULL, "-rw-r--r--");
	fx_add_tag(&ev, "files");
	l->error = 13;
	l->selector = 2;
	l->selector_label = fx_strdup("not-root");
	l->mechanism = fx_strdup("lsm");
	expect_json(&ev, "{\"process_lsm\":{\"process\":" CAT_JSON ",\"parent\":" INIT_JSON ","
			 "\"function_name\":\"file_open\",\"policy_name\":\"block-passwd\","
			 "\"message\":\"passwd opened\","
			 "\"args\":[{\"file_arg\":{\"path\":\"/etc/passwd\",\"permission\":\"-rw-r--r--\"},"
			 "\"label\":\"file\"}],\"action\":\"KPROBE_ACTION_OVERRIDE\",\"tags\":[\"files\"],"
			 "\"policy_mode\":\"audit\",\"enforced\":false,\"error\":13,\"selector\":2,"
			 "\"selector_label\":\"not-root\",\"mechanism\":\"lsm\"}," TAIL);
}

Test(event_json_hooks, lsm_signal)
{
	rtenf_Event ev;

	fx_lsm(&ev, NULL, "bprm_check_security", "warn", rtenf_KprobeAction_KPROBE_ACTION_SIGNAL,
	       rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	ev.event.process_lsm.signal = 10;
	fx_arg_binprm(&ev, NULL, "/tmp/x", NULL, "-rwxr-xr-x");
	expect_json(&ev, "{\"process_lsm\":{\"function_name\":\"bprm_check_security\",\"policy_name\":\"warn\","
			 "\"args\":[{\"linux_binprm_arg\":{\"path\":\"/tmp/x\",\"permission\":\"-rwxr-xr-x\"}}],"
			 "\"action\":\"KPROBE_ACTION_SIGNAL\",\"policy_mode\":\"enforce\",\"enforced\":true,"
			 "\"signal\":10}," TAIL);
}

Test(event_json_hooks, uprobe_in_tetragon_order)
{
	rtenf_Event ev;
	rtenf_ProcessUprobe *u = &ev.event.process_uprobe;

	fx_uprobe(&ev, fx_process_simple("/usr/bin/bash", NULL, 77), "/usr/bin/bash", "readline", "watch-readline",
		  rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	u->parent = fx_process_init();
	u->message = fx_strdup("shell input");
	fx_arg_string(&ev, "line", "ls");
	fx_add_tag(&ev, "shell");
	u->selector = 3;
	u->selector_label = fx_strdup("interactive");
	expect_json(&ev, "{\"process_uprobe\":{\"process\":{\"pid\":77,\"uid\":0,\"binary\":\"/usr/bin/bash\","
			 "\"auid\":0,\"tid\":77},\"parent\":" INIT_JSON ",\"path\":\"/usr/bin/bash\","
			 "\"symbol\":\"readline\",\"policy_name\":\"watch-readline\",\"message\":\"shell input\","
			 "\"args\":[{\"string_arg\":\"ls\",\"label\":\"line\"}],\"tags\":[\"shell\"],"
			 "\"action\":\"KPROBE_ACTION_POST\",\"policy_mode\":\"audit\",\"enforced\":false,"
			 "\"selector\":3,\"selector_label\":\"interactive\"}," TAIL);
}

Test(event_json_hooks, uprobe_kill_and_no_action)
{
	rtenf_Event ev;

	fx_uprobe(&ev, NULL, "/lib/libc.so.6", "system", "no-system", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
		  rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	expect_json(&ev, "{\"process_uprobe\":{\"path\":\"/lib/libc.so.6\",\"symbol\":\"system\","
			 "\"policy_name\":\"no-system\",\"action\":\"KPROBE_ACTION_SIGKILL\","
			 "\"policy_mode\":\"enforce\",\"enforced\":true,\"signal\":9}," TAIL);

	fx_uprobe(&ev, NULL, "/lib/libc.so.6", "system", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		  rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	expect_json(&ev, "{\"process_uprobe\":{\"path\":\"/lib/libc.so.6\",\"symbol\":\"system\"}," TAIL);
}

Test(event_json_hooks, unknown_action_and_mode_print_numbers)
{
	rtenf_Event ev;

	fx_lsm(&ev, NULL, "file_open", NULL, (rtenf_KprobeAction)42, (rtenf_PolicyMode)9, false);
	expect_json(&ev, "{\"process_lsm\":{\"function_name\":\"file_open\",\"action\":42,\"policy_mode\":9,"
			 "\"enforced\":false}," TAIL);
}

/* data entries follow the arguments under their own key, as in Tetragon. */
Test(event_json_hooks, data_after_args)
{
	rtenf_Event ev;
	rtenf_KprobeArgument *d;

	fx_kprobe(&ev, NULL, "f", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN, rtenf_PolicyMode_POLICY_MODE_UNSET,
		  false);
	fx_arg_string(&ev, NULL, "/etc/passwd");
	d = fx_data(&ev, "uid");
	d->which_arg = rtenf_KprobeArgument_int_arg_tag;
	d->arg.int_arg = 65534;
	d = fx_data(&ev, NULL);
	d->which_arg = rtenf_KprobeArgument_string_arg_tag;
	d->arg.string_arg = fx_strdup("sh");
	expect_json(&ev, "{\"process_kprobe\":{\"function_name\":\"f\",\"args\":[{\"string_arg\":\"/etc/passwd\"}],"
			 "\"data\":[{\"int_arg\":65534,\"label\":\"uid\"},{\"string_arg\":\"sh\"}]}," TAIL);
}

/* Every new argument kind, on a kprobe so the JSON is short. */
static void args_event(rtenf_Event *ev)
{
	fx_kprobe(ev, NULL, "f", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN, rtenf_PolicyMode_POLICY_MODE_UNSET,
		  false);
}

#define ARGS_JSON(args) "{\"process_kprobe\":{\"function_name\":\"f\",\"args\":[" args "]}," TAIL

Test(event_json_args, file_path_binprm)
{
	rtenf_Event ev;

	args_event(&ev);
	fx_arg_file(&ev, "file", "/etc/passwd", "O_RDONLY", "-rw-r--r--");
	ev.event.process_kprobe.args[0].arg.file_arg.mount = fx_strdup("/");
	fx_arg_path(&ev, NULL, "/mnt", "/mnt/dir", NULL, "drwxr-xr-x");
	fx_arg_binprm(&ev, "bprm", "/usr/bin/sudo", NULL, "-rwsr-xr-x");
	fx_arg_file(&ev, NULL, NULL, NULL, NULL);   /* set but empty */
	fx_arg_path(&ev, NULL, "", "", "", "");     /* empty strings are unset */
	fx_arg_binprm(&ev, NULL, NULL, NULL, NULL);
	expect_json(&ev, ARGS_JSON("{\"file_arg\":{\"mount\":\"/\",\"path\":\"/etc/passwd\",\"flags\":\"O_RDONLY\","
				   "\"permission\":\"-rw-r--r--\"},\"label\":\"file\"},"
				   "{\"path_arg\":{\"mount\":\"/mnt\",\"path\":\"/mnt/dir\","
				   "\"permission\":\"drwxr-xr-x\"}},"
				   "{\"linux_binprm_arg\":{\"path\":\"/usr/bin/sudo\",\"permission\":\"-rwsr-xr-x\"},"
				   "\"label\":\"bprm\"},"
				   "{\"file_arg\":{}},{\"path_arg\":{}},{\"linux_binprm_arg\":{}}"));
}

Test(event_json_args, truncated_path)
{
	rtenf_Event ev;

	args_event(&ev);
	fx_arg_file(&ev, NULL, "/very/deep/pa", NULL, NULL);
	ev.event.process_kprobe.args[0].truncated = true;
	expect_json(&ev, ARGS_JSON("{\"file_arg\":{\"path\":\"/very/deep/pa\"},\"truncated\":true}"));
}

Test(event_json_args, sock_every_field)
{
	rtenf_Event ev;
	rtenf_KprobeSock *s;

	args_event(&ev);
	s = fx_arg_sock(&ev, "sk", "AF_INET", "IPPROTO_TCP", "10.0.0.1", 43122, "1.1.1.1", 443);
	s->type = fx_strdup("SOCK_STREAM");
	s->mark = 7;
	s->priority = 6;
	s->cookie = UINT64_MAX;
	s->state = fx_strdup("TCP_SYN_SENT");
	fx_arg_sock(&ev, NULL, "AF_INET6", NULL, "::", 0, NULL, 0);
	expect_json(&ev, ARGS_JSON("{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
				   "\"protocol\":\"IPPROTO_TCP\",\"mark\":7,\"priority\":6,\"saddr\":\"10.0.0.1\","
				   "\"daddr\":\"1.1.1.1\",\"sport\":43122,\"dport\":443,"
				   "\"cookie\":\"18446744073709551615\",\"state\":\"TCP_SYN_SENT\"},\"label\":\"sk\"},"
				   "{\"sock_arg\":{\"family\":\"AF_INET6\",\"saddr\":\"::\"}}"));
}

Test(event_json_args, sockaddr)
{
	rtenf_Event ev;

	args_event(&ev);
	fx_arg_sockaddr(&ev, "addr", "AF_INET", "1.1.1.1", 443);
	fx_arg_sockaddr(&ev, NULL, "AF_INET6", "2001:db8::1", 65535);
	fx_arg_sockaddr(&ev, NULL, "AF_UNIX", "/run/x.sock", 0);
	expect_json(&ev, ARGS_JSON("{\"sockaddr_arg\":{\"family\":\"AF_INET\",\"addr\":\"1.1.1.1\",\"port\":443},"
				   "\"label\":\"addr\"},"
				   "{\"sockaddr_arg\":{\"family\":\"AF_INET6\",\"addr\":\"2001:db8::1\",\"port\":65535}},"
				   "{\"sockaddr_arg\":{\"family\":\"AF_UNIX\",\"addr\":\"/run/x.sock\"}}"));
}

/* Tetragon's skb_arg keys; a packet that is not IP has only its length. */
Test(event_json_args, skb)
{
	rtenf_Event ev;
	rtenf_KprobeSkb *k;

	args_event(&ev);
	k = fx_arg_skb(&ev, "pkt", "AF_INET", "IPPROTO_UDP", "127.0.0.1", 40000, "127.0.0.53", 53);
	k->len = 29;
	k->priority = 6;
	k->mark = 0x100;
	fx_arg_skb(&ev, NULL, "AF_INET6", "IPPROTO_ICMPV6", "::1", 0, "ff02::1", 0)->len = 64;
	fx_arg_skb(&ev, NULL, NULL, NULL, NULL, 0, NULL, 0)->len = 42;
	expect_json(&ev, ARGS_JSON("{\"skb_arg\":{\"family\":\"AF_INET\",\"protocol\":\"IPPROTO_UDP\",\"len\":29,"
				   "\"priority\":6,\"mark\":256,\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.53\","
				   "\"sport\":40000,\"dport\":53},\"label\":\"pkt\"},"
				   "{\"skb_arg\":{\"family\":\"AF_INET6\",\"protocol\":\"IPPROTO_ICMPV6\",\"len\":64,"
				   "\"saddr\":\"::1\",\"daddr\":\"ff02::1\"}},"
				   "{\"skb_arg\":{\"len\":42}}"));
}

Test(event_json_args, credentials_like_tetragon)
{
	rtenf_Event ev;
	rtenf_KprobeCred *c;

	args_event(&ev);
	c = fx_arg_cred(&ev, "new");
	c->uid = 1000;
	c->gid = 1001;
	c->euid = 0;
	c->egid = 2;
	c->suid = 3;
	c->sgid = 4;
	c->fsuid = 5;
	c->fsgid = 4294967295u;
	c->securebits = 1u << 0 | 1u << 1 | 1u << 9; /* bit 9 has no name */
	c->has_caps = true;
	c->caps.permitted = 1ull << 0 | 1ull << 21;
	c->caps.effective = 1ull << 21;
	c->user_ns = 4026531837u;
	/* Zero ids still print (UInt32Value in Tetragon); empty sets do not. */
	fx_arg_cred(&ev, NULL);
	c = fx_arg_cred(&ev, NULL);
	c->has_caps = true;
	expect_json(&ev, ARGS_JSON("{\"process_credentials_arg\":{\"uid\":1000,\"gid\":1001,\"euid\":0,\"egid\":2,"
				   "\"suid\":3,\"sgid\":4,\"fsuid\":5,\"fsgid\":4294967295,"
				   "\"securebits\":[\"SecBitNoRoot\",\"SecBitNoRootLocked\",512],"
				   "\"caps\":{\"permitted\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"],"
				   "\"effective\":[\"CAP_SYS_ADMIN\"]},"
				   "\"user_ns\":{\"ns\":{\"inum\":4026531837}}},\"label\":\"new\"},"
				   "{\"process_credentials_arg\":{\"uid\":0,\"gid\":0,\"euid\":0,\"egid\":0,\"suid\":0,"
				   "\"sgid\":0,\"fsuid\":0,\"fsgid\":0}},"
				   "{\"process_credentials_arg\":{\"uid\":0,\"gid\":0,\"euid\":0,\"egid\":0,\"suid\":0,"
				   "\"sgid\":0,\"fsuid\":0,\"fsgid\":0,\"caps\":{}}}"));
}

/* Tetragon prints capability-mask arguments as 16 hex digits
 * (caps.GetCapabilitiesHex), so policies' tests match either agent. */
Test(event_json_args, capability_masks_as_tetragon_hex)
{
	rtenf_Event ev;

	args_event(&ev);
	fx_arg_caps(&ev, "caps", rtenf_KprobeArgument_kernel_cap_t_arg_tag, 0x1ffffffffffull);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_effective_arg_tag, 1ull << 0 | 1ull << 21);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_permitted_arg_tag, 0);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_inheritable_arg_tag, UINT64_MAX);
	expect_json(&ev, ARGS_JSON("{\"kernel_cap_t_arg\":\"000001ffffffffff\",\"label\":\"caps\"},"
				   "{\"cap_effective_arg\":\"0000000000200001\"},"
				   "{\"cap_permitted_arg\":\"0000000000000000\"},"
				   "{\"cap_inheritable_arg\":\"ffffffffffffffff\"}"));
}

/* Recipes written for Tetragon's export, run by jq on rtenf's lines. */
Test(event_json_hooks, tetragon_jq_recipes_work)
{
	static const struct {
		const char *filter;
		const char *want;
	} recipes[] = {
		{".process_kprobe.function_name", "\"security_file_open\""},
		{".process_kprobe.args[0].file_arg.path", "\"/etc/shadow\""},
		{".process_kprobe.return.int_arg", "-1"},
		{".process_kprobe.process.binary", "\"/usr/bin/cat\""},
		{"select(.process_kprobe.action == \"KPROBE_ACTION_OVERRIDE\") | .process_kprobe.policy_name",
		 "\"deny-shadow\""},
		{".process_kprobe | [.policy_mode, .enforced, .error]", "[\"enforce\",true,1]"},
		{".time", "\"" FX_TIME_JSON "\""},
	};
	rtenf_Event ev;
	char *line;

	kprobe_override(&ev);
	line = event_to_json(&ev);
	for (size_t i = 0; i < sizeof(recipes) / sizeof(recipes[0]); i++) {
		char *got = jq_output(line, recipes[i].filter);

		if (!got)
			cr_skip_test("jq is not installed");
		cr_assert_str_eq(got, recipes[i].want, "%s", recipes[i].filter);
		free(got);
	}
	free(line);
	fx_release(&ev);
}

/* Whatever bytes land in the new string fields, the line stays valid. */
Test(event_json_hooks, hostile_strings_stay_valid)
{
	char all[256];
	rtenf_Event ev;
	rtenf_KprobeSock *s;
	char *got;

	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	all[255] = '\0';
	fx_kprobe(&ev, fx_process_simple(all, all, 1), all, all, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE,
		  rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	ev.event.process_kprobe.mechanism = fx_strdup(all);
	fx_arg_file(&ev, all, all, all, all);
	fx_arg_path(&ev, all, all, all, all, all);
	fx_arg_binprm(&ev, all, all, all, all);
	s = fx_arg_sock(&ev, all, all, all, all, 1, all, 2);
	s->type = fx_strdup(all);
	s->state = fx_strdup(all);
	fx_arg_sockaddr(&ev, all, all, all, 3);
	got = event_to_json(&ev);
	assert_valid_json_line(got);
	free(got);
	fx_release(&ev);
}
