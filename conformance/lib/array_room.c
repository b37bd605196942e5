/* array_room.c - array_make_room() of array_room.h. */
#include "array_room.h"

#include <stdlib.h>

bool array_make_room(void **items, size_t *capacity, size_t count, size_t item_size)
{
	if (count < *capacity)
		return true;
	size_t larger = *capacity ? 2 * *capacity : 8;
	void *grown = realloc(*items, larger * item_size);
	if (!grown)
		return false;
	*items = grown;
	*capacity = larger;
	return true;
}
