/* array_room.h - room for one more item in a malloc'ed array that doubles
 * as it grows (the digests and tallies reports keep as a run goes). */
#ifndef TDXABI_ARRAY_ROOM_H
#define TDXABI_ARRAY_ROOM_H

#include <stdbool.h>
#include <stddef.h>

/* Makes (*items)[count] writable; false when out of memory (the array is
 * then as it was). */
bool array_make_room(void **items, size_t *capacity, size_t count, size_t item_size);

#endif
