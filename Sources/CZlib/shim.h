#ifndef MKT_CZLIB_SHIM_H
#define MKT_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro in zlib.h; Swift cannot call macros. */
static inline int mkt_inflate_init_gzip(z_streamp stream) {
  return inflateInit2(stream, 15 + 32); /* 32: detect gzip or zlib headers */
}

/* Raw deflate, as a ZIP entry holds it (no zlib or gzip header). */
static inline int mkt_inflate_init_raw(z_streamp stream) {
  return inflateInit2(stream, -15);
}
#endif
