#ifndef MKT_CCURL_SHIM_H
#define MKT_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, and CURL_GLOBAL_DEFAULT is a macro of
   macros; Swift can call neither. One typed wrapper per kind of argument. */

static inline CURLcode mkt_curl_global_init(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode mkt_curl_set_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mkt_curl_set_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mkt_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mkt_curl_set_headers(CURL *handle, struct curl_slist *list) {
  return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
}

/* What every transfer of mkt sets: the URL, mkt's user agent, no signals (threads), no
   redirects (callers check and follow them themselves), one deadline for connecting and for
   the whole transfer, and a buffer for libcurl's error message. */
static inline void mkt_curl_set_basics(
  CURL *handle, const char *url, long timeout_ms, char *error_buffer)
{
  curl_easy_setopt(handle, CURLOPT_URL, url);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "mkt");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION take the same kind of callback. */
static inline CURLcode mkt_curl_set_data_callback(
  CURL *handle, CURLoption option, curl_write_callback callback)
{
  return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode mkt_curl_set_progress_callback(
  CURL *handle, curl_xferinfo_callback callback)
{
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
#endif
