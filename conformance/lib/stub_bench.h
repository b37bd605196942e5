/* stub_bench.h - `tdxabi bench` on one stub: the raw floor (bare Unicorn,
 * the same intercept, no checks), checked calls (marshal, model, every rule)
 * and the native SIGILL peer, each as calls per second measured in the same
 * process. */
#ifndef TDXABI_STUB_BENCH_H
#define TDXABI_STUB_BENCH_H

#include "native_peer.h"
#include "stub_check.h"

struct stub_bench_result {
	struct call_rate raw, checked;
	struct call_rate native;      /* the same call run natively, when it can be */
	size_t matrix_cases;          /* the cases of one pass of the matrix that run */
};

/* Measures each for about `seconds`; options select the cases (as check's). */
enum tdxabi_status stub_bench_run(const struct stub_target *target,
				  const struct check_options *options, double seconds,
				  struct stub_bench_result *result, struct diagnostic *diagnostic);

#endif
