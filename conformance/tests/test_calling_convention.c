/* test_calling_convention.c - the seam between a binding and its calling
 * convention, on fixtures of its own: the parser refuses malformed files
 * with file:line, and binding_marshal() puts each argument where the
 * convention says (registers, stack slots past the shadow space), lets the
 * callee write its shadow space and poisons the XMM registers it keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_matrix.h"
#include "marshal.h"
#include "memory_layout.h"
#include "poison_tag.h"
#include "test_support.h"

/* Two conventions shaped like SysV and MS x64, under names of their own. */
static const char two_register_abi[] =
	"abi two-registers | src: test\n"
	"arguments rdi rsi | src: test\n"
	"stack-arguments 8 | src: test\n"
	"shadow-space 0 0 | src: test\n"
	"callee-saved rbx rbp | src: test\n"
	"callee-saved-xmm - | src: test\n"
	"result rax | src: test\n"
	"direction-flag clear | src: test\n"
	"other-registers caller-values | src: test\n";
static const char home_space_abi[] =
	"abi home-space | src: test\n"
	"arguments rcx rdx | src: test\n"
	"stack-arguments 0x18 | src: test\n"
	"shadow-space 8 16 | src: test\n"
	"callee-saved rbx rsi rdi | src: test\n"
	"callee-saved-xmm 6 7 | src: test\n"
	"result rax | src: test\n"
	"direction-flag clear | src: test\n"
	"other-registers caller-values | src: test\n";

/* The same binding under each: four arguments, the last two past the registers. */
#define BINDING_TEXT(abi)                                                                       \
	"binding b | src: test\nabi " abi "\nenvironment firmware\nprototype p\n"                  \
	"instructions tdcall\nargument 1 leaf\nargument 2 register rcx\n"                          \
	"argument 3 register rdx\nargument 4 object out 8 nullable\nout r8 out+0\nresult status\n"

struct fixture {
	struct calling_convention abis[2];
	struct spec_table spec;
};

static const struct calling_convention *resolve(void *context, const char *name)
{
	struct fixture *fixture = context;
	for (int index = 0; index < 2; index++)
		if (strcmp(fixture->abis[index].name, name) == 0)
			return &fixture->abis[index];
	return NULL;
}

