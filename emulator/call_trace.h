/* call_trace.h - what a traced call executed, instruction by instruction:
 * each one's address, the GPRs and RFLAGS before it, and the first memory it
 * wrote. A failing case is run again with a trace to name the instructions
 * behind its findings; a passing case never pays for one. */
#ifndef TDXABI_CALL_TRACE_H
#define TDXABI_CALL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "registers.h"

struct trace_step {
	uint64_t rip;
	uint64_t registers[GPR_COUNT]; /* before the instruction */
	uint64_t rflags;
	uint64_t write_address;        /* its first memory write, when write_size > 0 */
	uint64_t write_value;
	uint32_t write_size;
	bool tdx;                      /* a TDCALL/SEAMCALL the model answered */
};

/* The last `capacity` steps of a call (a ring: older ones are overwritten). */
struct call_trace {
	struct trace_step *steps;
	size_t capacity;
	size_t recorded; /* steps executed; those before recorded - capacity are gone */
};

enum tdxabi_status call_trace_open(struct call_trace *trace, size_t capacity,
				   struct diagnostic *diagnostic);
void call_trace_close(struct call_trace *trace);
/* How many steps are kept, and the index-th oldest of them. */
size_t call_trace_count(const struct call_trace *trace);
const struct trace_step *call_trace_step(const struct call_trace *trace, size_t index);
/* The step the machine records next (the caller fills it). */
struct trace_step *call_trace_append(struct call_trace *trace);

#endif
