/* test_cli.c - the tdxabi binary as a user runs it: the DESIGN.md contract
 * (flags, JSON schema, JUnit, exit codes) and one clear stderr line with exit
 * status 2 for every kind of bad input, never a crash. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

#define REFERENCE(name) TDXABI_STUB_DIR "/reference/" name
#define MUTANT(name) TDXABI_STUB_DIR "/mutants/" name

static void test_help_documents_every_flag(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"--help", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "check");
	assert_contains(run.out, "list");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--help", NULL});
	assert_int_equal(run.exit_code, 0);
	static const char *const flags[] = {"--object", "--symbol", "--binding", "--spec",
					    "--leaf", "--faults", "--seed", "--format",
					    "--output", "--budget"};
	for (size_t index = 0; index < sizeof(flags) / sizeof(flags[0]); index++)
		assert_contains(run.out, flags[index]);
	free_run(&run);
	run = run_tool((const char *[]){"list", "--help", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "bindings");
	free_run(&run);
}

static void test_list(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"list", "bindings", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "linux-5.19-module-call");
	assert_contains(run.out, "linux-6.7-module-args-saved-ret");
	assert_contains(run.out, "u64 __tdx_hypercall(struct tdx_hypercall_args *args, unsigned long flags)");
	free_run(&run);
	run = run_tool((const char *[]){"list", "specs", NULL});
	assert_contains(run.out, " (default): ");
	assert_contains(run.out, "tdx-1.0: ");
	free_run(&run);
	run = run_tool((const char *[]){"list", "leaves", "--spec", TDXABI_SOURCE_DIR "/specs/tdx-1.0.spec",
					NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "spec tdx-1.0");
	free_run(&run);
	run = run_tool((const char *[]){"list", "leaves", "--spec", "tdx-1.5", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "TDH.IMPORT.MEM");
	assert_contains(run.out, "R12 R13");
	assert_contains(run.out, "tdh_import_mem.c");
	assert_contains(run.out, "Instruction.RDMSR");
	/* versions, P-SEAMLDR, the vendor call, a decoded status code */
	assert_contains(run.out, "TDG.VM.RD                in: RCX RDX                      out: R8  "
				 "versions 0..1");
	assert_contains(run.out, "seamldr    0 SEAMLDR.INFO");
	assert_contains(run.out, "vmcall vendor   KVM.HYPERCALL");
	assert_contains(run.out, "(never returns)");
	assert_contains(run.out, "status TDX_NON_RECOVERABLE_TD           0x6000000200000000  "
				 "(details_l1 0x2, fatal, non-recoverable)");
	free_run(&run);
	run = run_tool((const char *[]){"list", "specs", NULL});
	assert_contains(run.out, "tdx-1.5-draft-2023 based-on tdx-1.5: ");
	free_run(&run);
	run = run_tool((const char *[]){"list", "faults", NULL});
	assert_contains(run.out, "vmfailinvalid");
	assert_contains(run.out, "tdcall-failure");
	free_run(&run);
	run = run_tool((const char *[]){"list", "rules", NULL});
	assert_int_equal(run.exit_code, 0);
	static const char *const rules[] = {"input-not-passed", "output-not-stored",
					    "callee-saved-clobbered", "stack-imbalance",
					    "status-mismatch", "vmm-value-leaked", "stray-write",
					    "fault-unhandled", "flags-violation",
					    "binding-cannot-express", "emulation-fault",
					    "input-rejected", "td-value-exposed", "vmm-value-used"};
	for (size_t index = 0; index < sizeof(rules) / sizeof(rules[0]); index++)
		assert_contains(run.out, rules[index]);
	free_run(&run);
	expect_bad_input((const char *[]){"list", "widgets", NULL}, "cannot list 'widgets'");
	expect_bad_input((const char *[]){"list", "leaves", "--spec", "tdx-9", NULL},
			 "unknown spec revision 'tdx-9'");
}

