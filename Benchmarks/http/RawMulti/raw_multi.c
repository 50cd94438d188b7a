/* Raw libcurl multi: the baseline of the HTTP client benchmark (issue 5).
 * Posts N copies of a body with C transfers in flight over one multi handle, reusing easy handles (so
 * connections are kept alive; a finished handle is added again at once, options untouched), and
 * reports requests per second. A library (raw_multi.h) that HTTPBench runs in the same process as the
 * Swift client, alternating short slices, so both see the same moments of a noisy machine; built with
 * -DRAW_MULTI_MAIN it is also a program on its own:
 *   cc -O2 -DRAW_MULTI_MAIN -Iinclude -o /tmp/raw_multi raw_multi.c -lcurl && /tmp/raw_multi URL BODYFILE N C
 */
#include "raw_multi.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct raw_multi {
    CURLM *multi;
    CURL **handles;
    int in_flight;
    struct curl_slist *headers;
};

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

raw_multi *raw_multi_open(const char *url, const char *body, long size, int in_flight) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    raw_multi *raw = calloc(1, sizeof *raw);
    if (!raw) return NULL;
    raw->multi = curl_multi_init();
    raw->handles = calloc(in_flight, sizeof *raw->handles);
    raw->in_flight = in_flight;
    raw->headers = curl_slist_append(raw->headers, "Content-Type: application/json");
    raw->headers = curl_slist_append(raw->headers, "Authorization: Bearer bench");
    /* The request the client sends, byte for byte: it adds its user agent and the encodings it can
     * decode (what CURLOPT_ACCEPT_ENCODING "" lists). Two more fields cost the server and the wire a few
     * percent (measured here); that is the workload's cost, not the client's, so raw multi pays it too.
     * It does not turn decoding on: that part of the client's setup stays counted against the client. */
    raw->headers = curl_slist_append(raw->headers, "User-Agent: Outflow");
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    int features = info ? info->features : 0;
    char encodings[64] = "";
    if (features & CURL_VERSION_LIBZ) strcat(encodings, ", deflate, gzip");
    if (features & CURL_VERSION_BROTLI) strcat(encodings, ", br");
    if (features & CURL_VERSION_ZSTD) strcat(encodings, ", zstd");
    char accept[96];
    snprintf(accept, sizeof accept, "Accept-Encoding: %s", encodings[0] ? encodings + 2 : "identity");
    raw->headers = curl_slist_append(raw->headers, accept);
    raw->headers = curl_slist_append(raw->headers, "Expect:");
    if (!raw->multi || !raw->handles || !raw->headers) { raw_multi_close(raw); return NULL; }
    for (int i = 0; i < in_flight; i++) {
        CURL *e = curl_easy_init();
        if (!e) { raw_multi_close(raw); return NULL; }
        raw->handles[i] = e;
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, raw->headers);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, size);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        /* As Outflow's client does: without it libcurl calls sigaction twice per transfer step (about
         * 100,000 system calls for 20,000 requests), a cost the client does not pay and the baseline
         * should not either. */
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    }
    return raw;
}

double raw_multi_run(raw_multi *raw, int total, int *failed) {
    int started = 0, done = 0;
    *failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < raw->in_flight && started < total; i++, started++) curl_multi_add_handle(raw->multi, raw->handles[i]);
    while (done < total) {
        int running = 0, queued = 0;
        curl_multi_perform(raw->multi, &running);
        CURLMsg *m;
        while ((m = curl_multi_info_read(raw->multi, &queued))) {
            if (m->msg != CURLMSG_DONE) continue;
            CURL *e = m->easy_handle;
            long status = 0;
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
            if (m->data.result != CURLE_OK || status != 200) (*failed)++;
            done++;
            curl_multi_remove_handle(raw->multi, e);
            /* Removed handles leave their connections in the multi handle's cache for the next call. */
            if (started < total) { started++; curl_multi_add_handle(raw->multi, e); }
        }
        if (done < total) curl_multi_poll(raw->multi, NULL, 0, 100, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

void raw_multi_close(raw_multi *raw) {
    if (!raw) return;
    for (int i = 0; raw->handles && i < raw->in_flight; i++) if (raw->handles[i]) curl_easy_cleanup(raw->handles[i]);
    free(raw->handles);
    if (raw->multi) curl_multi_cleanup(raw->multi);
    curl_slist_free_all(raw->headers);
    free(raw);
}

#ifdef RAW_MULTI_MAIN
int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: raw_multi URL BODYFILE N C\n"); return 64; }
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *body = malloc(size);
    if (!body || fread(body, 1, size, f) != (size_t)size) return 1;
    fclose(f);
    int total = atoi(argv[3]), failed = 0;
    raw_multi *raw = raw_multi_open(argv[1], body, size, atoi(argv[4]));
    if (!raw) { fprintf(stderr, "raw_multi: libcurl could not make its handles\n"); return 1; }
    double s = raw_multi_run(raw, total, &failed);
    printf("{\"client\":\"raw libcurl multi\",\"requests\":%d,\"failed\":%d,\"seconds\":%.3f,\"requestsPerSecond\":%.0f}\n", total, failed, s, total / s);
    raw_multi_close(raw);
    return failed ? 1 : 0;
}
#endif
