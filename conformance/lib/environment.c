/* environment.c - environment_find() of environment.h and the firmware
 * environment, which has nothing to bring. */
#include "environment.h"

#include <stdio.h>
#include <string.h>

static enum tdxabi_status open_firmware(const struct object_image *image,
					struct stub_environment *environment,
					struct diagnostic *diagnostic)
{
	(void)image;
	(void)diagnostic;
	memset(environment, 0, sizeof(*environment));
	environment->unhandled = "nothing handles it: the firmware would triple-fault or hang";
	return TDXABI_OK;
}

const struct environment_kind firmware_environment = {"firmware", open_firmware};

const struct environment_kind *environment_find(const struct environment_kind *const *kinds,
						size_t count, const char *name, char *known,
						size_t size)
{
	size_t used = 0;
	known[0] = '\0';
	for (size_t index = 0; index < count; index++) {
		if (strcmp(kinds[index]->name, name) == 0)
			return kinds[index];
		int written = snprintf(known + used, size - used, "%s%s", index ? ", " : "",
				       kinds[index]->name);
		if (written > 0 && (size_t)written < size - used)
			used += (size_t)written;
	}
	return NULL;
}

void environment_close(struct stub_environment *environment)
{
	if (environment->close)
		environment->close(environment->state);
	memset(environment, 0, sizeof(*environment));
}
