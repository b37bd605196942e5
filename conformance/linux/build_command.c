/* build_command.c - running the kernel builder's commands (see
 * build_command.h). */
#include "build_command.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "file_access.h"

#define LOG_LIMIT (16u << 20)

extern char **environ;

static double seconds_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Waits for the child; false when time_limit passed first (it is then
 * killed, with everything it started, and reaped). */
static bool wait_within(pid_t child, unsigned time_limit, int *status)
{
	double deadline = seconds_now() + time_limit;
	struct timespec pause = {0, 1000000}; /* 1 ms, growing to 20 ms */
	for (;;) {
		pid_t done = waitpid(child, status, WNOHANG);
		if (done == child || (done < 0 && errno != EINTR))
			return true;
		if (seconds_now() >= deadline) {
			kill(-child, SIGKILL);
			while (waitpid(child, status, 0) < 0 && errno == EINTR)
				;
			return false;
		}
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 20000000)
			pause.tv_nsec *= 2;
	}
}

static bool line_has(const char *line, size_t length, const char *text)
{
	size_t text_length = strlen(text);
	for (size_t index = 0; index + text_length <= length; index++)
		if (strncmp(line + index, text, text_length) == 0)
			return true;
	return false;
}

/* The line of the log holding gcc's "error:" or gas's "Error:" (else its
 * first line, else "no output"), joined by "; " with the gas "Info: macro
 * invoked from here" lines after it, which say where the macro was used. */
static void first_error_line(const char *log, char *line, size_t size)
{
	char *output = NULL;
	size_t length = 0;
	snprintf(line, size, "no output");
	if (file_access_read(log, LOG_LIMIT, &output, &length, NULL) != TDXABI_OK)
		return;
	char *found = strstr(output, "rror:");
	if (!found)
		found = output;
	while (found > output && found[-1] != '\n')
		found--;
	size_t used = 0;
	for (char *cursor = found; *cursor;) {
		size_t line_length = strcspn(cursor, "\n");
		bool first = cursor == found;
		if (!first && !line_has(cursor, line_length, "Info: macro invoked from here"))
			break;
		int written = snprintf(line + used, size - used, "%s%.*s", first ? "" : "; ",
				       (int)line_length, cursor);
		if (written < 0 || (size_t)written >= size - used)
			break;
		used += (size_t)written;
		cursor += line_length + (cursor[line_length] == '\n');
	}
	free(output);
}

enum tdxabi_status build_command_run(const char *const *argv, const char *log, const char *what,
				     unsigned time_limit, struct diagnostic *diagnostic)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&actions, 1, 2);
	posix_spawnattr_t attributes;
	posix_spawnattr_init(&attributes);
	posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attributes, 0);
	pid_t child;
	int error = posix_spawnp(&child, argv[0], &actions, &attributes, (char *const *)argv, environ);
	posix_spawnattr_destroy(&attributes);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: cannot run %s: %s", what,
				       argv[0], strerror(error));
	int status = 0;
	if (!wait_within(child, time_limit, &status))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: %s did not finish within %u s, killed (log: %s)", what,
				       argv[0], time_limit, log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return TDXABI_OK;
	char first[1024];
	first_error_line(log, first, sizeof(first));
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s failed: %s (log: %s)", what, first,
			       log);
}

void build_command_output(const char *const *argv, char *text, size_t size)
{
	text[0] = '\0';
	int pipe_ends[2];
	if (pipe(pipe_ends) != 0)
		return;
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
	posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 2);
	posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
	posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
	pid_t child;
	int error = posix_spawnp(&child, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipe_ends[1]);
	size_t used = 0;
	for (;;) {
		char chunk[4096];
		ssize_t got = error == 0 ? read(pipe_ends[0], chunk, sizeof(chunk)) : 0;
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		size_t take = (size_t)got < size - 1 - used ? (size_t)got : size - 1 - used;
		memcpy(text + used, chunk, take);
		used += take;
	}
	close(pipe_ends[0]);
	text[used] = '\0';
	int status = 0;
	while (error == 0 && waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
}
