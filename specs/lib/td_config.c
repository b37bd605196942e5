/* td_config.c - TD configuration names and --td-config lists (see
 * td_config.h). */
#include "td_config.h"

#include <stdio.h>
#include <string.h>

static const char *const names[TD_CONFIG_COUNT] = {"no-rbp-mod", "none"};

const char *td_config_name(enum td_config config)
{
	return config < TD_CONFIG_COUNT ? names[config] : "?";
}

bool td_config_parse_list(const char *text, unsigned *mask, char *bad, size_t size)
{
	*mask = 0;
	if (strcmp(text, "all") == 0) {
		*mask = TD_CONFIG_ALL_MASK;
		return true;
	}
	for (const char *cursor = text;; cursor++) {
		size_t length = strcspn(cursor, ",");
		int found = -1;
		for (int config = 0; config < TD_CONFIG_COUNT; config++)
			if (strlen(names[config]) == length && strncmp(names[config], cursor, length) == 0)
				found = config;
		if (found < 0) {
			snprintf(bad, size, "%.*s", (int)length, cursor);
			*mask = 0;
			return false;
		}
		*mask |= 1u << found;
		cursor += length;
		if (*cursor == '\0')
			return true;
	}
}