static int set_up(void **state)
{
	struct fixture *fixture = calloc(1, sizeof(*fixture));
	struct diagnostic diagnostic;
	const char spec[] = "revision r | src: s\n"
			    "tdcall 7 TDG.TEST in: rcx rdx out: r8 | src: s\n"
			    "status TDX_SUCCESS 0 | src: s\n";
	if (calling_convention_parse(two_register_abi, strlen(two_register_abi), "a.abi",
				     &fixture->abis[0], &diagnostic) != TDXABI_OK ||
	    calling_convention_parse(home_space_abi, strlen(home_space_abi), "b.abi",
				     &fixture->abis[1], &diagnostic) != TDXABI_OK ||
	    spec_table_parse(spec, strlen(spec), "t.spec", NULL, NULL, &fixture->spec,
			     &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	*state = fixture;
	return 0;
}

static int tear_down(void **state)
{
	struct fixture *fixture = *state;
	calling_convention_free(&fixture->abis[0]);
	calling_convention_free(&fixture->abis[1]);
	spec_table_free(&fixture->spec);
	free(fixture);
	return 0;
}

static void marshal_under(struct fixture *fixture, const char *text, struct binding *binding,
			  struct call_plan *plan)
{
	struct diagnostic diagnostic;
	if (binding_parse(text, strlen(text), "b.binding", resolve, fixture, binding, &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	struct check_case check_case = {.leaf = &fixture->spec.leaves[0], .fault = FAULT_NONE};
	binding_marshal(binding, &check_case, 5, plan);
}

static bool expects_write(const struct call_plan *plan, uint64_t start, uint64_t end)
{
	for (size_t index = 0; index < plan->expected_write_count; index++)
		if (plan->expected_writes[index].start == start && plan->expected_writes[index].end == end)
			return true;
	return false;
}

static void test_arguments_go_where_the_convention_says(void **state)
{
	struct fixture *fixture = *state;
	struct call_plan *plan = calloc(1, sizeof(*plan));
	struct binding binding;

	marshal_under(fixture, BINDING_TEXT("two-registers"), &binding, plan);
	assert_int_equal(plan->registers[GPR_RDI], 7);                      /* the leaf */
	assert_int_equal(plan->registers[GPR_RSI], plan->supplied[GPR_RCX]);
	assert_int_equal(plan->stack_word_count, 2);                        /* 3rd and 4th */
	assert_int_equal(plan->stack_words[0].offset, 8);
	assert_int_equal(plan->stack_words[0].value, plan->supplied[GPR_RDX]);
	assert_int_equal(plan->stack_words[1].offset, 16);
	assert_int_equal(plan->stack_words[1].value, plan->object_address[0]);
	assert_false(plan->sets_xmm);
	assert_int_equal(plan->expected_write_count, 1);                    /* the output only */
	binding_free(&binding);

	marshal_under(fixture, BINDING_TEXT("home-space"), &binding, plan);
	assert_int_equal(plan->registers[GPR_RCX], 7);
	assert_int_equal(plan->registers[GPR_RDX], plan->supplied[GPR_RCX]);
	assert_int_equal(plan->stack_words[0].offset, 0x18);                /* past the home space */
	assert_int_equal(plan->stack_words[1].offset, 0x20);
	assert_int_equal(plan->stack_words[1].value, plan->object_address[0]);
	assert_true(expects_write(plan, LAYOUT_ENTRY_RSP + 8, LAYOUT_ENTRY_RSP + 24));
	assert_true(plan->sets_xmm);
	assert_int_equal(plan->xmm[6].low, poison_tag(5, TAG_CALLER_XMM, 6));
	assert_int_equal(plan->xmm[6].high, poison_tag(5, TAG_CALLER_XMM, 22));
	binding_free(&binding);
	free(plan);
}

static void test_malformed_conventions_name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *expected;
	} cases[] = {
		{"arguments rdi | src: t\n", "c.abi:1: the first row must be 'abi NAME"},
		{"abi c | src: t\narguments rsp | src: t\n", "c.abi:2: RSP cannot be listed"},
		{"abi c | src: t\narguments rdi rdi | src: t\n", "c.abi:2: RDI listed twice"},
		{"abi c | src: t\nstack-arguments 9 | src: t\n", "c.abi:2: '9' is not a multiple of 8"},
		{"abi c | src: t\nshadow-space 0 32 | src: t\n",
		 "c.abi:2: the shadow space cannot cover the return address"},
		{"abi c | src: t\ncallee-saved-xmm 16 | src: t\n", "c.abi:2: '16' is not an XMM number"},
		{"abi c | src: t\ndirection-flag set | src: t\n", "c.abi:2: expected 'direction-flag"},
		{"abi c | src: t\nresult rax\n", "c.abi:2: the 'result' row must cite its source"},
		{"abi c | src: t\nwobble | src: t\n", "c.abi:2: unknown calling-convention row 'wobble'"},
		{"abi c | src: t\n", "calling convention c has no 'arguments' row"},
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++) {
		struct calling_convention abi;
		struct diagnostic diagnostic = {""};
		if (calling_convention_parse(cases[index].text, strlen(cases[index].text), "c.abi", &abi,
					     &diagnostic) != TDXABI_BAD_INPUT ||
		    !strstr(diagnostic.text, cases[index].expected))
			fail_msg("case %zu: \"%s\", expected \"%s\"", index, diagnostic.text,
				 cases[index].expected);
	}
	/* stack arguments inside the home space */
	char text[sizeof(home_space_abi) + 8];
	snprintf(text, sizeof(text), "%s", home_space_abi);
	memcpy(strstr(text, "0x18"), "0x10", 4);
	struct calling_convention abi;
	struct diagnostic diagnostic;
	assert_int_equal(calling_convention_parse(text, strlen(text), "c.abi", &abi, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "stack arguments start inside the shadow space");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arguments_go_where_the_convention_says, set_up,
						tear_down),
		cmocka_unit_test(test_malformed_conventions_name_file_and_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
