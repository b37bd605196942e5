/* raw_runner.h - the emulator's floor, for `tdxabi bench`: bare Unicorn on
 * a loaded object with the same intercept of its TDX instructions as the
 * machine (a code hook at each), and nothing else: no poison, no model, no
 * checks, no trace. */
#ifndef TDXABI_RAW_RUNNER_H
#define TDXABI_RAW_RUNNER_H

#include <stdbool.h>

#include "diagnostic.h"
#include "object_image.h"
#include "registers.h"

/* How many calls ran in how long; a run that could not be made says why. */
struct call_rate {
	bool measured;
	char reason[160];
	size_t calls;
	double seconds;
};

/* Calls the stub at entry with these registers (RSP set to the layout's
 * entry RSP) and the first caller_memory_size bytes of caller memory again
 * and again, for about `seconds`. */
enum tdxabi_status raw_runner_measure(const struct object_image *image, uint64_t entry,
				      const uint64_t registers[GPR_COUNT],
				      const uint8_t *caller_memory, size_t caller_memory_size,
				      double seconds,
				      struct call_rate *measurement,
				      struct diagnostic *diagnostic);

#endif
