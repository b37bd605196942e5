/* build_command.h - the commands the kernel builder runs (gcc, ld), through
 * posix_spawnp in a process group of their own, never on the terminal: with
 * their output in a log and a time limit, or with their output captured. */
#ifndef TDXABI_BUILD_COMMAND_H
#define TDXABI_BUILD_COMMAND_H

#include <stddef.h>

#include "diagnostic.h"

/* What a build command may take: a compiler reading a FIFO would wait for
 * ever, and must not hang the run. */
#define BUILD_COMMAND_TIME_LIMIT 60

/* Runs argv with stdin /dev/null and stdout and stderr in log. A failure
 * names `what` and quotes the first error line of the log; past
 * time_limit seconds the command's process group is killed and the
 * failure says so. */
enum tdxabi_status build_command_run(const char *const *argv, const char *log, const char *what,
				     unsigned time_limit, struct diagnostic *diagnostic);

/* What a command prints (stdout and stderr), at most size - 1 bytes of it;
 * "" when it cannot run. */
void build_command_output(const char *const *argv, char *text, size_t size);

#endif
