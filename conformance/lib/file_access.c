/* file_access.c - path joining and the one bounded file reader (see
 * file_access.h). */
#include "file_access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)

bool file_access_join(char *path, size_t size, const char *directory, const char *relative)
{
	int length = snprintf(path, size, "%s/%s", directory, relative);
	if (length < 0 || (size_t)length >= size) {
		if (size)
			path[0] = '\0';
		return false;
	}
	return true;
}

bool file_access_is_regular(const char *path)
{
	struct stat information;
	return stat(path, &information) == 0 && S_ISREG(information.st_mode);
}

bool file_access_is_directory(const char *path)
{
	struct stat information;
	return stat(path, &information) == 0 && S_ISDIR(information.st_mode);
}

static enum tdxabi_status too_large(const char *path, size_t limit, struct diagnostic *diagnostic)
{
	if (limit >= (1u << 20))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: larger than %zu MiB", path, limit >> 20);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: larger than %zu bytes", path,
			       limit);
}

enum tdxabi_status file_access_read(const char *path, size_t limit, char **text, size_t *size,
				    struct diagnostic *diagnostic)
{
	int descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (descriptor < 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: %s", path, strerror(errno));
	struct stat information;
	if (fstat(descriptor, &information) != 0 || !S_ISREG(information.st_mode)) {
		close(descriptor);
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: not a regular file", path);
	}
	if ((uint64_t)information.st_size > limit) {
		close(descriptor);
		return too_large(path, limit, diagnostic);
	}
	/* room for the size stat gave, one byte more (to see growth) and the NUL */
	size_t capacity = (size_t)information.st_size + 2, used = 0;
	char *buffer = malloc(capacity);
	bool failed = buffer == NULL;
	while (!failed && used <= limit) {
		if (used + 1 >= capacity) {
			size_t grown_capacity = capacity + (capacity < READ_CHUNK ? capacity : READ_CHUNK);
			char *grown = realloc(buffer, grown_capacity);
			if (!grown) {
				failed = true;
				break;
			}
			buffer = grown;
			capacity = grown_capacity;
		}
		size_t want = capacity - 1 - used;
		if (want > limit + 1 - used)
			want = limit + 1 - used;
		ssize_t got = read(descriptor, buffer + used, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(descriptor);
			free(buffer);
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: read error: %s", path,
					       strerror(errno));
		}
		if (got == 0)
			break;
		used += (size_t)got;
	}
	close(descriptor);
	if (failed) {
		free(buffer);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	if (used > limit) {
		free(buffer);
		return too_large(path, limit, diagnostic);
	}
	buffer[used] = '\0';
	*text = buffer;
	*size = used;
	return TDXABI_OK;
}

void file_access_normalize(char *path)
{
	size_t size = strlen(path) + 1;
	char *normal = malloc(size);
	if (!normal)
		return; /* left as it is */
	bool absolute = path[0] == '/';
	size_t used = 0, kept = 0; /* kept: components that ".." may remove */
	if (absolute)
		normal[used++] = '/';
	for (const char *in = path; *in;) {
		const char *end = strchr(in, '/');
		size_t length = end ? (size_t)(end - in) : strlen(in);
		bool parent = length == 2 && in[0] == '.' && in[1] == '.';
		if (length == 0 || (length == 1 && in[0] == '.')) {
			/* nothing to keep */
		} else if (parent && kept > 0) {
			used--; /* the '/' after the last kept component */
			while (used > (size_t)absolute && normal[used - 1] != '/')
				used--;
			kept--;
		} else {
			memcpy(normal + used, in, length);
			used += length;
			normal[used++] = '/';
			kept += !parent;
		}
		in += length + (end != NULL);
	}
	if (used > (size_t)absolute && normal[used - 1] == '/')
		used--;
	normal[used] = '\0';
	memcpy(path, normal, used + 1);
	free(normal);
}
