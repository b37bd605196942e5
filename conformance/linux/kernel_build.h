/* kernel_build.h - builds a Linux tree's TDX stubs outside kbuild, from
 * copies of its files, shim headers and a generated asm-offsets.h, in every
 * variant that changes the code (frame pointer, RET flavour, ENDBR), with the
 * C __tdx_hypercall of 6.7+ linked beside the guest stubs. */
#ifndef TDXABI_KERNEL_BUILD_H
#define TDXABI_KERNEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "kernel_tree.h"
#include "standin_headers.h"

#define KERNEL_NAME_SIZE 64
#define KERNEL_PATH_SIZE 4096
#define KERNEL_MAX_MEMBERS 64
#define KERNEL_MAX_LAYOUTS 8
#define KERNEL_MAX_OBJECTS 32
#define KERNEL_MAX_HEADERS 128 /* as many as kernel_inputs.h has inputs */

/* A struct of the tree, as the compiler lays it out. */
struct struct_member {
	char name[KERNEL_NAME_SIZE];
	uint64_t offset;
};

struct struct_layout {
	char name[KERNEL_NAME_SIZE];
	uint64_t size;
	struct struct_member members[KERNEL_MAX_MEMBERS];
	size_t member_count;
	bool too_many_members;     /* more than KERNEL_MAX_MEMBERS: not followed, an error */
	bool member_name_too_long; /* KERNEL_NAME_SIZE characters or more: an error too */
};

/* A TDX header of the tree, as the build read it. */
struct kernel_header {
	char path[256]; /* in the tree: "arch/x86/include/asm/tdx.h" */
	char *text;
};

/* One header file the shims provide, by include path ("linux/linkage.h"). */
struct shim_file {
	const char *path;
	const unsigned char *bytes;
	size_t size;
};

#define KERNEL_MAX_VARIANTS 12

struct built_object {
	char source[KERNEL_NAME_SIZE];   /* KERNEL_TDCALL or KERNEL_SEAMCALL */
	char variant[KERNEL_NAME_SIZE];  /* "frame-pointer ret" */
	/* the other variants that built to identical bytes */
	char same_bytes_as[KERNEL_MAX_VARIANTS][KERNEL_NAME_SIZE];
	size_t same_bytes_count;
	char path[KERNEL_PATH_SIZE];
};

struct kernel_build {
	char directory[KERNEL_PATH_SIZE]; /* <cache>/linux-<version>-<key> */
	bool reused;                      /* a complete earlier build was found */
	struct struct_layout layouts[KERNEL_MAX_LAYOUTS];
	size_t layout_count;
	struct built_object objects[KERNEL_MAX_OBJECTS]; /* one per distinct variant */
	size_t object_count;
	size_t variant_count;             /* variants built per source */
	bool has_hypercall_c;             /* __tdx_hypercall (C) is linked into the tdcall objects */
	struct standin_headers standins;  /* headers the build stood in for, empty */
	/* the TDX headers as built from (kernel_inputs.h: asm/tdx.h and
	 * asm/shared/tdx.h first), searched for prototypes; their texts are
	 * malloc'ed (see kernel_build_free), so nothing reads the live tree again */
	struct kernel_header headers[KERNEL_MAX_HEADERS];
	size_t header_count;
};

struct kernel_inputs;

/* Builds (or reuses from cache_root) every variant of the tree's stubs. A
 * compiler failure names the file, the variant and the first error line. A
 * new build is made in a temporary directory and renamed into place when
 * complete; a complete entry found is only read. On success the caller
 * calls kernel_build_free. */
enum tdxabi_status kernel_build_run(const struct kernel_tree *tree, const struct shim_file *shims,
				    size_t shim_count, const char *cache_root,
				    struct kernel_build *build, struct diagnostic *diagnostic);

/* kernel_build_run's second half: the build of inputs already collected
 * (and hashed) from the tree, from copies of their contents alone. */
enum tdxabi_status kernel_build_from_inputs(const struct kernel_tree *tree,
					    const struct kernel_inputs *inputs,
					    const struct shim_file *shims, size_t shim_count,
					    const char *cache_root, struct kernel_build *build,
					    struct diagnostic *diagnostic);

/* Frees the header texts; the rest of the build stays readable. */
void kernel_build_free(struct kernel_build *build);

/* The variant a kernel configuration (the text of a .config) builds, as
 * kernel_build_run names it, and the settings that decide it, with whether
 * objtool ran on single objects (with X86_KERNEL_IBT or LTO_CLANG kbuild
 * defers it to vmlinux.o). */
void kernel_build_configured_variant(const char *config, char *variant, size_t size,
				     char *settings, size_t settings_size);

#endif
