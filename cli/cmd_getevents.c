// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf getevents: asks the agent for a filtered event stream (the agent
 * filters, so unwanted events never cross the socket) and prints one line
 * per event, flushed at once so that pipelines see each event as it happens.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "event_filter.h"
#include "event_format.h"
#include "util.h"

static const char getevents_usage[] =
	"usage: rtenf getevents [-o json|compact] [--policy NAME]... [--event-types T[,T...]]\n"
	"                       [--process REGEX] [--ancestors] [--count N] [--timeout SECONDS]\n"
	"                       [--color auto|always|never] [--socket PATH]\n"
	"\n"
	"Stream events from the running agent, one line each, until interrupted.\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT      json (default, Tetragon's export format) or compact\n"
	"      --policy NAME        hook events of this policy only (repeatable, or\n"
	"                           comma-separated)\n"
	"      --event-types T,...  only these types: process_exec, process_exit,\n"
	"                           process_kprobe, process_tracepoint,\n"
	"                           process_uprobe, process_lsm, lost_events\n"
	"      --process REGEX      only processes whose binary path matches this\n"
	"                           POSIX extended regular expression\n"
	"      --ancestors          add each process's ancestors beyond its parent\n"
	"                           (\"ancestors\", nearest first), as Tetragon's\n"
	"                           --enable-ancestors does\n"
	"      --count N            exit after N events\n"
	"      --timeout SECONDS    exit after streaming this long (fractions allowed)\n"
	"      --color WHEN         auto (default: when stdout is a terminal), always,\n"
	"                           never; colors the compact format\n"
	"      --socket PATH        the agent's socket (default: $RTENF_SOCKET, else\n"
	"                           " RTENF_DEFAULT_SOCKET ")\n"
	"  -h, --help               show this help\n"
	"\n"
	"exit status: 0 after --count events, after --timeout, or when the reader of\n"
	"stdout went away (| head); 1 when the agent cannot be reached or goes away;\n"
	"2 usage error\n";

enum {
	GE_OPT_POLICY = CLI_OPT_FIRST_VERB_OPT,
	GE_OPT_EVENT_TYPES,
	GE_OPT_PROCESS,
	GE_OPT_COUNT,
	GE_OPT_TIMEOUT,
	GE_OPT_COLOR,
	GE_OPT_ANCESTORS,
};

static const struct option getevents_options[] = {
	{"policy", required_argument, NULL, GE_OPT_POLICY},
	{"event-types", required_argument, NULL, GE_OPT_EVENT_TYPES},
	{"process", required_argument, NULL, GE_OPT_PROCESS},
	{"count", required_argument, NULL, GE_OPT_COUNT},
	{"timeout", required_argument, NULL, GE_OPT_TIMEOUT},
	{"color", required_argument, NULL, GE_OPT_COLOR},
	{"ancestors", no_argument, NULL, GE_OPT_ANCESTORS},
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_SOCKET,
	CLI_LONGOPT_HELP,
	{0},
};

/* The types the CLI offers, in the order the usage lists them. */
static const rtenf_EventType getevents_types[] = {
	rtenf_EventType_EVENT_TYPE_PROCESS_EXEC,
	rtenf_EventType_EVENT_TYPE_PROCESS_EXIT,
	rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE,
	rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT,
	rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE,
	rtenf_EventType_EVENT_TYPE_PROCESS_LSM,
	rtenf_EventType_EVENT_TYPE_LOST_EVENTS,
};

enum color_when {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

struct getevents_args {
	rtenf_GetEventsRequest req; /* its arrays are ours: freed by pb_release */
	enum event_format format;
	unsigned long count;        /* 0: no limit */
	int timeout_ms;             /* -1: none */
	enum color_when color;
};

/* Adds the comma-separated items of arg to a string array. */
static int add_policies(struct cli_ctx *c, rtenf_GetEventsRequest *req, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int r = CLI_CONTINUE;

	if (!*arg)
		r = cli_usage_error(c, "--policy needs a policy name");
	for (tok = strtok_r(copy, ",", &save); tok && r == CLI_CONTINUE; tok = strtok_r(NULL, ",", &save)) {
		req->policy_names = xrealloc(req->policy_names,
					     (req->policy_names_count + 1) * sizeof(*req->policy_names));
		req->policy_names[req->policy_names_count++] = xstrdup(tok);
	}
	free(copy);
	return r;
}

static int unknown_type(struct cli_ctx *c, const char *name)
{
	struct strbuf valid = {0};
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(getevents_types); i++)
		sb_printf(&valid, "%s%s", i ? ", " : "", event_type_name(getevents_types[i]));
	r = cli_usage_error(c, "unknown event type \"%s\"; valid types: %s", name, valid.buf);
	sb_free(&valid);
	return r;
}

