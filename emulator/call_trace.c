/* call_trace.c - the ring of steps behind call_trace.h. */
#include "call_trace.h"

#include <stdlib.h>
#include <string.h>

enum tdxabi_status call_trace_open(struct call_trace *trace, size_t capacity,
				   struct diagnostic *diagnostic)
{
	memset(trace, 0, sizeof(*trace));
	trace->steps = calloc(capacity, sizeof(*trace->steps));
	if (!trace->steps)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	trace->capacity = capacity;
	return TDXABI_OK;
}

void call_trace_close(struct call_trace *trace)
{
	free(trace->steps);
	memset(trace, 0, sizeof(*trace));
}

size_t call_trace_count(const struct call_trace *trace)
{
	return trace->recorded < trace->capacity ? trace->recorded : trace->capacity;
}

const struct trace_step *call_trace_step(const struct call_trace *trace, size_t index)
{
	size_t first = trace->recorded - call_trace_count(trace);
	return &trace->steps[(first + index) % trace->capacity];
}

struct trace_step *call_trace_append(struct call_trace *trace)
{
	struct trace_step *step = &trace->steps[trace->recorded++ % trace->capacity];
	memset(step, 0, sizeof(*step));
	return step;
}
