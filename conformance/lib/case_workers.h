/* case_workers.h - runs a stub's cases in worker processes, so that nothing
 * a stub does to the emulator can end the tool: each worker claims the next
 * case, runs it in its own engine and sends the result back; a case whose
 * worker dies (a signal, its memory bound, the wall-clock bound) is judged
 * from how it died and the last instruction a traced rerun reached. */
#ifndef TDXABI_CASE_WORKERS_H
#define TDXABI_CASE_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "call_trace.h"
#include "check_result.h"

#define CASE_WORKERS_MAX 64

/* How a worker ended while it ran a case. */
struct worker_death {
	int signal;          /* 0: it exited, with exit_status */
	int exit_status;
	bool timed_out;      /* it ran past the wall-clock bound and was killed */
	double seconds;      /* that bound */
	bool while_opening;  /* before any case ran: loading the object killed it */
	unsigned seed_index; /* the draw (of --seeds) it was running */
	bool recurred;       /* the traced rerun died too (else it ran to the end) */
	bool has_rip;        /* the last instruction the traced rerun reached */
	uint64_t rip;
};

/* What the workers run; every callback but judge_death runs in a worker. */
struct case_runner {
	void *context;
	enum tdxabi_status (*open)(void *context, struct diagnostic *diagnostic);
	/* runs the case into result (named already), publishing each draw it
	 * starts through *seed_index */
	enum tdxabi_status (*run)(void *context, size_t index, struct check_result *result,
				  volatile unsigned *seed_index, struct diagnostic *diagnostic);
	/* runs one draw of the case with every instruction recorded in trace */
	void (*run_traced)(void *context, size_t index, unsigned seed_index,
			   struct call_trace *trace);
	/* in the tool: the result of a case whose worker died */
	enum tdxabi_status (*judge_death)(void *context, const struct worker_death *death,
					  struct check_result *result, struct diagnostic *diagnostic);
};

struct worker_limits {
	unsigned jobs;        /* 1 .. CASE_WORKERS_MAX processes */
	double case_seconds;  /* wall-clock bound of one draw of a case */
};

/* Runs cases indices[0..count) into results[indices[i]] (named already;
 * the violations they come back with are the caller's to free). */
enum tdxabi_status case_workers_run(const struct case_runner *runner,
				    const struct worker_limits *limits, const size_t *indices,
				    size_t count, struct check_result *results,
				    struct diagnostic *diagnostic);

#endif
