/* test_report.c - the report writers on hostile text: names cut inside a
 * UTF-8 character, control bytes, markup characters. JSON stays valid JSON,
 * JUnit stays well-formed, text stays one line per finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printable_text.h"
#include "report.h"
#include "test_support.h"

static void fill(struct check_report *report)
{
	struct check_result *result = check_report_add(report);
	snprintf(result->object, sizeof(result->object), "dir/\"quoted\"<&>.o");
	snprintf(result->stub, sizeof(result->stub), "stub\nwith\x1b[2Jescape");
	snprintf(result->binding, sizeof(result->binding), "linux-6.7-module-args");
	snprintf(result->spec, sizeof(result->spec), "rev\xc3"); /* cut inside "é" */
	snprintf(result->leaf, sizeof(result->leaf), "LEAF\xff\xfe");
	snprintf(result->fault, sizeof(result->fault), "none");
	struct violation violation;
	memset(&violation, 0, sizeof(violation));
	violation.rule = RULE_STRAY_WRITE;
	violation.tdx_register = -1;
	violation.has_rip = true;
	violation.rip = 0x400000;
	snprintf(violation.location, sizeof(violation.location), "f+0x1");
	snprintf(violation.instruction, sizeof(violation.instruction), "movq %%rax, (%%rsi)");
	snprintf(violation.detail, sizeof(violation.detail), "line one\nline two\t\x7f end \xe2\x82");
	struct diagnostic diagnostic;
	assert_int_equal(check_result_add_violation(result, &violation, &diagnostic), TDXABI_OK);
}

static char *write_report(enum report_format format, const struct check_report *report)
{
	char *text = NULL;
	size_t size = 0;
	FILE *stream = open_memstream(&text, &size);
	report_write(stream, format, report, &(struct report_options){.quiet = false});
	fclose(stream);
	return text;
}

static void test_json_stays_valid(void **state)
{
	(void)state;
	struct check_report report = {0};
	fill(&report);
	char *json = write_report(REPORT_JSON, &report);
	assert_json(json);
	assert_contains(json, "\"stub\":\"stub\\nwith\\u001b[2Jescape\"");
	assert_contains(json, "\"spec\":\"rev\\ufffd\"");
	assert_contains(json, "\"leaf\":\"LEAF\\ufffd\\ufffd\"");
	assert_contains(json, "\"object\":\"dir/\\\"quoted\\\"<&>.o\"");
	assert_contains(json, "\"summary\":{\"pass\":0,\"fail\":1,\"skip\":0}");
	free(json);
	check_report_free(&report);
}

static void test_junit_and_text_stay_clean(void **state)
{
	(void)state;
	struct check_report report = {0};
	fill(&report);
	char *xml = write_report(REPORT_JUNIT, &report);
	assert_contains(xml, "dir/&quot;quoted&quot;&lt;&amp;&gt;.o");
	assert_contains(xml, "<failure type=\"stray-write\"");
	char *text = write_report(REPORT_TEXT, &report);
	for (const char *documents[] = {xml, text}, **document = documents; document < documents + 2;
	     document++) {
		const unsigned char *cursor = (const unsigned char *)*document;
		size_t remaining = strlen(*document);
		while (remaining > 0) {
			size_t length = utf8_character_length(cursor, remaining);
			if (length == 0 || *cursor == 0x1b || *cursor == 0x7f)
				fail_msg("unprintable byte 0x%02x in:\n%s", *cursor, *document);
			cursor += length;
			remaining -= length;
		}
	}
	/* text: the header line, one finding line, the summary */
	size_t lines = 0;
	for (const char *cursor = text; *cursor; cursor++)
		lines += *cursor == '\n';
	assert_int_equal(lines, 3);
	assert_contains(text, "stray-write: line one?line two?? end ?");
	free(xml);
	free(text);
	check_report_free(&report);
}

/* A session keeps the results with findings and a line per stub run, not
 * the passing cases: what it holds grows with the findings. The reports it
 * writes still count every case. */
static void test_session_keeps_only_findings(void **state)
{
	(void)state;
	struct check_report report = {0};
	fill(&report); /* one failing result, then many passing ones of the same stub */
	for (size_t index = 0; index < 5000; index++) {
		struct check_result *result = check_report_add(&report);
		*result = report.results[0];
		result->violations = NULL;
		result->violation_count = 0;
		result->verdict = VERDICT_PASS;
		snprintf(result->leaf, sizeof(result->leaf), "LEAF.%zu", index % 50);
	}
	char *json = NULL, *ktap = NULL;
	size_t json_size = 0, ktap_size = 0;
	struct report_output outputs[] = {
		{.stream = open_memstream(&json, &json_size), .format = REPORT_JSON},
		{.stream = open_memstream(&ktap, &ktap_size), .format = REPORT_KTAP},
	};
	struct report_session session;
	struct diagnostic diagnostic;
	assert_int_equal(report_session_open(&session, outputs, 2, &diagnostic), TDXABI_OK);
	assert_int_equal(report_session_add(&session, &report, &diagnostic), TDXABI_OK);
	assert_int_equal(report_session_add(&session, &report, &diagnostic), TDXABI_OK);
	assert_int_equal(session.digest.findings.result_count, 2);
	assert_int_equal(session.digest.stub_count, 2);
	assert_int_equal(session.digest.leaf_count, 51);
	assert_int_equal(session.digest.case_count, 10002);
	report_session_finish(&session, NULL, NULL);
	report_session_free(&session);
	fclose(outputs[0].stream);
	fclose(outputs[1].stream);
	assert_json(json);
	assert_contains(json, "\"summary\":{\"pass\":10000,\"fail\":2,\"skip\":0}");
	assert_contains(ktap, "        1..51\n");
	assert_contains(ktap, "        ok 51 LEAF.49\n");
	free(json);
	free(ktap);
	check_report_free(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_stays_valid),
		cmocka_unit_test(test_junit_and_text_stay_clean),
		cmocka_unit_test(test_session_keeps_only_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
