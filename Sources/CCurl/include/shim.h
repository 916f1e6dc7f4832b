#ifndef MKT_CCURL_SHIM_H
#define MKT_CCURL_SHIM_H
#include <curl/curl.h>

/* libcurl is opened on first use (dlopen), not linked: it and the thirty libraries it pulls in
   (TLS, SSH, LDAP, Kerberos, IDN, HTTP/2) cost every mkt process 4 ms to load and relocate,
   though only fetch, push and webhooks make a transfer. mkt_curl_global_init opens it once per
   process; every other function here may be called only after it returned CURLE_OK. */

/* Opens libcurl and runs its global set-up, once per process (later calls return the first
   result). CURLE_FAILED_INIT when the library cannot be opened: mkt_curl_init_error says why. */
CURLcode mkt_curl_global_init(void);

/* Why mkt_curl_global_init failed: dlerror's text when libcurl could not be opened, or that its
   set-up failed. */
const char *mkt_curl_init_error(void);

CURL *mkt_curl_easy_init(void);
void mkt_curl_easy_cleanup(CURL *handle);
CURLcode mkt_curl_easy_perform(CURL *handle);
const char *mkt_curl_easy_strerror(CURLcode code);
struct curl_slist *mkt_curl_slist_append(struct curl_slist *list, const char *line);
void mkt_curl_slist_free_all(struct curl_slist *list);

/* curl_easy_setopt is variadic, which Swift cannot call: one typed wrapper per kind of
   argument. */
CURLcode mkt_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode mkt_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode mkt_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode mkt_curl_set_headers(CURL *handle, struct curl_slist *list);
/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION take the same kind of callback. */
CURLcode mkt_curl_set_data_callback(
  CURL *handle, CURLoption option, curl_write_callback callback);
CURLcode mkt_curl_set_progress_callback(CURL *handle, curl_xferinfo_callback callback);

/* What every transfer of mkt sets: the URL, mkt's user agent, no signals (threads), no
   redirects (callers check and follow them themselves), one deadline for connecting and for
   the whole transfer, and a buffer for libcurl's error message. */
void mkt_curl_set_basics(CURL *handle, const char *url, long timeout_ms, char *error_buffer);
#endif
