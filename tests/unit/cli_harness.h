/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the CLI tests: run a verb in a child process with its output
 * captured, and a fake agent serving the socket protocol from a thread.
 */
#ifndef RTENF_TEST_CLI_HARNESS_H
#define RTENF_TEST_CLI_HARNESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "api.pb.h"
#include "cli.h"
#include "events.pb.h"

typedef int (*verb_fn)(int argc, char **argv);

struct run_result {
	int status; /* exit status; 128 + signal when killed */
	char *out;  /* all of stdout */
	char *err;  /* all of stderr */
};

/* Runs verb with argv (NULL-terminated, argv[0] the verb's name) in a forked
 * child so exits, signals and global state stay there. */
void run_verb(verb_fn verb, const char *const *argv, struct run_result *r);
#define RUN(res, verb, ...) run_verb((verb), (const char *const[]){__VA_ARGS__, NULL}, (res))
/* Same, with stdout a pipe from which the test reads n_lines lines (into
 * r->out) and then closes, as `| head -n N` does. */
void run_verb_head(verb_fn verb, const char *const *argv, int n_lines, struct run_result *r);
void run_result_free(struct run_result *r);

size_t count_lines(const char *s);
bool starts_with(const char *s, const char *prefix);

/* A temporary directory, removed with everything in it. */
char *tmpdir_make(void);
void tmpdir_remove(char *dir);
/* Writes a file dir/name with the given contents; returns its path. */
char *write_file(const char *dir, const char *name, const char *contents);

struct fake_agent;
/* Fills resp for req; strings may point to static storage (never freed). */
typedef void (*fake_respond_fn)(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp);

enum fake_after {
	FAKE_CLOSE, /* close the connection after the events */
	FAKE_HOLD,  /* keep it open until the client closes it or the agent stops */
};

#define FAKE_MAX_REQUESTS 16

struct fake_agent {
	/* set before fake_agent_start() */
	fake_respond_fn respond;      /* NULL: ok = true and nothing else */
	size_t n_events;              /* events after an ok get_events answer */
	enum fake_after after;

	/* filled in */
	char *dir;
	char *path;                   /* the socket */
	int listen_fd;
	int stop_pipe[2];
	pthread_t thread;
	pthread_mutex_t lock;
	rtenf_Request requests[FAKE_MAX_REQUESTS]; /* as received */
	size_t n_requests;
	size_t n_events_sent;
};

void fake_agent_start(struct fake_agent *a);
/* Stops serving, joins the thread, removes the socket.  Recorded requests
 * stay readable until fake_agent_free(). */
void fake_agent_stop(struct fake_agent *a);
void fake_agent_free(struct fake_agent *a);
/* A small process_exec event numbered i (its time). */
void fake_event(rtenf_Event *ev, size_t i);

#endif /* RTENF_TEST_CLI_HARNESS_H */
