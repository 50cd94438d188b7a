/* Raw libcurl multi: the baseline of the HTTP client benchmark (issue 5).
 * Posts N copies of a body with C transfers in flight over one multi handle, reusing easy handles
 * (so connections are kept alive; a finished handle is added again at once, options untouched), and
 * prints requests per second.
 *   cc -O2 -o /tmp/raw_multi raw_multi.c -lcurl && /tmp/raw_multi URL BODYFILE N C
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: raw_multi URL BODYFILE N C\n"); return 64; }
    const char *url = argv[1];
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *body = malloc(size); if (fread(body, 1, size, f) != (size_t)size) return 1; fclose(f);
    int total = atoi(argv[3]), conc = atoi(argv[4]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Bearer bench");
    headers = curl_slist_append(headers, "Expect:");
    int started = 0, done = 0, failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < conc && started < total; i++, started++) {
        CURL *e = curl_easy_init();
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, size);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        /* As Outflow's client does: without it libcurl calls sigaction twice per transfer step (about
         * 100,000 system calls for 20,000 requests), a cost the client does not pay and the baseline
         * should not either. */
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_multi_add_handle(multi, e);
    }
    while (done < total) {
        int running = 0, queued = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *m;
        while ((m = curl_multi_info_read(multi, &queued))) {
            if (m->msg != CURLMSG_DONE) continue;
            CURL *e = m->easy_handle;
            long status = 0;
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
            if (m->data.result != CURLE_OK || status != 200) failed++;
            done++;
            curl_multi_remove_handle(multi, e);
            if (started < total) { started++; curl_multi_add_handle(multi, e); } else curl_easy_cleanup(e);
        }
        if (done < total) curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("{\"client\":\"raw libcurl multi\",\"requests\":%d,\"failed\":%d,\"seconds\":%.3f,\"requestsPerSecond\":%.0f}\n", total, failed, s, total / s);
    curl_multi_cleanup(multi);
    return failed ? 1 : 0;
}