static int add_event_types(struct cli_ctx *c, rtenf_GetEventsRequest *req, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int r = CLI_CONTINUE;

	if (!*arg)
		r = unknown_type(c, arg);
	for (tok = strtok_r(copy, ",", &save); tok && r == CLI_CONTINUE; tok = strtok_r(NULL, ",", &save)) {
		rtenf_EventType t;

		/* Tetragon users write PROCESS_EXEC; accept either case. */
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		t = event_type_from_name(tok);
		if (t == rtenf_EventType_EVENT_TYPE_UNDEF) {
			r = unknown_type(c, tok);
			break;
		}
		req->event_types = xrealloc(req->event_types,
					    (req->event_types_count + 1) * sizeof(*req->event_types));
		req->event_types[req->event_types_count++] = t;
	}
	free(copy);
	return r;
}

/* Checked here too, so a typo is a usage error before anything connects. */
static int set_process_regex(struct cli_ctx *c, rtenf_GetEventsRequest *req, const char *arg)
{
	regex_t re;
	int e = regcomp(&re, arg, REG_EXTENDED | REG_NOSUB);

	if (e) {
		char msg[256];

		regerror(e, &re, msg, sizeof(msg));
		return cli_usage_error(c, "bad --process regex \"%s\": %s", arg, msg);
	}
	regfree(&re);
	free(req->process_regex);
	req->process_regex = xstrdup(arg);
	return CLI_CONTINUE;
}

static int parse_count(struct cli_ctx *c, const char *arg, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (!isdigit((unsigned char)*arg) || *end || errno || !*out)
		return cli_usage_error(c, "--count needs a positive whole number, not \"%s\"", arg);
	return CLI_CONTINUE;
}

static int parse_timeout(struct cli_ctx *c, const char *arg, int *out_ms)
{
	char *end;
	double s, ms;

	errno = 0;
	s = strtod(arg, &end);
	ms = s * 1000;
	/* The comparisons also turn away NaN; isdigit() turns away "inf". */
	if (end == arg || *end || errno || !(ms > 0 && ms <= INT_MAX) ||
	    !(isdigit((unsigned char)*arg) || *arg == '.'))
		return cli_usage_error(c, "--timeout needs a number of seconds above 0, not \"%s\"", arg);
	*out_ms = (int)ms;
	if (*out_ms < ms) /* round up: 0.0001 s still waits a little */
		(*out_ms)++;
	return CLI_CONTINUE;
}

static int parse_color(struct cli_ctx *c, const char *arg, enum color_when *out)
{
	if (!strcmp(arg, "auto"))
		*out = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		*out = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		*out = COLOR_NEVER;
	else
		return cli_usage_error(c, "unknown --color \"%s\"; use auto, always or never", arg);
	return CLI_CONTINUE;
}

