// xxHash (Debian's libxxhash-dev), compiled into its callers: with XXH_INLINE_ALL every function is
// static inline, so there is nothing to link (and the static sitegen needs no libxxhash.a). Its names
// are then macros, which Swift cannot call: xxh3_64 is XXH3_64bits under a name it can.
#define XXH_INLINE_ALL
#include <xxhash.h>

static inline unsigned long long xxh3_64(const void *bytes, size_t count) { return XXH3_64bits(bytes, count); }
