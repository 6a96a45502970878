// SPDX-License-Identifier: GPL-2.0-only
/* seed_events OUTDIR: the fuzz_event seed corpus, one encoded event per file
 * (fuzz_samples.c: every kind, every argument kind). */
#include <stdio.h>
#include <stdlib.h>

#include "event_codec.h"
#include "fuzz_samples.h"

int main(int argc, char **argv)
{
	const rtenf_Event *ev;
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: seed_events OUTDIR\n");
		return 2;
	}
	ev = fuzz_sample_events(&n);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		uint8_t *buf;
		size_t len;
		FILE *f;

		if (event_encode(&ev[i], &buf, &len)) {
			fprintf(stderr, "seed_events: event %zu does not encode\n", i);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/event-%zu.bin", argv[1], i);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
			perror(path);
			return 1;
		}
		free(buf);
	}
	printf("fuzz seeds: %zu events\n", n);
	return 0;
}
