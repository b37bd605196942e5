/* monotonic_clock.h - seconds on the monotonic clock, as the emulator's
 * wall-clock bound and the bench and case timings read it. */
#ifndef TDXABI_MONOTONIC_CLOCK_H
#define TDXABI_MONOTONIC_CLOCK_H

double monotonic_seconds(void);

#endif
