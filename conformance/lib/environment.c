/* environment.c - environment_open() of environment.h and the firmware
 * environment, which has nothing to bring. */
#include "environment.h"

#include <string.h>

static enum tdxabi_status open_firmware(const struct object_image *image,
					struct stub_environment *environment,
					struct diagnostic *diagnostic)
{
	(void)image;
	(void)diagnostic;
	memset(environment, 0, sizeof(*environment));
	environment->name = "firmware";
	environment->unhandled = "nothing handles it: the firmware would triple-fault or hang";
	return TDXABI_OK;
}

const struct environment_kind firmware_environment = {"firmware", open_firmware};

enum tdxabi_status environment_open(const struct environment_kind *const *kinds, size_t count,
				    const char *name, const struct object_image *image,
				    struct stub_environment *environment,
				    struct diagnostic *diagnostic)
{
	memset(environment, 0, sizeof(*environment));
	for (size_t index = 0; index < count; index++)
		if (strcmp(kinds[index]->name, name) == 0)
			return kinds[index]->open(image, environment, diagnostic);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "unknown environment '%s' (firmware or linux)", name);
}

void environment_close(struct stub_environment *environment)
{
	if (environment->close)
		environment->close(environment->state);
	memset(environment, 0, sizeof(*environment));
}
