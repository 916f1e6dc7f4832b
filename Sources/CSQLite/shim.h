#ifndef MKT_CSQLITE_SHIM_H
#define MKT_CSQLITE_SHIM_H
/* SQLite's process-wide settings: sqlite3_config is variadic, which Swift cannot call. */
#include <sqlite3.h>

/* Turns off SQLite's count of the memory it allocates. Debian's SQLite is built without its
 * lookaside allocator, so every small allocation goes to malloc, and with the count on each
 * allocation and free also takes a process-wide mutex. Only takes effect before SQLite's first
 * use in the process (SQLITE_MISUSE after). */
static inline int mkt_sqlite3_stop_counting_memory(void) {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
