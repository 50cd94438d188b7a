// Typed wrappers for libcurl's variadic entry points.
//
// Swift cannot call C variadic functions, and `curl_easy_setopt` reads its third argument with
// `va_arg` as the type the option implies (long, pointer, curl_off_t, function pointer). Passing
// the wrong width is undefined behaviour, so each helper fixes the type at the call site.
#ifndef OUTFLOW_CCURL_SHIM_H
#define OUTFLOW_CCURL_SHIM_H

// The gcc type-check macros would wrap curl_easy_setopt in a macro; the helpers below are already typed.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
typedef size_t (*outflow_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode outflow_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_url(CURL *handle, CURLoption option, CURLU *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_setopt_callback(CURL *handle, CURLoption option, outflow_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outflow_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode outflow_easy_getinfo_pointer(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode outflow_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode outflow_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLMcode outflow_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

/// The running libcurl's features; `CURLVERSION_NOW` is a macro alias Swift does not import.
static inline int outflow_curl_features(void) {
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info ? info->features : 0;
}

/// Names the calling thread as `top -H`, `perf` and debuggers show it (at most 15 bytes). A thread
/// otherwise inherits its creator's name, so the event loop would pass for a worker of the pool.
/// glibc declares pthread_setname_np only under _GNU_SOURCE, which the Swift Glibc module is built
/// without; the declaration here is glibc's own.
#include <pthread.h>
extern int pthread_setname_np(pthread_t thread, const char *name);
static inline int outflow_name_current_thread(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

#endif
