/* report_json.c - the JSON report, schema 1 of DESIGN.md. 64-bit values are
 * hex strings ("0x8000ff00ffff0000"), since JSON numbers lose their precision.
 * Fields are only ever added, never renamed. */
#include <string.h>

#include "json_text.h"
#include "registers.h"
#include "report_json.h"

static void write_field(FILE *stream, const char *name, const char *value, bool comma)
{
	fprintf(stream, "%s\"%s\":", comma ? "," : "", name);
	if (value)
		json_write_string(stream, value);
	else
		fputs("null", stream);
}

/* A line number, null when unknown (0). */
static void write_count(FILE *stream, const char *name, unsigned value)
{
	if (value)
		fprintf(stream, ",\"%s\":%u", name, value);
	else
		fprintf(stream, ",\"%s\":null", name);
}

static void write_hex(FILE *stream, const char *name, bool present, uint64_t value)
{
	if (present)
		fprintf(stream, ",\"%s\":\"0x%llx\"", name, (unsigned long long)value);
	else
		fprintf(stream, ",\"%s\":null", name);
}

static void write_violation(FILE *stream, const struct violation *violation)
{
	fputc('{', stream);
	write_field(stream, "rule", rule_id(violation->rule), false);
	write_field(stream, "register",
		    violation->tdx_register >= 0 ? gpr_display_name((enum gpr)violation->tdx_register)
						 : NULL,
		    true);
	write_hex(stream, "expected", violation->has_expected, violation->expected);
	write_hex(stream, "actual", violation->has_actual, violation->actual);
	write_hex(stream, "rip", violation->has_rip, violation->rip);
	write_field(stream, "location", violation->has_rip ? violation->location : NULL, true);
	write_field(stream, "instruction", violation->has_rip ? violation->instruction : NULL, true);
	write_hex(stream, "seen_rip", violation->has_seen_rip, violation->seen_rip);
	write_field(stream, "file", violation->source_line ? violation->source_file : NULL, true);
	write_count(stream, "line", violation->source_line);
	write_field(stream, "source", violation->source_line ? violation->source_text : NULL, true);
	write_field(stream, "invoked_file", violation->invoked_line ? violation->invoked_file : NULL,
		    true);
	write_count(stream, "invoked_line", violation->invoked_line);
	write_field(stream, "seen_location", violation->has_seen_rip ? violation->seen_location : NULL,
		    true);
	write_field(stream, "detail", violation->detail, true);
	write_field(stream, "accepted_by", violation->accepted_by[0] ? violation->accepted_by : NULL,
		    true);
	fputc('}', stream);
}

void report_json_begin(FILE *stream)
{
	fputs("{\"tool\":\"tdxabi\",\"schema\":1,\"results\":[", stream);
}

void report_json_results(FILE *stream, const struct check_report *report,
			 const struct report_options *options, size_t *written)
{
	for (size_t index = 0; index < report->result_count; index++, (*written)++) {
		const struct check_result *result = &report->results[index];
		fputs(*written ? ",\n{" : "\n{", stream);
		write_field(stream, "object", result->object, false);
		write_field(stream, "build_variant",
			    result->build_variant[0] ? result->build_variant : NULL, true);
		write_field(stream, "stub", result->stub, true);
		write_field(stream, "binding", result->binding, true);
		write_field(stream, "spec", result->spec, true);
		write_field(stream, "leaf", result->leaf, true);
		write_field(stream, "fault", result->fault, true);
		write_field(stream, "variant", result->variant, true);
		write_field(stream, "verdict", verdict_name(result->verdict), true);
		fprintf(stream, ",\"seed\":%llu", (unsigned long long)result->seed);
		write_field(stream, "skip_reason",
			    result->verdict == VERDICT_SKIP ? result->skip_reason : NULL, true);
		fputs(",\"violations\":[", stream);
		for (size_t which = 0; which < result->violation_count; which++) {
			if (which)
				fputc(',', stream);
			write_violation(stream, &result->violations[which]);
		}
		char command[1024] = "";
		if (result->verdict == VERDICT_FAIL && options && options->trace_command)
			options->trace_command(options->trace_context, result, command, sizeof(command));
		fputc(']', stream);
		write_field(stream, "trace", command[0] ? command : NULL, true);
		fputc('}', stream);
	}
}

void report_json_end(FILE *stream, struct report_totals totals)
{
	fprintf(stream, "\n],\"summary\":{\"pass\":%zu,\"fail\":%zu,\"skip\":%zu}}\n", totals.pass,
		totals.fail, totals.skip);
}
