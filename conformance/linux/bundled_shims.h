/* bundled_shims.h - the shim headers of the kernel-tree builder that the
 * tool carries (stubs/linux/shims, bundled as linux-shims/...). */
#ifndef TDXABI_BUNDLED_SHIMS_H
#define TDXABI_BUNDLED_SHIMS_H

#include <stddef.h>

#include "diagnostic.h"
#include "kernel_build.h"

/* *shims is malloc'ed (the caller frees it), pointing into the bundle. */
enum tdxabi_status bundled_shims_load(struct shim_file **shims, size_t *count,
				      struct diagnostic *diagnostic);

#endif
