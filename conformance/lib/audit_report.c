/* audit_report.c - audit_report.h: the text and JSON of an audit; SARIF and
 * the findings' lines from the check report built of its findings. */
#include "audit_report.h"

#include <inttypes.h>
#include <string.h>

#include "json_text.h"
#include "printable_text.h"
#include "registers.h"
#include "report_text.h"

enum tdxabi_status audit_report_as_check(const struct audited_function *functions, size_t count,
					 struct check_report *report, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < count; index++) {
		const struct audited_function *function = &functions[index];
		struct check_result *result = check_report_add(report);
		if (!result)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		snprintf(result->object, sizeof(result->object), "%s", function->object);
		snprintf(result->stub, sizeof(result->stub), "%s", function->result.function);
		snprintf(result->binding, sizeof(result->binding), "%s", function->binding);
		snprintf(result->spec, sizeof(result->spec), "static");
		snprintf(result->leaf, sizeof(result->leaf), "any");
		snprintf(result->fault, sizeof(result->fault), "any");
		result->verdict = VERDICT_PASS;
		for (size_t which = 0; which < function->result.finding_count; which++)
			if (check_result_add_violation(result, &function->result.findings[which],
						       diagnostic) != TDXABI_OK)
				return TDXABI_OUT_OF_MEMORY;
	}
	return TDXABI_OK;
}

static const char *registers(register_set set, char *text, size_t size)
{
	return set ? register_set_format(set, text, size) : "none";
}

static void offset_of(const struct audit_result *result, uint64_t address, char *text, size_t size)
{
	snprintf(text, size, "+0x%" PRIx64, address - result->entry);
}

static const char *fixup_text(const struct audit_result *result, const struct audit_fixup *fixup,
			      char *text, size_t size)
{
	if (fixup->resolution == TRAP_FIXED)
		offset_of(result, fixup->resume, text, size);
	else
		snprintf(text, size, "%s", fixup->resolution == TRAP_NO_FIXUP ? "none" : "not modelled");
	return text;
}

static void write_function_text(FILE *stream, const struct audited_function *function)
{
	const struct audit_result *result = &function->result;
	char text[256], other[64], more[64];
	char line[1024], printable[1024];
	snprintf(line, sizeof(line), "audit %s:%s  %s", function->object, result->function,
		 function->binding);
	printable_copy(printable, sizeof(printable), line);
	fprintf(stream, "%s\n", printable);
	fprintf(stream, "  control flow: %zu blocks, %zu instructions\n", result->block_count,
		result->instruction_count);
	for (size_t index = 0; index < result->block_count; index++) {
		const struct audit_block *block = &result->blocks[index];
		offset_of(result, block->start, other, sizeof(other));
		offset_of(result, block->end, more, sizeof(more));
		fprintf(stream, "    %s..%s ->", other, more);
		for (size_t which = 0; which < block->successor_count; which++) {
			offset_of(result, block->successors[which], other, sizeof(other));
			fprintf(stream, " %s", other);
		}
		fprintf(stream, "%s\n", block->leaves ? " (leaves)" : "");
	}
	fprintf(stream, "  reads before writing: %s\n",
		registers(result->reads_before_writes, text, sizeof(text)));
	fprintf(stream, "  writes on some path: %s\n", registers(result->writes, text, sizeof(text)));
	register_set unrestored = 0;
	for (size_t index = 0; index < result->return_count; index++)
		unrestored |= result->returns[index].unrestored;
	fprintf(stream, "  callee-saved: %s; changed at a return on some path: %s\n",
		registers(result->callee_saved, text, sizeof(text)),
		registers(unrestored, other, sizeof(other)));
	fprintf(stream, "  stack: at most %lld bytes deep; at each return:", (long long)result->max_depth);
	for (size_t index = 0; index < result->return_count; index++) {
		const struct audit_return *found = &result->returns[index];
		offset_of(result, found->address, other, sizeof(other));
		if (found->depth_kind == DEPTH_KNOWN)
			fprintf(stream, " %s %s", other,
				found->depth ? "unbalanced" : "balanced");
		else
			fprintf(stream, " %s %s", other,
				found->depth_kind == DEPTH_CONFLICT ? "paths disagree" : "unknown");
		if (found->thunk)
			fputs(" (return thunk)", stream);
	}
	fputs(result->return_count ? "\n" : " none\n", stream);
	for (size_t index = 0; index < result->tdx_count; index++) {
		const struct audit_tdx *tdx = &result->tdx[index];
		const struct source_location *where = &function->tdx_lines[index];
		char ud[32], gp[32], lines[VIOLATION_PATH_SIZE + 24] = "";
		offset_of(result, tdx->address, other, sizeof(other));
		if (where->line)
			snprintf(lines, sizeof(lines), " (%s:%u)", where->file, where->line);
		char table[48];
		snprintf(table, sizeof(table), "%s", function->fixups[0] ? function->fixups
						     : "none: a trap is fatal there");
		snprintf(line, sizeof(line),
			 "  %s at %s%s: fixups (%s) #UD %s, #GP %s; written after it on every path: %s",
			 tdx_opcode_mnemonic(tdx->opcode), other, lines, table,
			 fixup_text(result, &tdx->undefined_opcode, ud, sizeof(ud)),
			 fixup_text(result, &tdx->general_protection, gp, sizeof(gp)),
			 tdx->reaches_return ? registers(tdx->scrubbed, text, sizeof(text))
					     : "(no return follows)");
		printable_copy(printable, sizeof(printable), line);
		fprintf(stream, "%s\n", printable);
	}
	for (size_t index = 0; index < result->note_count; index++) {
		printable_copy(printable, sizeof(printable), result->notes[index]);
		fprintf(stream, "  note: %s\n", printable);
	}
}

