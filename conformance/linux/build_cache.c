/* build_cache.c - temporary builds, atomic publishing and file helpers of
 * the kernel builder's cache (see build_cache.h). */
#include "build_cache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_access.h"

#define PATH_SIZE 4096

bool build_cache_complete(const char *directory)
{
	char marker[PATH_SIZE];
	return file_access_join(marker, sizeof(marker), directory, BUILD_CACHE_MARKER) &&
	       access(marker, F_OK) == 0;
}

enum tdxabi_status build_cache_make_directories(const char *path, struct diagnostic *diagnostic)
{
	char partial[PATH_SIZE];
	if (snprintf(partial, sizeof(partial), "%s", path) >= (int)sizeof(partial))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: path too long", path);
	for (char *slash = partial + 1;; slash++) {
		bool end = *slash == '\0';
		if (*slash != '/' && !end)
			continue;
		*slash = '\0';
		if (mkdir(partial, 0755) != 0 && errno != EEXIST)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot create %s: %s",
					       partial, strerror(errno));
		if (end)
			return TDXABI_OK;
		*slash = '/';
	}
}

/* The directories above a path, made as needed. */
static enum tdxabi_status make_parent_directories(const char *path, struct diagnostic *diagnostic)
{
	char parent[PATH_SIZE];
	if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: path too long", path);
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return TDXABI_OK;
	*slash = '\0';
	return build_cache_make_directories(parent, diagnostic);
}

enum tdxabi_status build_cache_write_file(const char *path, const void *bytes, size_t size,
					  struct diagnostic *diagnostic)
{
	enum tdxabi_status status = make_parent_directories(path, diagnostic);
	if (status != TDXABI_OK)
		return status;
	FILE *file = fopen(path, "wb");
	bool failed = !file || fwrite(bytes, 1, size, file) != size;
	if (file)
		failed |= fclose(file) != 0;
	return failed ? diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot write %s", path)
		      : TDXABI_OK;
}

/* Removes a directory tree (symlinks are removed, not followed). */
static void build_cache_remove(const char *path)
{
	struct stat information;
	if (lstat(path, &information) != 0)
		return;
	if (S_ISDIR(information.st_mode)) {
		DIR *directory = opendir(path);
		for (struct dirent *entry = directory ? readdir(directory) : NULL; entry;
		     entry = readdir(directory)) {
			if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
				continue;
			char child[PATH_SIZE];
			if (file_access_join(child, sizeof(child), path, entry->d_name))
				build_cache_remove(child);
		}
		if (directory)
			closedir(directory);
		rmdir(path);
	} else {
		unlink(path);
	}
}

enum tdxabi_status build_cache_begin(const char *entry, char *temporary, size_t size,
				     struct diagnostic *diagnostic)
{
	enum tdxabi_status status = make_parent_directories(entry, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (snprintf(temporary, size, "%s.tmp-XXXXXX", entry) >= (int)size)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: path too long", entry);
	if (!mkdtemp(temporary))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "cannot create a build directory beside %s: %s", entry,
				       strerror(errno));
	return TDXABI_OK;
}

enum tdxabi_status build_cache_publish(const char *temporary, const char *entry,
				       struct diagnostic *diagnostic)
{
	if (rename(temporary, entry) == 0)
		return TDXABI_OK;
	int error = errno;
	if ((error == EEXIST || error == ENOTEMPTY) && build_cache_complete(entry)) {
		/* another run published the same build first: use theirs */
		build_cache_remove(temporary);
		return TDXABI_OK;
	}
	build_cache_remove(temporary);
	if (error == EEXIST || error == ENOTEMPTY)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s exists but is not a complete build: remove it", entry);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot rename %s to %s: %s", temporary,
			       entry, strerror(error));
}

void build_cache_keep_failed(const char *temporary, const char *entry,
			     struct diagnostic *diagnostic)
{
	char failed[PATH_SIZE + 16];
	snprintf(failed, sizeof(failed), "%s.failed", entry);
	build_cache_remove(failed);
	if (rename(temporary, failed) != 0)
		return; /* another failed run got there first: keep ours where it is */
	if (!diagnostic)
		return;
	/* the diagnostic quotes logs under the temporary name */
	char text[sizeof(diagnostic->text)];
	size_t used = 0, length = strlen(temporary);
	for (const char *cursor = diagnostic->text; *cursor && used + 1 < sizeof(text);) {
		if (strncmp(cursor, temporary, length) == 0) {
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s", failed);
			if (used >= sizeof(text))
				used = sizeof(text) - 1;
			cursor += length;
		} else {
			text[used++] = *cursor++;
		}
	}
	text[used] = '\0';
	memcpy(diagnostic->text, text, sizeof(text));
}
