/* native_peer.h - the peer a user could write by hand, for `tdxabi bench`:
 * the object's code mapped natively at the addresses it was relocated for,
 * called with the case's registers, each TDX instruction (a #UD natively)
 * answered RAX = 0 from a SIGILL handler, as the raw floor answers it. */
#ifndef TDXABI_NATIVE_PEER_H
#define TDXABI_NATIVE_PEER_H

#include "object_image.h"
#include "raw_runner.h"

enum tdxabi_status native_peer_measure(const struct object_image *image, uint64_t entry,
				       const uint64_t registers[GPR_COUNT],
				       const uint8_t *caller_memory, size_t caller_memory_size,
				       double seconds,
				       struct call_rate *measurement,
				       struct diagnostic *diagnostic);

#endif