static void write_text(FILE *stream, const struct audited_function *functions, size_t count,
		       const struct check_report *report, const struct report_options *options)
{
	size_t findings = 0;
	for (size_t index = 0; index < count; index++) {
		write_function_text(stream, &functions[index]);
		struct finding_scope scope = {index, index + 1, NULL, 0};
		if (report && report->results[index].violation_count)
			report_write_findings(stream, report, &scope, options);
		findings += functions[index].result.finding_count;
	}
	fprintf(stream, "summary: %zu function%s audited, %zu finding%s\n", count,
		count == 1 ? "" : "s", findings, findings == 1 ? "" : "s");
}

static void json_registers(FILE *stream, const char *name, register_set set)
{
	fprintf(stream, ",\"%s\":[", name);
	bool first = true;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (register_set_has(set, (enum gpr)gpr)) {
			fprintf(stream, "%s\"%s\"", first ? "" : ",", gpr_display_name((enum gpr)gpr));
			first = false;
		}
	fputc(']', stream);
}

static void json_fixup(FILE *stream, const char *name, const struct audit_fixup *fixup)
{
	if (fixup->resolution == TRAP_FIXED)
		fprintf(stream, ",\"%s\":\"0x%" PRIx64 "\"", name, fixup->resume);
	else
		fprintf(stream, ",\"%s\":null", name);
}

