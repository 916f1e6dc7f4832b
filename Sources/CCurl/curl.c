#include "shim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

/* The libcurl functions mkt calls, looked up once in the library opened by its soname. */
static struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *handle);
  CURLcode (*easy_perform)(CURL *handle);
  const char *(*easy_strerror)(CURLcode code);
  CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
  void (*slist_free_all)(struct curl_slist *list);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode loaded = CURLE_FAILED_INIT;
static const char *load_error = "libcurl's global set-up failed";

static void load(void) {
  void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    load_error = dlerror();
    return;
  }
  api.global_init = (CURLcode (*)(long))dlsym(library, "curl_global_init");
  api.easy_init = (CURL * (*)(void)) dlsym(library, "curl_easy_init");
  api.easy_cleanup = (void (*)(CURL *))dlsym(library, "curl_easy_cleanup");
  api.easy_perform = (CURLcode (*)(CURL *))dlsym(library, "curl_easy_perform");
  api.easy_strerror = (const char *(*)(CURLcode))dlsym(library, "curl_easy_strerror");
  api.easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))dlsym(library, "curl_easy_setopt");
  api.slist_append =
    (struct curl_slist * (*)(struct curl_slist *, const char *)) dlsym(library, "curl_slist_append");
  api.slist_free_all = (void (*)(struct curl_slist *))dlsym(library, "curl_slist_free_all");
  if (!api.global_init || !api.easy_init || !api.easy_cleanup || !api.easy_perform
      || !api.easy_strerror || !api.easy_setopt || !api.slist_append || !api.slist_free_all) {
    load_error = "libcurl.so.4 lacks a function mkt calls";
    return;
  }
  loaded = api.global_init(CURL_GLOBAL_DEFAULT);
}

CURLcode mkt_curl_global_init(void) {
  pthread_once(&once, load);
  return loaded;
}

const char *mkt_curl_init_error(void) { return load_error; }

CURL *mkt_curl_easy_init(void) { return api.easy_init(); }
void mkt_curl_easy_cleanup(CURL *handle) { api.easy_cleanup(handle); }
CURLcode mkt_curl_easy_perform(CURL *handle) { return api.easy_perform(handle); }
const char *mkt_curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }

struct curl_slist *mkt_curl_slist_append(struct curl_slist *list, const char *line) {
  return api.slist_append(list, line);
}

void mkt_curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

CURLcode mkt_curl_set_long(CURL *handle, CURLoption option, long value) {
  return api.easy_setopt(handle, option, value);
}

CURLcode mkt_curl_set_string(CURL *handle, CURLoption option, const char *value) {
  return api.easy_setopt(handle, option, value);
}

CURLcode mkt_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
  return api.easy_setopt(handle, option, value);
}

CURLcode mkt_curl_set_headers(CURL *handle, struct curl_slist *list) {
  return api.easy_setopt(handle, CURLOPT_HTTPHEADER, list);
}

CURLcode mkt_curl_set_data_callback(
  CURL *handle, CURLoption option, curl_write_callback callback)
{
  return api.easy_setopt(handle, option, callback);
}

CURLcode mkt_curl_set_progress_callback(CURL *handle, curl_xferinfo_callback callback) {
  return api.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

void mkt_curl_set_basics(CURL *handle, const char *url, long timeout_ms, char *error_buffer) {
  api.easy_setopt(handle, CURLOPT_URL, url);
  api.easy_setopt(handle, CURLOPT_USERAGENT, "mkt");
  api.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  api.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  api.easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
}
