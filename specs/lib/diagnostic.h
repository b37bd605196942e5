/* diagnostic.h - the error value of tdxabi: every fallible function returns a
 * tdxabi_status and, on failure, fills a diagnostic with one line saying what
 * is wrong and where. Libraries never print; only the CLI does. */
#ifndef TDXABI_DIAGNOSTIC_H
#define TDXABI_DIAGNOSTIC_H

enum tdxabi_status {
	TDXABI_OK = 0,
	TDXABI_BAD_INPUT,      /* the user's file, flag or table is wrong */
	TDXABI_OUT_OF_MEMORY,
	TDXABI_ENGINE_ERROR,   /* Unicorn or Capstone refused an operation */
};

#define DIAGNOSTIC_TEXT_SIZE 1024

struct diagnostic {
	char text[DIAGNOSTIC_TEXT_SIZE];
};

/* Fills the diagnostic and returns the status, so callers can write
 * `return diagnostic_fail(d, TDXABI_BAD_INPUT, "%s:%u: ...", ...)`. */
enum tdxabi_status diagnostic_fail(struct diagnostic *diagnostic, enum tdxabi_status status,
				   const char *format, ...)
	__attribute__((format(printf, 3, 4)));

#endif
