/* build_cache.h - the kernel builder's cache entries: each build is made in
 * a temporary directory beside its entry and renamed into place only when
 * complete, so no run sees (or writes into) a half-made entry; a failed
 * build is kept as <entry>.failed, for its logs. */
#ifndef TDXABI_BUILD_CACHE_H
#define TDXABI_BUILD_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnostic.h"

#define BUILD_CACHE_MARKER "complete"

/* Whether directory holds a complete build (its marker file exists). */
bool build_cache_complete(const char *directory);

/* Creates <entry>.tmp-XXXXXX (and the cache root above it) into temporary. */
enum tdxabi_status build_cache_begin(const char *entry, char *temporary, size_t size,
				     struct diagnostic *diagnostic);

/* Renames the complete temporary build to entry. When another run published
 * the entry first, the temporary one is removed and theirs is used. */
enum tdxabi_status build_cache_publish(const char *temporary, const char *entry,
				       struct diagnostic *diagnostic);

/* After a failed build: moves the temporary directory to <entry>.failed
 * (replacing an older one) and makes the diagnostic name the logs there. */
void build_cache_keep_failed(const char *temporary, const char *entry,
			     struct diagnostic *diagnostic);

/* mkdir -p */
enum tdxabi_status build_cache_make_directories(const char *path, struct diagnostic *diagnostic);
/* Writes a file, creating its parent directories. */
enum tdxabi_status build_cache_write_file(const char *path, const void *bytes, size_t size,
					  struct diagnostic *diagnostic);
/* The most a file the build made (an object, a log) may hold when read. */
#define BUILD_CACHE_FILE_LIMIT (64u << 20)

#endif
