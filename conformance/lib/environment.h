/* environment.h - the environment a stub is built for, behind one small
 * interface: its exception model (how a trap is fixed up), the undefined
 * symbols it provides, and how a report speaks of them. A binding names its
 * environment; the caller passes the kinds it knows. */
#ifndef TDXABI_ENVIRONMENT_H
#define TDXABI_ENVIRONMENT_H

#include <stddef.h>

#include "diagnostic.h"
#include "machine.h"
#include "object_image.h"

struct stub_environment {
	struct machine_environment machine;
	const char *fixups;    /* where its fixups live ("__ex_table"), or NULL: none */
	const char *unhandled; /* what an unhandled trap means there */
	void *state;           /* the kind's own, released by close */
	void (*close)(void *state);
};

struct environment_kind {
	const char *name;
	enum tdxabi_status (*open)(const struct object_image *image,
				   struct stub_environment *environment,
				   struct diagnostic *diagnostic);
};

/* Firmware and guest libraries: no fixups, no stand-ins; a trap is fatal. */
extern const struct environment_kind firmware_environment;

/* The kind called `name` among kinds[0..count), or NULL with `known`
 * listing their names ("firmware, linux"). */
const struct environment_kind *environment_find(const struct environment_kind *const *kinds,
						size_t count, const char *name, char *known,
						size_t size);
void environment_close(struct stub_environment *environment);

#endif
