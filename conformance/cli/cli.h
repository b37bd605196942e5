/* cli.h - the tdxabi commands. Each returns the process exit code: 0 all
 * passed, 1 a violation, 2 bad usage or bad input (after printing one line). */
#ifndef TDXABI_CLI_H
#define TDXABI_CLI_H

enum exit_code { EXIT_PASS = 0, EXIT_VIOLATION = 1, EXIT_BAD_INPUT = 2 };

int command_check(int argc, char **argv);
int command_list(int argc, char **argv);

/* Prints "tdxabi: error: <text>" to stderr and returns EXIT_BAD_INPUT. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
