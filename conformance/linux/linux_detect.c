/* linux_detect.c - binding detection for a Linux tree's functions (see
 * linux_detect.h). Prototypes are compared as normalised signatures, struct
 * fields as sets of register names. */
#include "linux_detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kernel_offsets.h"
#include "source_text.h"

static bool is_type_word(const char *word, size_t length)
{
	static const char *const words[] = {"void", "char", "short", "int", "long", "unsigned",
					    "signed", "bool", "u8", "u16", "u32", "u64", "s64"};
	for (size_t index = 0; index < sizeof(words) / sizeof(words[0]); index++)
		if (strlen(words[index]) == length && strncmp(words[index], word, length) == 0)
			return true;
	return false;
}

static bool is_qualifier(const char *word, size_t length)
{
	static const char *const words[] = {"extern", "static", "inline", "noinstr", "__init",
					    "__always_inline", "asmlinkage", "notrace", "__noreturn"};
	for (size_t index = 0; index < sizeof(words) / sizeof(words[0]); index++)
		if (strlen(words[index]) == length && strncmp(words[index], word, length) == 0)
			return true;
	return false;
}

struct signature_writer {
	char *text;
	size_t size, used;
};

static void emit(struct signature_writer *writer, const char *text, size_t length)
{
	if (writer->used + length + 1 > writer->size)
		return;
	memcpy(writer->text + writer->used, text, length);
	writer->used += length;
	writer->text[writer->used] = '\0';
}

/* Writes the type of one declaration part (a return type, or a parameter
 * with its name dropped): words joined by one space, '*' attached. */
static void emit_type(struct signature_writer *writer, const char *start, const char *end,
		      bool drop_name)
{
	const char *words[16], *word_ends[16];
	size_t count = 0;
	for (const char *cursor = start; cursor < end && count < 16;) {
		if (source_text_is_identifier_character(*cursor)) {
			words[count] = cursor;
			while (cursor < end && source_text_is_identifier_character(*cursor))
				cursor++;
			word_ends[count++] = cursor;
		} else if (*cursor == '*') {
			words[count] = cursor;
			word_ends[count++] = ++cursor;
		} else {
			cursor++;
		}
	}
	if (drop_name && count > 1 && source_text_is_identifier_character(*words[count - 1]) &&
	    !is_type_word(words[count - 1], (size_t)(word_ends[count - 1] - words[count - 1])) &&
	    !(count >= 2 && (size_t)(word_ends[count - 2] - words[count - 2]) == 6 &&
	      strncmp(words[count - 2], "struct", 6) == 0))
		count--;
	bool previous_word = false;
	for (size_t index = 0; index < count; index++) {
		size_t length = (size_t)(word_ends[index] - words[index]);
		if (is_qualifier(words[index], length))
			continue;
		bool word = *words[index] != '*';
		if (word && previous_word)
			emit(writer, " ", 1);
		emit(writer, words[index], length);
		previous_word = word;
	}
}

bool linux_prototype_signature(const char *declaration, const char *function, char *signature,
			       size_t size)
{
	size_t name_length = strlen(function);
	for (const char *found = strstr(declaration, function); found;
	     found = strstr(found + 1, function)) {
		bool starts = found == declaration || !source_text_is_identifier_character(found[-1]);
		const char *open = found + name_length;
		while (*open == ' ' || *open == '\t')
			open++;
		if (!starts || *open != '(')
			continue;
		int depth = 0;
		const char *close = open;
		for (; *close; close++) {
			depth += *close == '(';
			depth -= *close == ')';
			if (depth == 0)
				break;
		}
		if (!*close)
			return false;
		const char *after = close + 1;
		while (isspace((unsigned char)*after))
			after++;
		if (*after != ';' && *after != '{' && *after != '\0')
			continue; /* a call, not a declaration */
		const char *line = found;
		while (line > declaration && line[-1] != '\n' && line[-1] != ';' && line[-1] != '}')
			line--;
		struct signature_writer writer = {signature, size, 0};
		signature[0] = '\0';
		emit_type(&writer, line, found, false);
		emit(&writer, "(", 1);
		size_t parameters = writer.used;
		for (const char *part = open + 1; part < close;) {
			const char *comma = part;
			while (comma < close && *comma != ',')
				comma++;
			if (part != open + 1)
				emit(&writer, ",", 1);
			emit_type(&writer, part, comma, true);
			part = comma + 1;
		}
		if (strcmp(signature + parameters, "void") == 0) /* f(void): no parameters */
			signature[writer.used = parameters] = '\0';
		emit(&writer, ")", 1);
		return true;
	}
	return false;
}

static const char *lower_register_name(enum gpr gpr, char buffer[8])
{
	const char *upper = gpr_display_name(gpr);
	size_t index = 0;
	for (; upper[index] && index < 7; index++)
		buffer[index] = (char)tolower((unsigned char)upper[index]);
	buffer[index] = '\0';
	return buffer;
}

/* Whether each register the binding moves through `object` is a member of
 * the layout; *exact when the layout has no other members. */
static bool fields_match(const struct binding *binding, unsigned object,
			 const struct struct_layout *layout, bool *exact, char *reason, size_t size)
{
	register_set fields = 0;
	for (size_t index = 0; index < binding->input_count; index++)
		if (binding->inputs[index].place == PLACE_OBJECT && binding->inputs[index].object == object)
			fields |= REGISTER_BIT(binding->inputs[index].tdx_register);
	for (size_t index = 0; index < binding->output_count; index++)
		if (binding->outputs[index].object == object)
			fields |= REGISTER_BIT(binding->outputs[index].tdx_register);
	register_set members = 0;
	bool foreign = false;
	for (size_t index = 0; index < layout->member_count; index++) {
		enum gpr gpr;
		if (gpr_parse(layout->members[index].name, strlen(layout->members[index].name), &gpr))
			members |= REGISTER_BIT(gpr);
		else
			foreign = true;
	}
	*exact = fields == members && !foreign;
	if ((fields & members) == fields)
		return true;
	char wanted[96], found[96];
	snprintf(reason, size, "binding %s wants struct %s with fields %s, the tree's has %s%s",
		 binding->name, layout->name, register_set_format(fields, wanted, sizeof(wanted)),
		 register_set_format(members, found, sizeof(found)), foreign ? " and others" : "");
	return false;
}

