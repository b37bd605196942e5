/* td_config.h - the configurations a TD can be created with that change what
 * the TDX module does with registers (--td-config): NO_RBP_MOD, with which
 * KVM creates every TD, or none. Spec rows say which registers each keeps. */
#ifndef TDXABI_TD_CONFIG_H
#define TDXABI_TD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum td_config {
	TD_CONFIG_NO_RBP_MOD, /* the default: TDH.VP.ENTER and TDG.VP.VMCALL leave RBP alone */
	TD_CONFIG_NONE,
	TD_CONFIG_COUNT
};

#define TD_CONFIG_DEFAULT_MASK (1u << TD_CONFIG_NO_RBP_MOD)
#define TD_CONFIG_ALL_MASK ((1u << TD_CONFIG_COUNT) - 1)

const char *td_config_name(enum td_config config);
/* "no-rbp-mod", "none", a comma list of them, or "all", into a bit mask;
 * false (with *bad the first unknown name, at most size bytes) otherwise. */
bool td_config_parse_list(const char *text, unsigned *mask, char *bad, size_t size);

#endif