static bool use_color(enum color_when when)
{
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");

	if (when != COLOR_AUTO)
		return when == COLOR_ALWAYS;
	/* https://no-color.org: any non-empty NO_COLOR turns color off. */
	if (no_color && *no_color)
		return false;
	return isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

enum wait_result {
	WAIT_READABLE,
	WAIT_TIMEOUT,
	WAIT_READER_GONE,
};

/* Waits for the agent to send something, the deadline, or the reader of
 * stdout to go away: `getevents | head -1` should end when head does, not at
 * the next event, which may be hours away. */
static enum wait_result wait_for_event(int sock, bool *watch_stdout, long long deadline)
{
	for (;;) {
		struct pollfd p[2] = {
			{.fd = sock, .events = POLLIN},
			{.fd = *watch_stdout ? STDOUT_FILENO : -1, .events = 0},
		};
		int timeout = -1, n;

		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return WAIT_TIMEOUT;
			timeout = left > INT_MAX ? INT_MAX : (int)left;
		}
		n = poll(p, 2, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return WAIT_READABLE; /* let the read report it */
		/* POLLERR on a pipe's write end: the reader closed it.  A
		 * closed or odd stdout is left to the write to report. */
		if (p[1].revents & POLLNVAL)
			*watch_stdout = false;
		else if (p[1].revents & (POLLERR | POLLHUP))
			return WAIT_READER_GONE;
		if (p[0].revents)
			return WAIT_READABLE;
	}
}

/* Writes one formatted event.  Returns 0, 1 when the reader went away (a
 * normal end for a pipeline), or -errno. */
static int write_event(const struct strbuf *line)
{
	if (fwrite(line->buf, 1, line->len, stdout) != line->len || fflush(stdout)) {
		int e = errno;

		return e == EPIPE ? 1 : -e;
	}
	return 0;
}

static int stream_events(const struct cli_ctx *c, struct rtenf_client *cl, const struct getevents_args *a)
{
	long long deadline = a->timeout_ms < 0 ? -1 : now_ms() + a->timeout_ms;
	bool color = a->format == EVENT_FORMAT_COMPACT && use_color(a->color);
	bool watch_stdout = true;
	struct strbuf line = {0};
	unsigned long n = 0;
	int r = 0;

	while (!a->count || n < a->count) {
		enum wait_result w = wait_for_event(cl->fd, &watch_stdout, deadline);
		rtenf_Event ev;
		int left = -1;

		if (w != WAIT_READABLE)
			break; /* a normal end: exit 0 */
		if (deadline >= 0) {
			long long ms = deadline - now_ms();

			left = ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
		}
		r = client_next_event(cl, &ev, left);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r == -ECONNRESET) {
			r = cli_fail(c, "the agent at %s closed the connection; events stopped", cl->path);
			break;
		}
		if (r) {
			r = cli_fail(c, "reading events from the agent at %s failed: %s", cl->path,
				     cli_wire_strerror(r));
			break;
		}
		sb_reset(&line);
		event_format(&line, &ev, a->format, color);
		pb_release(rtenf_Event_fields, &ev);
		r = write_event(&line);
		if (r == 1) {
			r = 0;
			break;
		}
		if (r) {
			r = cli_fail(c, "cannot write events: %s", strerror(-r));
			break;
		}
		n++;
	}
	sb_free(&line);
	return r;
}

static int getevents_run(const struct cli_ctx *c, struct getevents_args *a)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct rtenf_client cl;
	int r;

	/* A closed pipe must show up as EPIPE from write, which ends the
	 * stream quietly, rather than kill the process with status 141. */
	signal(SIGPIPE, SIG_IGN);
	r = cli_connect(c, &cl);
	if (r)
		return r;
	req.which_request = rtenf_Request_get_events_tag;
	req.request.get_events = a->req;
	r = cli_call(c, &cl, &req, &resp, CLI_CALL_TIMEOUT_MS);
	if (!r) {
		pb_release(rtenf_Response_fields, &resp);
		r = stream_events(c, &cl, a);
	}
	client_close(&cl);
	return r;
}

static int getevents_option(struct cli_ctx *c, struct getevents_args *a, int opt, char **argv)
{
	switch (opt) {
	case 'o':
		if (event_format_parse(optarg, &a->format) < 0)
			return cli_usage_error(c, "unknown output format \"%s\"; use json or compact", optarg);
		/* Asking for JSON makes the errors JSON too; the default
		 * JSON stream keeps errors readable for people. */
		c->output = a->format == EVENT_FORMAT_JSON ? CLI_OUTPUT_JSON : CLI_OUTPUT_TEXT;
		return CLI_CONTINUE;
	case GE_OPT_POLICY:
		return add_policies(c, &a->req, optarg);
	case GE_OPT_EVENT_TYPES:
		return add_event_types(c, &a->req, optarg);
	case GE_OPT_PROCESS:
		return set_process_regex(c, &a->req, optarg);
	case GE_OPT_COUNT:
		return parse_count(c, optarg, &a->count);
	case GE_OPT_TIMEOUT:
		return parse_timeout(c, optarg, &a->timeout_ms);
	case GE_OPT_COLOR:
		return parse_color(c, optarg, &a->color);
	case GE_OPT_ANCESTORS:
		a->req.ancestors = true;
		return CLI_CONTINUE;
	default:
		return cli_common_option(c, opt, argv);
	}
}

int cmd_getevents(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "getevents", .usage = getevents_usage};
	struct getevents_args a = {
		.req = rtenf_GetEventsRequest_init_zero,
		.format = EVENT_FORMAT_JSON,
		.timeout_ms = -1,
		.color = COLOR_AUTO,
	};
	int opt, r = CLI_CONTINUE;

	cli_getopt_reset();
	while (r == CLI_CONTINUE && (opt = getopt_long(argc, argv, ":o:h", getevents_options, NULL)) != -1)
		r = getevents_option(&c, &a, opt, argv);
	if (r == CLI_CONTINUE && optind < argc)
		r = cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	if (r == CLI_CONTINUE)
		r = getevents_run(&c, &a);
	pb_release(rtenf_GetEventsRequest_fields, &a.req);
	return r;
}