/* Copies the binding with sizes and offsets from the tree's layouts. */
static void instantiate(const struct binding *template, const struct kernel_build *build,
			struct binding *out)
{
	*out = *template;
	for (size_t object = 0; object < out->object_count; object++) {
		const struct struct_layout *layout =
			kernel_offsets_layout(build, out->objects[object].linux_struct);
		if (!layout)
			continue;
		out->objects[object].size = (uint32_t)layout->size;
		struct binding_transfer *lists[2] = {out->inputs, out->outputs};
		size_t counts[2] = {out->input_count, out->output_count};
		for (int list = 0; list < 2; list++) {
			for (size_t index = 0; index < counts[list]; index++) {
				struct binding_transfer *transfer = &lists[list][index];
				if (transfer->place != PLACE_OBJECT || transfer->object != object)
					continue;
				char name[8];
				lower_register_name(transfer->tdx_register, name);
				for (size_t member = 0; member < layout->member_count; member++)
					if (strcmp(layout->members[member].name, name) == 0)
						transfer->offset = (uint32_t)layout->members[member].offset;
			}
		}
	}
}

static bool binding_fits(const struct binding *binding, const char *tree_signature,
			 const struct kernel_build *build, const char *function, bool *exact,
			 char *reason, size_t size)
{
	*exact = true;
	char wanted[256];
	/* the binding's prototype names one of its symbols; compare the shape */
	if (!linux_prototype_signature(binding->prototype, binding->linux_symbols[0], wanted,
				       sizeof(wanted)) &&
	    !linux_prototype_signature(binding->prototype, function, wanted, sizeof(wanted))) {
		snprintf(reason, size, "binding %s has no parsable prototype", binding->name);
		return false;
	}
	if (strcmp(wanted, tree_signature) != 0) {
		snprintf(reason, size, "binding %s wants %s", binding->name, wanted);
		return false;
	}
	for (size_t object = 0; object < binding->object_count; object++) {
		if (!binding->objects[object].linux_struct[0])
			continue;
		const struct struct_layout *layout =
			kernel_offsets_layout(build, binding->objects[object].linux_struct);
		if (!layout) {
			snprintf(reason, size, "binding %s wants struct %s, which the tree's asm-offsets.c "
				 "does not lay out", binding->name, binding->objects[object].linux_struct);
			return false;
		}
		bool object_exact;
		if (!fields_match(binding, (unsigned)object, layout, &object_exact, reason, size))
			return false;
		*exact &= object_exact;
	}
	return true;
}

const struct kernel_header *linux_declaring_header(const struct kernel_build *build,
						   const char *function, char *signature,
						   size_t size)
{
	for (size_t index = 0; index < build->header_count; index++)
		if (linux_prototype_signature(build->headers[index].text, function, signature, size))
			return &build->headers[index];
	return NULL;
}

enum tdxabi_status linux_detect_binding(const struct catalog *catalog,
					const struct kernel_build *build, const char *function,
					struct binding *out, struct diagnostic *diagnostic)
{
	char signature[256] = "", other[256];
	const struct kernel_header *header =
		linux_declaring_header(build, function, signature, sizeof(signature));
	if (!header)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: no prototype in any of the tree's %zu TDX headers, so no "
				       "binding can be chosen",
				       function, build->header_count);
	const char *declared_in = header->path;
	for (const struct kernel_header *later = header + 1;
	     later < build->headers + build->header_count; later++)
		if (linux_prototype_signature(later->text, function, other, sizeof(other)) &&
		    strcmp(other, signature) != 0)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s: %s declares %s, but %s declares %s", function,
					       declared_in, signature, later->path, other);
	/* A binding fits when the prototype is the same and the struct holds its
	 * fields; several bindings may name one symbol (__tdx_hypercall), and
	 * one whose fields are the whole struct beats one that uses a part. */
	const struct binding *chosen = NULL;
	bool chosen_exact = false;
	char reasons[DIAGNOSTIC_TEXT_SIZE] = "";
	size_t candidates = 0, used = 0;
	for (size_t index = 0; index < catalog->binding_count; index++) {
		const struct binding *binding = &catalog->bindings[index];
		if (!binding_names_linux_symbol(binding, function))
			continue;
		candidates++;
		char reason[256];
		bool exact;
		if (binding_fits(binding, signature, build, function, &exact, reason, sizeof(reason))) {
			if (chosen && exact == chosen_exact)
				return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						       "%s: both bindings %s and %s fit; the tree is ambiguous",
						       function, chosen->name, binding->name);
			if (!chosen || exact) {
				chosen = binding;
				chosen_exact = exact;
			}
		} else {
			int written = snprintf(reasons + used, sizeof(reasons) - used, "%s%s",
					       used ? "; " : "", reason);
			if (written > 0 && (size_t)written < sizeof(reasons) - used)
				used += (size_t)written;
		}
	}
	if (candidates == 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s (%s in %s) matches no known binding: none names it in "
				       "'linux-symbols'",
				       function, signature, declared_in);
	if (!chosen)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: %s declares %s, which matches no known binding: %s", function,
				       declared_in, signature, reasons);
	instantiate(chosen, build, out);
	return TDXABI_OK;
}

