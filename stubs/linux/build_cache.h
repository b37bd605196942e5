/* build_cache.h - the entries of the kernel builder's cache: each build is
 * made in a fresh temporary directory beside its entry and renamed into
 * place only when complete, so concurrent runs never see (or write into) a
 * half-made entry; a run that finds a complete entry only reads it. A failed
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

/* Removes a directory tree (symlinks are removed, not followed). */
void build_cache_remove(const char *path);

/* mkdir -p */
enum tdxabi_status build_cache_make_directories(const char *path, struct diagnostic *diagnostic);
/* Writes a file, creating its parent directories. */
enum tdxabi_status build_cache_write_file(const char *path, const void *bytes, size_t size,
					  struct diagnostic *diagnostic);
/* Reads a file the build made (NUL-terminated); false when it cannot. */
bool build_cache_read(const char *path, char **text, size_t *size);

#endif