static void test_check_bundled_stubs(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"check", NULL});
	assert_int_equal(run.exit_code, 0);
	struct catalog catalog;
	struct diagnostic diagnostic;
	if (catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	char summary[64];
	snprintf(summary, sizeof(summary), "summary: %zu stubs", catalog.stub_count);
	catalog_free(&catalog);
	assert_contains(run.out, summary);
	assert_contains(run.out, " 0 fail");
	assert_contains(run.out, "PASS module_args_6_7.o:tdxabi_seamcall_saved_ret");
	assert_string_equal(run.err, "");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--binding", "linux-6.3-hypercall", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "summary: 1 stub,");
	free_run(&run);
}

static void test_json_contract(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){
		"check", "--object", REFERENCE("module_args_6_7.o"), "--symbol", "tdxabi_seamcall_ret",
		"--binding", "linux-6.7-module-args-ret", "--spec", "tdx-1.5", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_json(run.out);
	assert_contains(run.out, "{\"tool\":\"tdxabi\",\"schema\":1,\"results\":[");
	assert_contains(run.out, "\"stub\":\"tdxabi_seamcall_ret\"");
	assert_contains(run.out, "\"binding\":\"linux-6.7-module-args-ret\"");
	assert_contains(run.out, "\"spec\":\"tdx-1.5\"");
	assert_contains(run.out, "\"fault\":\"vmfailinvalid\"");
	assert_contains(run.out, "\"verdict\":\"pass\"");
	assert_contains(run.out, "\"summary\":{\"pass\":");
	assert_contains(run.out, "\"fail\":0,");
	free_run(&run);

	run = run_tool((const char *[]){"check", "--object", MUTANT("input_not_passed.o"), "--symbol",
					"tdxabi_mutant_forgets_r9", "--binding",
					"linux-6.7-module-args-ret", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_json(run.out);
	assert_contains(run.out, "\"verdict\":\"fail\"");
	assert_contains(run.out, "\"rule\":\"input-not-passed\",\"register\":\"R9\",\"expected\":\"0x7da209");
	assert_contains(run.out, "\"actual\":\"0x7da109");
	assert_contains(run.out, "\"rip\":\"0x400017\",\"location\":\"tdxabi_mutant_forgets_r9+0x17\","
				 "\"instruction\":\"tdcall\"");
	free_run(&run);
}

static void test_junit_and_output_file(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-report-XXXXXX";
	close(mkstemp(path));
	struct tool_run run = run_tool((const char *[]){
		"check", "--object", MUTANT("callee_saved_clobbered.o"), "--symbol",
		"tdxabi_mutant_naive_r12_r14", "--binding", "linux-6.7-module-args-ret", "--format",
		"junit", "--output", path, NULL});
	assert_int_equal(run.exit_code, 1);
	assert_string_equal(run.out, "");
	free_run(&run);
	size_t size;
	char *xml = (char *)read_test_file(path, &size);
	unlink(path);
	assert_contains(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	assert_contains(xml, "<testsuites name=\"tdxabi\"");
	assert_contains(xml, "<failure type=\"callee-saved-clobbered\" message=\"");
	assert_contains(xml, "callee_saved_clobbered.S:");
	assert_contains(xml, ": R12: ");
	assert_contains(xml, "</testsuites>");
	free(xml);
}

/* A run that fails leaves the report file as it was, and no temporary
 * file beside it: reports are written under another name and renamed. */
static void test_failed_run_keeps_the_old_report(void **state)
{
	(void)state;
	char directory[] = "/tmp/tdxabi-reports-XXXXXX";
	assert_non_null(mkdtemp(directory));
	char report[64], object[64];
	snprintf(report, sizeof(report), "%s/old.json", directory);
	snprintf(object, sizeof(object), "%s/corrupt.o", directory);
	FILE *stream = fopen(report, "w");
	fputs("the last run's report\n", stream);
	fclose(stream);
	stream = fopen(object, "w");
	fputs("not an object\n", stream);
	fclose(stream);
	expect_bad_input((const char *[]){"check", "--object", object, "--symbol", "stub", "--binding",
					  "linux-6.7-module-args", "--format", "json", "--output",
					  report, NULL},
			 "corrupt.o: not an ELF file");
	unlink(object);
	size_t size;
	char *kept = (char *)read_test_file(report, &size);
	assert_string_equal(kept, "the last run's report\n");
	free(kept);
	/* through a symbolic link: the link stays one, its target keeps its mode */
	char link[80];
	snprintf(link, sizeof(link), "%s/link.json", directory);
	assert_int_equal(symlink("old.json", link), 0);
	assert_int_equal(chmod(report, 0640), 0);
	struct tool_run run = run_tool((const char *[]){"check", "--symbol", "tdxabi_seamcall_ret",
							"--format", "json", "--output", link, NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
	struct stat information;
	assert_int_equal(lstat(link, &information), 0);
	assert_true(S_ISLNK(information.st_mode));
	assert_int_equal(stat(report, &information), 0);
	assert_int_equal(information.st_mode & 0777, 0640);
	kept = (char *)read_test_file(report, &size);
	assert_contains(kept, "\"stub\":\"tdxabi_seamcall_ret\"");
	free(kept);
	unlink(link);
	unlink(report);
	assert_int_equal(rmdir(directory), 0); /* nothing else was left there */
}

static void test_selection_flags(void **state)
{
	(void)state;
	const char *base[] = {"check", "--object", REFERENCE("module_args_6_7.o"), "--symbol",
			      "tdxabi_seamcall_saved_ret", "--binding",
			      "linux-6.7-module-args-saved-ret", "--leaf", "TDH.IMPORT.MEM",
			      "--faults", "vmfailinvalid,gp", "--format", "json", NULL};
	struct tool_run run = run_tool(base);
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "\"summary\":{\"pass\":2,\"fail\":0,\"skip\":0}");
	free_run(&run);
	base[10] = "none";
	run = run_tool(base);
	assert_contains(run.out, "\"summary\":{\"pass\":1,\"fail\":0,\"skip\":0}");
	free_run(&run);
	/* named but inexpressible: a violation */
	run = run_tool((const char *[]){"check", "--object", REFERENCE("module_args_6_7.o"), "--symbol",
					"tdxabi_seamcall_ret", "--binding",
					"linux-6.7-module-args-ret", "--leaf", "TDH.IMPORT.MEM", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "binding-cannot-express: TDH.IMPORT.MEM needs R12 R13 as input");
	free_run(&run);
	/* --leaf over the bundled stubs picks those whose instruction has it */
	run = run_tool((const char *[]){"check", "--leaf", "TDG.VP.INFO", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "PASS td_shim.o:tdxabi_td_shim_tdcall ");
	assert_null(strstr(run.out, "seamcall")); /* TDG.VP.INFO is no SEAMCALL leaf */
	assert_null(strstr(run.out, "tdvmcall")); /* nor one a TDVMCALL stub issues */
	assert_contains(run.out, "tdxabi_tdcall: binding-cannot-express: TDG.VP.INFO returns");
	free_run(&run);
	/* a seed changes the tags, not the verdicts */
	run = run_tool((const char *[]){"check", "--seed", "99", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
}

static void test_emulation_faults_end_cleanly(void **state)
{
	(void)state;
	static const char *const symbols[] = {"tdxabi_mutant_spins", "tdxabi_mutant_jumps_wild",
					      "tdxabi_mutant_corrupts_return"};
	for (size_t index = 0; index < 3; index++) {
		struct tool_run run = run_tool((const char *[]){
			"check", "--object", MUTANT("emulation_fault.o"), "--symbol", symbols[index],
			"--binding", "linux-6.7-module-args", NULL});
		assert_int_equal(run.exit_code, 1);
		assert_contains(run.out, "emulation-fault");
		free_run(&run);
	}
}

/* Firmware objects: a name two projects share is refused naming both, and
 * --binding (bundled or a file of the user's) decides; the TD configuration
 * changes the verdict exactly where the mask holds RBP. */
static void test_firmware_objects(void **state)
{
	(void)state;
	const char *shared = TDXABI_FIXTURE_DIR "/shared_names.o";
	expect_bad_input((const char *[]){"check", "--object", shared, NULL},
			 "asm_td_call is the name of several conventions (td-shim-2022-tdcall, "
			 "td-shim-2024-tdcall, td-shim-tdcall, tdx-guest-tdcall); give --binding "
			 "NAME|FILE");
	struct tool_run run = run_tool((const char *[]){"check", "--object", shared, "--binding",
							"td-shim-tdcall", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "PASS " TDXABI_FIXTURE_DIR "/shared_names.o:asm_td_call  td-shim-tdcall");
	free_run(&run);
	/* the same function judged as the SysV convention: its arguments are elsewhere */
	run = run_tool((const char *[]){"check", "--object", shared, "--binding", "tdx-guest-tdcall",
					NULL});
	assert_int_equal(run.exit_code, 1);
	free_run(&run);
	/* a binding file of the user's, the bundled one copied */
	char directory[] = "/tmp/tdxabi-binding-XXXXXX";
	assert_non_null(mkdtemp(directory));
	char path[64];
	snprintf(path, sizeof(path), "%s/mine.binding", directory);
	int descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	size_t size;
	uint8_t *text = read_test_file(TDXABI_SOURCE_DIR "/specs/bindings/td-shim-tdcall.binding", &size);
	assert_int_equal(write(descriptor, text, size), (ssize_t)size);
	close(descriptor);
	free(text);
	run = run_tool((const char *[]){"check", "--object", shared, "--binding", path, NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
	/* an environment nobody provides is named, with the ones there are */
	text = read_test_file(path, &size);
	char *environment = strstr((char *)text, "environment firmware");
	assert_non_null(environment);
	memcpy(environment, "environment venusian", 20);
	descriptor = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(descriptor, text, size), (ssize_t)size);
	close(descriptor);
	free(text);
	expect_bad_input((const char *[]){"check", "--object", shared, "--binding", path, NULL},
			 "mine.binding: binding td-shim-tdcall names unknown environment 'venusian' (known: ");
	unlink(path);
	rmdir(directory);

	const char *mutants = TDXABI_STUB_DIR "/mutants/firmware_edk2.o";
	run = run_tool((const char *[]){"check", "--object", mutants, "--symbol",
					"tdxabi_mutant_rbp_in_mask", "--binding", "edk2-tdvmcall", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "input-rejected: RCX: the TDG.VP.VMCALL mask 0xffec selects RBP");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--object", mutants, "--symbol",
					"tdxabi_mutant_rbp_in_mask", "--binding", "edk2-tdvmcall",
					"--td-config", "none", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
}

static void test_user_spec_file(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-spec-XXXXXX";
	int descriptor = mkstemp(path);
	const char table[] =
		"revision my-draft | src: test\n"
		"seamcall 11 TDH.MNG.RD in: rcx rdx out: rdx r8 r9 | src: test\n"
		"status TDX_SUCCESS 0 | src: t\nstatus TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
		"status TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000000 | src: t\n"
		"status TDX_SEAMCALL_VMFAILINVALID 0x8000FF00FFFF0000 | src: t\n"
		"status TDX_SW_ERROR 0x8000FF0000000000 | src: t\n";
	assert_int_equal(write(descriptor, table, sizeof(table) - 1), (ssize_t)(sizeof(table) - 1));
	close(descriptor);
	struct tool_run run = run_tool((const char *[]){"check", "--spec", path, "--symbol",
							"tdxabi_seamcall_ret", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "spec my-draft: 5 pass");
	free_run(&run);
	descriptor = open(path, O_WRONLY | O_TRUNC);
	const char broken[] = "revision my-draft | src: test\nseamcall 11 X in: r99 out: - | src: t\n";
	assert_int_equal(write(descriptor, broken, sizeof(broken) - 1), (ssize_t)(sizeof(broken) - 1));
	close(descriptor);
	char expected[128];
	snprintf(expected, sizeof(expected), "%s:2: unknown register 'r99'", path);
	expect_bad_input((const char *[]){"check", "--spec", path, NULL}, expected);
	/* leaves x versions x faults past the bound: refused at once, not grown into */
	FILE *file = fopen(path, "w");
	fputs("revision huge based-on tdx-1.5 | src: t\n", file);
	for (unsigned leaf = 0; leaf < 500; leaf++)
		fprintf(file, "seamcall %u BIG.%u in: rcx out: - versions: 255 | src: t\n", 1000 + leaf,
			leaf);
	fclose(file);
	expect_bad_input((const char *[]){"check", "--spec", path, "--symbol", "tdxabi_seamcall_ret",
					  NULL},
			 "more than 100000 cases for one stub");
	unlink(path);
}

static void test_bad_input_is_one_line_and_exit_2(void **state)
{
	(void)state;
	const char *object = REFERENCE("module_args_6_7.o");
	expect_bad_input((const char *[]){NULL}, "no command given");
	expect_bad_input((const char *[]){"frobnicate", NULL}, "unknown command 'frobnicate'");
	expect_bad_input((const char *[]){"check", "--frobnicate", NULL},
			 "unknown or incomplete option '--frobnicate'");
	expect_bad_input((const char *[]){"check", "--object", NULL}, "unknown or incomplete option");
	expect_bad_input((const char *[]){"check", "stray", NULL}, "unexpected argument 'stray'");
	expect_bad_input((const char *[]){"check", "--object", object, NULL},
			 "module_args_6_7.o: no function a binding names; give --symbol and --binding");
	expect_bad_input((const char *[]){"check", "--object", object, "--binding",
					  "linux-6.7-module-args", NULL},
			 "module_args_6_7.o: no function binding linux-6.7-module-args names (its "
			 "'symbols' row); give --symbol");
	expect_bad_input((const char *[]){"check", "--object", object, "--binding", "no-such", NULL},
			 "unknown binding 'no-such' (see 'tdxabi list bindings', or give a binding file)");
	expect_bad_input((const char *[]){"check", "--object", object, "--binding", "/nonexistent.binding",
					  NULL},
			 "/nonexistent.binding");
	expect_bad_input((const char *[]){"check", "--object", object, "--symbol", "tdxabi_tdcall", NULL},
			 "tdxabi_tdcall is a function no binding names; give --binding");
	expect_bad_input((const char *[]){"check", "--linux", "/tmp", "--binding", "x", NULL},
			 "--linux checks a whole tree: it takes no --object or --binding");
	expect_bad_input((const char *[]){"check", "--cache", "/tmp", NULL},
			 "--cache, --shims, --kbuild-output and --build-variant go with --linux");
	expect_bad_input((const char *[]){"check", "--td-config", "no-rbp-mod,bogus", NULL},
			 "--td-config: unknown TD configuration 'bogus' (no-rbp-mod, none or all)");
	expect_bad_input((const char *[]){"check", "--td-config", "none,", NULL},
			 "--td-config: unknown TD configuration ''");
	expect_bad_input((const char *[]){"check", "--object", "/nonexistent/stub.o", "--symbol", "s",
					  "--binding", "linux-6.7-module-args", NULL},
			 "/nonexistent/stub.o: No such file or directory");
	expect_bad_input((const char *[]){"check", "--object", "/tmp", "--symbol", "s", "--binding",
					  "linux-6.7-module-args", NULL},
			 "/tmp: not a regular file");
	expect_bad_input((const char *[]){"check", "--object", TDXABI_SOURCE_DIR "/CMakeLists.txt",
					  "--symbol", "s", "--binding", "linux-6.7-module-args", NULL},
			 "CMakeLists.txt: not an ELF file");
	expect_bad_input((const char *[]){"check", "--object", object, "--symbol", "nope", "--binding",
					  "linux-6.7-module-args", NULL},
			 "no symbol 'nope' (global symbols: tdxabi_tdcall, tdxabi_tdcall_ret");
	expect_bad_input((const char *[]){"check", "--object", object, "--symbol", "tdxabi_seamcall",
					  "--binding", "linux-9.9-magic", NULL},
			 "unknown binding 'linux-9.9-magic'");
	expect_bad_input((const char *[]){"check", "--object", object, "--symbol", "tdxabi_seamcall",
					  "--binding", "linux-6.3-hypercall", NULL},
			 "tdxabi_seamcall issues seamcall, which binding linux-6.3-hypercall does not use");
	expect_bad_input((const char *[]){"check", "--spec", "tdx-0.1", NULL},
			 "unknown spec revision 'tdx-0.1'");
	expect_bad_input((const char *[]){"check", "--faults", "ud,meltdown", NULL},
			 "unknown fault 'meltdown'");
	expect_bad_input((const char *[]){"check", "--leaf", "TDH.FROB", NULL},
			 "has no leaf or sub-function 'TDH.FROB'");
	expect_bad_input((const char *[]){"check", "--format", "yaml", NULL},
			 "--format 'yaml' is not text, json, junit, sarif or ktap");
	expect_bad_input((const char *[]){"check", "--seed", "x1", NULL}, "--seed 'x1' is not a number");
	expect_bad_input((const char *[]){"check", "--budget", "0", NULL}, "--budget '0'");
	expect_bad_input((const char *[]){"check", "--budget", "100000001", NULL},
			 "--budget '100000001' is not a number from 1 to 100000000");
	/* a newline in a file name still gives one line */
	expect_bad_input((const char *[]){"check", "--object", "/no/such\nfile.o", "--symbol", "s",
					  "--binding", "linux-6.7-module-args", NULL},
			 "/no/such\\x0afile.o: No such file or directory");
	expect_bad_input((const char *[]){"check", "--symbol", "nothing_like_it", NULL},
			 "no bundled stub matches");
	expect_bad_input((const char *[]){"check", "--output", "/nonexistent/dir/report", NULL},
			 "cannot write /nonexistent/dir/report");
}

/* Truncated and corrupted copies of a real object: exit 0, 1 or 2, and a
 * single error line when 2, never a signal. */
static void test_corrupt_objects_never_crash_the_tool(void **state)
{
	(void)state;
	size_t size;
	uint8_t *good = read_test_file(REFERENCE("module_args_6_7.o"), &size);
	char path[] = "/tmp/tdxabi-corrupt-XXXXXX";
	int descriptor = mkstemp(path);
	uint64_t random = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < 40; round++) {
		uint8_t *bytes = malloc(size);
		memcpy(bytes, good, size);
		size_t length = round < 10 ? size * (size_t)round / 10 : size;
		for (int flips = 0; round >= 10 && flips < 8; flips++) {
			random ^= random << 13;
			random ^= random >> 7;
			random ^= random << 17;
			bytes[random % size] = (uint8_t)(random >> 40);
		}
		assert_int_equal(ftruncate(descriptor, 0), 0);
		assert_int_equal(pwrite(descriptor, bytes, length, 0), (ssize_t)length);
		free(bytes);
		/* the dynamic check, its trace, the static audit */
		static const char *const commands[][12] = {
			{"check", "--object", NULL, "--symbol", "tdxabi_seamcall_saved_ret", "--binding",
			 "linux-6.7-module-args-saved-ret", NULL},
			{"trace", "--object", NULL, "--symbol", "tdxabi_seamcall_saved_ret", "--binding",
			 "linux-6.7-module-args-saved-ret", "--leaf", "TDH.VP.ENTER", "--fault", "ud", NULL},
			{"audit", "--object", NULL, "--symbol", "tdxabi_seamcall_saved_ret", "--binding",
			 "linux-6.7-module-args-saved-ret", NULL},
		};
		for (size_t which = 0; which < sizeof(commands) / sizeof(commands[0]); which++) {
			const char *arguments[12];
			memcpy(arguments, commands[which], sizeof(arguments));
			arguments[2] = path;
			struct tool_run run = run_tool(arguments);
			if (run.exit_code < 0 || run.exit_code > 2)
				fail_msg("%s round %d: exit %d, stderr %s", arguments[0], round,
					 run.exit_code, run.err);
			if (run.exit_code == 2)
				assert_non_null(strchr(run.err, '\n'));
			free_run(&run);
		}
	}
	close(descriptor);
	unlink(path);
	free(good);
}

/* Writes and assembles a stub whose object has `sections` allocated
 * sections beyond its own (alternating code and data), into path. */
static void assemble_many_sections(const char *path, unsigned sections)
{
	char source[256], command[700];
	snprintf(source, sizeof(source), "%s.S", path);
	FILE *file = fopen(source, "w");
	assert_non_null(file);
	fputs("\t.text\n\t.globl many_sections\n\t.type many_sections, @function\nmany_sections:\n"
	      "\tmovq %rdi, %rax\n\t.byte 0x66, 0x0f, 0x01, 0xcc\n\tret\n", file);
	for (unsigned index = 0; index < sections; index++)
		fprintf(file, "\t.section .%s.%u, \"a%s\"\n\t.byte %u\n", index % 2 ? "data" : "text",
			index, index % 2 ? "w" : "x", index % 2 ? 1u : 0xc3u);
	fclose(file);
	snprintf(command, sizeof(command), "cc -c -o '%s' '%s'", path, source);
	assert_int_equal(system(command), 0);
	unlink(source);
}

/* An object of many sections is mapped in few mappings and runs; past the
 * bound it is refused in one line. */
static void test_many_sections(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-sections-XXXXXX";
	int descriptor = mkstemp(path);
	close(descriptor);
	assemble_many_sections(path, 1000);
	struct tool_run run = run_tool((const char *[]){"check", "--object", path, "--symbol",
							"many_sections", "--binding",
							"linux-6.7-module-args", "--faults", "none",
							NULL});
	if (run.exit_code != 0 && run.exit_code != 1)
		fail_msg("exit %d: %s", run.exit_code, run.err);
	free_run(&run);
	assemble_many_sections(path, 1100);
	expect_bad_input((const char *[]){"check", "--object", path, "--symbol", "many_sections",
					  "--binding", "linux-6.7-module-args", NULL},
			 "allocated sections, more than the 1024");
	unlink(path);
}

/* A report to a FIFO nothing reads is an error, not a run that never ends. */
static void test_output_to_a_fifo_without_reader(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-fifo-XXXXXX";
	int descriptor = mkstemp(path);
	close(descriptor);
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_bad_input((const char *[]){"check", "--symbol", "tdxabi_seamcall_ret", "--output", path,
					  NULL},
			 "a FIFO nothing reads");
	unlink(path);
}

/* TDH.VP.ENTER through the saved-ret stub: carried in a NO_RBP_MOD TD (the
 * default), not in a TD without it, where the module writes RBP. */
static void test_td_config_decides_the_host_entry(void **state)
{
	(void)state;
	const char *base[] = {"check", "--symbol", "tdxabi_seamcall_saved_ret", "--leaf",
			      "TDH.VP.ENTER", "--td-config", NULL, NULL};
	base[6] = "no-rbp-mod";
	struct tool_run run = run_tool(base);
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "5 pass, 0 fail");
	free_run(&run);
	base[6] = "all";
	run = run_tool(base);
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "binding-cannot-express: TDH.VP.ENTER returns RBP");
	assert_contains(run.out, "td=none");
	free_run(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_documents_every_flag),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_check_bundled_stubs),
		cmocka_unit_test(test_json_contract),
		cmocka_unit_test(test_junit_and_output_file),
		cmocka_unit_test(test_failed_run_keeps_the_old_report),
		cmocka_unit_test(test_selection_flags),
		cmocka_unit_test(test_emulation_faults_end_cleanly),
		cmocka_unit_test(test_firmware_objects),
		cmocka_unit_test(test_user_spec_file),
		cmocka_unit_test(test_bad_input_is_one_line_and_exit_2),
		cmocka_unit_test(test_td_config_decides_the_host_entry),
		cmocka_unit_test(test_corrupt_objects_never_crash_the_tool),
		cmocka_unit_test(test_many_sections),
		cmocka_unit_test(test_output_to_a_fifo_without_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
