/* linux_detect.h - which binding an exported function of a Linux tree
 * follows, decided from the tree (bindings that name it, its prototype, the
 * fields of its struct), copied with the tree's struct layout so a reordered
 * struct is followed, not assumed. */
#ifndef TDXABI_LINUX_DETECT_H
#define TDXABI_LINUX_DETECT_H

#include "binding.h"
#include "catalog.h"
#include "kernel_build.h"

/* Fills *out with a copy of the matching binding, offsets and sizes taken
 * from the build's layouts, the prototype from the first of the build's TDX
 * headers that declares the function. Fails, naming the function and what
 * did not match, when no header declares it, two declare it differently, or
 * no binding (or more than one) fits. */
enum tdxabi_status linux_detect_binding(const struct catalog *catalog,
					const struct kernel_build *build, const char *function,
					struct binding *out, struct diagnostic *diagnostic);

/* The first TDX header of the build that declares function (its signature
 * into signature), or NULL. */
const struct kernel_header *linux_declaring_header(const struct kernel_build *build,
						   const char *function, char *signature,
						   size_t size);

/* Normalises "u64 __tdcall_ret(u64 fn, struct tdx_module_args *args)" to
 * "u64(u64,struct tdx_module_args*)": types only, no names or spaces. */
bool linux_prototype_signature(const char *declaration, const char *function, char *signature,
			       size_t size);

#endif
