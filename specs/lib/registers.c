/* registers.c - names of the general-purpose registers and formatting of
 * register sets (see registers.h). */
#include "registers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const lower_names[GPR_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const display_names[GPR_COUNT] = {
	"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
	"R8",  "R9",  "R10", "R11", "R12", "R13", "R14", "R15",
};

const char *gpr_display_name(enum gpr gpr)
{
	return gpr < GPR_COUNT ? display_names[gpr] : "?";
}

bool gpr_parse(const char *text, size_t length, enum gpr *gpr)
{
	for (int index = 0; index < GPR_COUNT; index++) {
		if (strlen(lower_names[index]) == length &&
		    strncasecmp(text, lower_names[index], length) == 0) {
			*gpr = (enum gpr)index;
			return true;
		}
	}
	return false;
}

char *register_set_format(register_set set, char *text, size_t size)
{
	size_t used = 0;
	if (size == 0)
		return text;
	text[0] = '\0';
	for (int index = 0; index < GPR_COUNT; index++) {
		if (!register_set_has(set, (enum gpr)index))
			continue;
		int written = snprintf(text + used, size - used, "%s%s", used ? " " : "",
				       display_names[index]);
		if (written < 0 || (size_t)written >= size - used)
			break;
		used += (size_t)written;
	}
	if (used == 0)
		snprintf(text, size, "-");
	return text;
}
