/* report_sarif.c - the SARIF 2.1.0 log of a check: the rules (every rule id
 * with its summary), then each distinct finding of each function once, at
 * its source line (region.startLine) or, without one, in its object, with a
 * partialFingerprint that survives lines moving. */
#include "report_sarif.h"

#include <stdlib.h>
#include <string.h>

#include "finding_groups.h"
#include "json_text.h"
#include "registers.h"

/* A path as a URI reference: relative stays relative, absolute becomes
 * file://; bytes outside RFC 3986's unreserved set and '/' are escaped. */
static void write_uri(FILE *stream, const char *path)
{
	fputc('"', stream);
	if (path[0] == '/')
		fputs("file://", stream);
	for (const unsigned char *cursor = (const unsigned char *)path; *cursor; cursor++) {
		if ((*cursor >= 'a' && *cursor <= 'z') || (*cursor >= 'A' && *cursor <= 'Z') ||
		    (*cursor >= '0' && *cursor <= '9') || strchr("-._~/", *cursor))
			fputc(*cursor, stream);
		else
			fprintf(stream, "%%%02X", *cursor);
	}
	fputc('"', stream);
}

static void write_rules(FILE *stream)
{
	fputs("\"rules\":[", stream);
	for (int rule = 0; rule < RULE_COUNT; rule++) {
		fputs(rule ? ",{\"id\":" : "{\"id\":", stream);
		json_write_string(stream, rule_id((enum rule)rule));
		fputs(",\"shortDescription\":{\"text\":", stream);
		json_write_string(stream, rule_summary((enum rule)rule));
		fputs("}}", stream);
	}
	fputc(']', stream);
}

static void write_result(FILE *stream, const struct check_result *result,
			 const struct finding_group *group, bool comma)
{
	const struct violation *violation = group->violation;
	char message[1024], fingerprint[FINDING_FINGERPRINT_SIZE];
	snprintf(message, sizeof(message), "%s: %s%s%s%s%s%s (leaf %s, fault %s%s%s)",
		 violation->location[0] ? violation->location : result->stub,
		 violation->tdx_register >= 0 ? gpr_display_name((enum gpr)violation->tdx_register)
					      : "",
		 violation->tdx_register >= 0 ? ": " : "", violation->detail,
		 violation->has_rip && violation->instruction[0] ? " [" : "",
		 violation->has_rip ? violation->instruction : "",
		 violation->has_rip && violation->instruction[0] ? "]" : "", result->leaf,
		 result->fault, result->variant[0] ? ", " : "", result->variant);
	finding_fingerprint(result, violation, fingerprint);
	fprintf(stream, "%s{\"ruleId\":", comma ? ",\n" : "\n");
	json_write_string(stream, rule_id(violation->rule));
	fprintf(stream, ",\"ruleIndex\":%d,\"level\":\"error\",\"message\":{\"text\":",
		(int)violation->rule);
	json_write_string(stream, message);
	fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", stream);
	write_uri(stream, violation->source_line ? violation->source_file : result->object);
	fputc('}', stream);
	if (violation->source_line)
		fprintf(stream, ",\"region\":{\"startLine\":%u}", violation->source_line);
	fputs("},\"logicalLocations\":[{\"fullyQualifiedName\":", stream);
	json_write_string(stream, violation->location[0] ? violation->location : result->stub);
	fputs(",\"kind\":\"function\"}]}]", stream);
	fprintf(stream, ",\"partialFingerprints\":{\"tdxabiFinding/v1\":\"%s\"}", fingerprint);
	if (violation->accepted_by[0]) {
		fputs(",\"suppressions\":[{\"kind\":\"external\",\"justification\":", stream);
		json_write_string(stream, violation->accepted_by);
		fputs("}]", stream);
	}
	fprintf(stream, ",\"properties\":{\"cases\":%zu,\"buildVariants\":%zu,\"object\":",
		group->cases, group->variants);
	json_write_string(stream, result->object);
	fputs(",\"spec\":", stream);
	json_write_string(stream, result->spec);
	fputs("}}", stream);
}

/* Whether stub is among the count stubs whose findings are written. */
static bool stub_written(const char *const *written, size_t count, const char *stub)
{
	for (size_t index = 0; index < count; index++)
		if (strcmp(written[index], stub) == 0)
			return true;
	return false;
}

void report_write_sarif(FILE *stream, const struct report_digest *digest,
			const struct report_options *options)
{
	const struct check_report *report = &digest->findings;
	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
	      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"tdxabi\"",
	      stream);
	if (options && options->tool_version) {
		fputs(",\"version\":", stream);
		json_write_string(stream, options->tool_version);
	}
	fputc(',', stream);
	write_rules(stream);
	fputs("}},\"results\":[", stream);
	bool comma = false;
	const char **written = calloc(report->result_count + 1, sizeof(*written));
	size_t written_count = 0;
	for (size_t index = 0; written && index < report->result_count; index++) {
		const char *stub = report->results[index].stub;
		if (report->results[index].violation_count == 0 ||
		    stub_written(written, written_count, stub))
			continue;
		written[written_count++] = stub;
		struct finding_scope scope = {index, report->result_count, report->results[index].stub, 0};
		struct finding_group *groups;
		size_t count;
		if (finding_groups_collect(report, &scope, &groups, &count) != TDXABI_OK)
			break;
		for (size_t which = 0; which < count; which++, comma = true)
			write_result(stream, &report->results[groups[which].result], &groups[which],
				     comma);
		free(groups);
	}
	free(written);
	fputs("\n]}]}\n", stream);
}
