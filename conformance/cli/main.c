/* main.c - the tdxabi command line: dispatches to `check`, `trace`, `audit`, `bench`, `list`,
 * `spec-lint` and `spec-diff`, and prints the overview help. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const char overview[] =
	"Usage: tdxabi <command> [options]\n"
	"\n"
	"tdxabi runs TDX call stubs (TDCALL/SEAMCALL) inside a CPU emulator against a\n"
	"model of the TDX module and the VMM, and checks the calling convention\n"
	"against machine-readable spec tables.\n"
	"\n"
	"commands:\n"
	"  check      check stubs (the bundled reference stubs, or --object FILE.o)\n"
	"  trace      run one case and list it instruction by instruction\n"
	"  audit      audit stubs statically: control flow, registers, stack, fixups\n"
	"  bench      calls/s of a stub: the emulator's floor, checked, the native peer\n"
	"  list       list bundled bindings, specs, leaves, faults or rules\n"
	"  spec-lint  validate spec tables, naming file:line of every problem\n"
	"  spec-diff  what changed between two spec revisions, per leaf and binding\n"
	"\n"
	"  tdxabi COMMAND --help   the flags of a command\n"
	"  tdxabi --version        the version\n"
	"\n"
	"exit status: 0 all passed, 1 a violation was found, 2 bad usage or bad input\n";

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_error("no command given (try 'tdxabi --help')");
	const char *command = argv[1];
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
	    strcmp(command, "help") == 0) {
		fputs(overview, stdout);
		return EXIT_PASS;
	}
	if (strcmp(command, "--version") == 0) {
		printf("tdxabi %s\n", TDXABI_VERSION);
		return EXIT_PASS;
	}
	if (strcmp(command, "check") == 0)
		return command_check(argc - 1, argv + 1);
	if (strcmp(command, "trace") == 0)
		return command_trace(argc - 1, argv + 1);
	if (strcmp(command, "bench") == 0)
		return command_bench(argc - 1, argv + 1);
	if (strcmp(command, "audit") == 0)
		return command_audit(argc - 1, argv + 1);
	if (strcmp(command, "list") == 0)
		return command_list(argc - 1, argv + 1);
	if (strcmp(command, "spec-lint") == 0)
		return command_spec_lint(argc - 1, argv + 1);
	if (strcmp(command, "spec-diff") == 0)
		return command_spec_diff(argc - 1, argv + 1);
	return cli_error("unknown command '%s' (try 'tdxabi --help')", command);
}
