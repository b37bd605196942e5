/* trace_command.c - the `tdxabi trace` command that reproduces one case of a
 * check run: the run's own target and options, and the case's leaf, fault,
 * variant and build variant, each word quoted for a POSIX shell. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command_text {
	char *text;
	size_t size, used;
};

/* Appends " --flag value", the value single-quoted unless it is plain. */
static void add(struct command_text *command, const char *flag, const char *value)
{
	if (command->used >= command->size)
		return;
	int written = snprintf(command->text + command->used, command->size - command->used, " %s",
			       flag);
	command->used += written > 0 ? (size_t)written : 0;
	if (!value || command->used >= command->size)
		return;
	bool plain = value[0] != '\0';
	for (const char *cursor = value; *cursor && plain; cursor++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			       "_-./=:,+@%", *cursor) != NULL;
	char quoted[1024];
	size_t length = 0;
	if (!plain)
		quoted[length++] = '\'';
	for (const char *cursor = value; *cursor && length + 5 < sizeof(quoted); cursor++) {
		if (*cursor == '\'') { /* 'it'\''s' */
			memcpy(quoted + length, "'\\''", 4);
			length += 4;
		} else {
			quoted[length++] = *cursor;
		}
	}
	if (!plain)
		quoted[length++] = '\'';
	quoted[length] = '\0';
	written = snprintf(command->text + command->used, command->size - command->used, " %s",
			   quoted);
	command->used += written > 0 ? (size_t)written : 0;
}

void trace_command_write(const void *context, const struct check_result *result, char *text,
			 size_t size)
{
	const struct check_arguments *arguments = context;
	struct command_text command = {text, size, 0};
	bool ran = result->verdict != VERDICT_SKIP;
	for (size_t index = 0; ran && index < result->violation_count; index++)
		ran = result->violations[index].rule != RULE_BINDING_CANNOT_EXPRESS;
	if (!ran) { /* judged without running: there is nothing to trace */
		text[0] = '\0';
		return;
	}
	int written = snprintf(text, size, "tdxabi trace");
	command.used = written > 0 ? (size_t)written : 0;
	if (arguments->linux_tree) {
		add(&command, "--linux", arguments->linux_tree);
		if (arguments->kbuild_output)
			add(&command, "--kbuild-output", arguments->kbuild_output);
		if (arguments->cache)
			add(&command, "--cache", arguments->cache);
		if (arguments->shims)
			add(&command, "--shims", arguments->shims);
		if (result->build_variant[0])
			add(&command, "--build-variant", result->build_variant);
	} else if (arguments->object) {
		add(&command, "--object", arguments->object);
	}
	add(&command, "--symbol", result->stub);
	if (arguments->binding)
		add(&command, "--binding", arguments->binding);
	else if (!arguments->linux_tree && !arguments->object)
		add(&command, "--binding", result->binding);
	if (arguments->spec)
		add(&command, "--spec", arguments->spec);
	if (arguments->td_configs)
		add(&command, "--td-config", arguments->td_configs);
	add(&command, "--leaf", result->leaf);
	add(&command, "--fault", result->fault);
	add(&command, "--variant", result->variant[0] ? result->variant : "plain");
	char number[32];
	if (result->seed != 1) { /* the draw that failed */
		snprintf(number, sizeof(number), "%llu", (unsigned long long)result->seed);
		add(&command, "--seed", number);
	}
	if (arguments->budget != DEFAULT_INSTRUCTION_BUDGET) {
		snprintf(number, sizeof(number), "%llu", (unsigned long long)arguments->budget);
		add(&command, "--budget", number);
	}
	if (command.used >= size)
		text[0] = '\0'; /* cut short, it would not reproduce the case */
}
