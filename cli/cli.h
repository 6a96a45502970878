/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rtenf command line: one file per verb, each with its own option
 * parsing and help.  Conventions every verb follows:
 *   - machine output (events, JSON) on stdout; human messages on stderr;
 *   - -o json makes errors JSON too: {"error":"..."} on stderr;
 *   - exit 0 on success, 1 on a failed operation, 2 on a usage error;
 *   - client verbs find the agent by --socket PATH, else $RTENF_SOCKET,
 *     else RTENF_DEFAULT_SOCKET.
 */
#ifndef RTENF_CLI_H
#define RTENF_CLI_H

#define RTENF_VERSION        "0.1.0"
#define RTENF_DEFAULT_SOCKET "/run/rtenf/rtenf.sock"
#define RTENF_DEFAULT_BPF_DIR "/sys/fs/bpf/rtenf"

#define EXIT_USAGE 2

struct cli_verb {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the verb */
	const char *summary;
};

int cmd_agent(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_getevents(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif /* RTENF_CLI_H */