static void write_json(FILE *stream, const struct audited_function *functions, size_t count)
{
	fputs("{\"tool\":\"tdxabi\",\"audit\":1,\"functions\":[", stream);
	for (size_t index = 0; index < count; index++) {
		const struct audited_function *function = &functions[index];
		const struct audit_result *result = &function->result;
		fputs(index ? ",\n{\"object\":" : "\n{\"object\":", stream);
		json_write_string(stream, function->object);
		fputs(",\"function\":", stream);
		json_write_string(stream, result->function);
		fputs(",\"binding\":", stream);
		json_write_string(stream, function->binding);
		fprintf(stream, ",\"entry\":\"0x%" PRIx64 "\",\"instructions\":%zu,\"blocks\":[",
			result->entry, result->instruction_count);
		for (size_t which = 0; which < result->block_count; which++) {
			const struct audit_block *block = &result->blocks[which];
			fprintf(stream, "%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\","
					"\"leaves\":%s,\"successors\":[",
				which ? "," : "", block->start, block->end, block->leaves ? "true" : "false");
			for (size_t next = 0; next < block->successor_count; next++)
				fprintf(stream, "%s\"0x%" PRIx64 "\"", next ? "," : "", block->successors[next]);
			fputs("]}", stream);
		}
		fputc(']', stream);
		json_registers(stream, "reads_before_writes", result->reads_before_writes);
		json_registers(stream, "writes", result->writes);
		json_registers(stream, "callee_saved", result->callee_saved);
		fprintf(stream, ",\"max_depth\":%lld,\"returns\":[", (long long)result->max_depth);
		for (size_t which = 0; which < result->return_count; which++) {
			const struct audit_return *found = &result->returns[which];
			fprintf(stream, "%s{\"address\":\"0x%" PRIx64 "\",\"thunk\":%s,\"depth\":",
				which ? "," : "", found->address, found->thunk ? "true" : "false");
			if (found->depth_kind == DEPTH_KNOWN)
				fprintf(stream, "%lld", (long long)found->depth);
			else
				fputs(found->depth_kind == DEPTH_CONFLICT ? "\"conflict\"" : "null", stream);
			json_registers(stream, "unrestored", found->unrestored);
			fputc('}', stream);
		}
		fputs("],\"tdx\":[", stream);
		for (size_t which = 0; which < result->tdx_count; which++) {
			const struct audit_tdx *tdx = &result->tdx[which];
			fprintf(stream, "%s{\"address\":\"0x%" PRIx64 "\",\"instruction\":\"%s\"",
				which ? "," : "", tdx->address, tdx_opcode_mnemonic(tdx->opcode));
			json_fixup(stream, "ud_fixup", &tdx->undefined_opcode);
			json_fixup(stream, "gp_fixup", &tdx->general_protection);
			json_registers(stream, "scrubbed", tdx->reaches_return ? tdx->scrubbed : 0);
			fputs(",\"file\":", stream);
			if (function->tdx_lines[which].line) {
				json_write_string(stream, function->tdx_lines[which].file);
				fprintf(stream, ",\"line\":%u}", function->tdx_lines[which].line);
			} else {
				fputs("null,\"line\":null}", stream);
			}
		}
		fputs("],\"notes\":[", stream);
		for (size_t which = 0; which < result->note_count; which++) {
			if (which)
				fputc(',', stream);
			json_write_string(stream, result->notes[which]);
		}
		fputs("],\"findings\":[", stream);
		for (size_t which = 0; which < result->finding_count; which++) {
			const struct violation *violation = &result->findings[which];
			fputs(which ? ",{\"rule\":" : "{\"rule\":", stream);
			json_write_string(stream, rule_id(violation->rule));
			fputs(",\"register\":", stream);
			if (violation->tdx_register >= 0)
				json_write_string(stream, gpr_display_name((enum gpr)violation->tdx_register));
			else
				fputs("null", stream);
			fprintf(stream, ",\"rip\":\"0x%" PRIx64 "\",\"location\":", violation->rip);
			json_write_string(stream, violation->location);
			fputs(",\"file\":", stream);
			if (violation->source_line) {
				json_write_string(stream, violation->source_file);
				fprintf(stream, ",\"line\":%u", violation->source_line);
			} else {
				fputs("null,\"line\":null", stream);
			}
			fputs(",\"detail\":", stream);
			json_write_string(stream, violation->detail);
			fputc('}', stream);
		}
		fputs("]}", stream);
	}
	fputs("\n]}\n", stream);
}

void audit_report_write(FILE *stream, enum report_format format,
			const struct audited_function *functions, size_t count,
			const struct report_options *options)
{
	struct check_report report = {0};
	struct diagnostic diagnostic;
	bool built = audit_report_as_check(functions, count, &report, &diagnostic) == TDXABI_OK;
	if (format == REPORT_JSON)
		write_json(stream, functions, count);
	else if (format == REPORT_SARIF && built)
		report_write(stream, REPORT_SARIF, &report, options);
	else
		write_text(stream, functions, count, built ? &report : NULL, options);
	check_report_free(&report);
}
