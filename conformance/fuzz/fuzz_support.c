/* fuzz_support.c - fuzz_support.h. */
#include "fuzz_support.h"

#include <stdlib.h>

const struct catalog *fuzz_catalog(void)
{
	static struct catalog catalog;
	static bool loaded;
	struct diagnostic diagnostic;
	if (!loaded && catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		abort();
	loaded = true;
	return &catalog;
}

const struct calling_convention *fuzz_sysv(void)
{
	const struct calling_convention *abi = catalog_find_abi(fuzz_catalog(), "sysv-x86-64");
	if (!abi)
		abort();
	return abi;
}
