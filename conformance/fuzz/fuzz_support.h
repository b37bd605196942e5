/* fuzz_support.h - what the fuzz targets share: the bundled catalog, loaded
 * once per fuzzing process (it aborts when the bundled data does not load). */
#ifndef TDXABI_FUZZ_SUPPORT_H
#define TDXABI_FUZZ_SUPPORT_H

#include "catalog.h"

const struct catalog *fuzz_catalog(void);
/* The SysV calling convention of the bundled tables. */
const struct calling_convention *fuzz_sysv(void);

#endif
