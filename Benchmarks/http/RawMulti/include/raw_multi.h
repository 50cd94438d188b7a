/* Raw libcurl multi, the baseline of the HTTP client benchmark (issue 5), as a library so HTTPBench
 * can run it in the same process as the Swift client, slice by slice (see raw_multi.c). */
#ifndef RAW_MULTI_H
#define RAW_MULTI_H

typedef struct raw_multi raw_multi;

/* A multi handle and `in_flight` easy handles set up to POST `size` bytes of `body` (borrowed: it must
 * outlive the handle) to `url`; NULL if libcurl cannot make them. */
raw_multi *raw_multi_open(const char *url, const char *body, long size, int in_flight);

/* Posts `total` requests, `in_flight` at a time, over the connections kept from the last call; returns
 * the seconds it took and stores how many failed (a transfer error or a status other than 200). */
double raw_multi_run(raw_multi *raw, int total, int *failed);

void raw_multi_close(raw_multi *raw);

#endif
