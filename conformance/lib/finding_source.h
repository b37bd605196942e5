/* finding_source.h - the source line of each finding: the file, line and
 * text of the instruction it names, and, for a line inside a macro body, the
 * line that invoked the macro. Opened for an object at its first finding. */
#ifndef TDXABI_FINDING_SOURCE_H
#define TDXABI_FINDING_SOURCE_H

#include "check_result.h"
#include "object_image.h"
#include "source_lines.h"

/* The path a file of the line table (its name and its unit's directory) is
 * shown and read at: a build's relative name placed in its tree. NULL: the
 * name made absolute with the directory. */
typedef void (*source_path_mapper)(const void *context, const char *name, const char *directory,
				   char *shown, size_t size);

struct finding_source {
	const struct object_image *image;
	struct source_lines *lines;
	source_path_mapper map_path;
	const void *map_context;
	/* the last source file read for its text */
	char cached_file[SOURCE_PATH_SIZE];
	char *cached_text;
	size_t cached_size;
};

enum tdxabi_status finding_source_open(const struct object_image *image,
				       source_path_mapper map_path, const void *map_context,
				       struct finding_source *source, struct diagnostic *diagnostic);
void finding_source_close(struct finding_source *source);
struct source_location {
	char file[VIOLATION_PATH_SIZE]; /* as shown */
	unsigned line;
	char text[VIOLATION_TEXT_SIZE]; /* the line, without its leading blanks */
	char invoked_file[VIOLATION_PATH_SIZE]; /* a macro body's line: where it was invoked */
	unsigned invoked_line;                  /* 0: not in a macro body */
};
/* The source line of the instruction at address; false when the object's
 * line table has none. */
bool finding_source_locate(struct finding_source *source, uint64_t address,
			   struct source_location *location);
/* Fills the source fields of each violation of result that has a rip. */
void finding_source_fill(struct finding_source *source, struct check_result *result);

#endif
