/* fuzz_replay.c - the main of a fuzz target built without libFuzzer (gcc,
 * the sanitizer build): runs each file, or each file of each directory,
 * given on the command line through LLVMFuzzerTestOneInput once, so that
 * the corpora (seeds and every crash once found) are regression tests in
 * every build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file_contents.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct diagnostic diagnostic;
	if (file_contents_read(path, &bytes, &size, &diagnostic) != TDXABI_OK) {
		fprintf(stderr, "%s\n", diagnostic.text);
		return 1;
	}
	LLVMFuzzerTestOneInput(bytes, size);
	free(bytes);
	return 0;
}

int main(int argc, char **argv)
{
	size_t replayed = 0;
	int failures = 0;
	for (int index = 1; index < argc; index++) {
		struct stat information;
		if (stat(argv[index], &information) != 0) {
			fprintf(stderr, "%s: no such file or directory\n", argv[index]);
			return 1;
		}
		if (!S_ISDIR(information.st_mode)) {
			failures += replay_file(argv[index]);
			replayed++;
			continue;
		}
		DIR *directory = opendir(argv[index]);
		for (struct dirent *entry; directory && (entry = readdir(directory));) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[index], entry->d_name);
			if (entry->d_name[0] == '.' || stat(path, &information) != 0 ||
			    !S_ISREG(information.st_mode))
				continue;
			failures += replay_file(path);
			replayed++;
		}
		if (directory)
			closedir(directory);
	}
	printf("replayed %zu inputs\n", replayed);
	return failures || replayed == 0;
}
