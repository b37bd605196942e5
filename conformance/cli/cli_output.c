/* cli_output.c - what every command prints through: the one-line error on
 * standard error, and the report stream with the exit code it implies. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_output.h"

int cli_error(const char *format, ...)
{
	char message[1024];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof(message), format, arguments);
	va_end(arguments);
	/* one line, whatever a file name or symbol holds */
	fputs("tdxabi: error: ", stderr);
	for (const unsigned char *cursor = (const unsigned char *)message; *cursor; cursor++) {
		if (*cursor < 0x20 || *cursor == 0x7F)
			fprintf(stderr, "\\x%02x", *cursor);
		else
			fputc(*cursor, stderr);
	}
	fputc('\n', stderr);
	return EXIT_BAD_INPUT;
}

/* A FIFO is opened without blocking: with no reader it is an error, not a
 * run that never ends. */
FILE *open_report_stream(const char *output)
{
	if (!output)
		return stdout;
	struct stat information;
	if (stat(output, &information) == 0 && S_ISFIFO(information.st_mode)) {
		int descriptor = open(output, O_WRONLY | O_NONBLOCK);
		if (descriptor < 0) {
			cli_error("cannot write %s: %s", output,
				  errno == ENXIO ? "a FIFO nothing reads" : strerror(errno));
			return NULL;
		}
		fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK);
		FILE *stream = fdopen(descriptor, "w");
		if (!stream)
			close(descriptor);
		return stream;
	}
	FILE *stream = fopen(output, "w");
	if (!stream)
		cli_error("cannot write %s: %s", output, strerror(errno));
	return stream;
}

int close_report_stream(FILE *stream, const char *output, size_t failures)
{
	bool failed = ferror(stream) != 0;
	failed |= (stream != stdout ? fclose(stream) : fflush(stream)) != 0;
	if (failed)
		return cli_error("writing the report to %s failed", output ? output : "standard output");
	return failures ? EXIT_VIOLATION : EXIT_PASS;
}

const char *cli_option_name(const struct option *options, int option)
{
	for (const struct option *known = options; known->name; known++)
		if (known->val == option)
			return known->name;
	return "?";
}

int cli_refuse_repeated(const struct option *options, int option, bool given[128],
			const char *repeatable)
{
	if (option <= 0 || option >= 128)
		return EXIT_PASS;
	bool takes_value = false;
	for (const struct option *known = options; known->name; known++)
		takes_value |= known->val == option && known->has_arg == required_argument;
	if (takes_value && given[option] && !strchr(repeatable, option))
		return cli_error("--%s given twice: it takes one value",
				 cli_option_name(options, option));
	given[option] = true;
	return EXIT_PASS;
}
