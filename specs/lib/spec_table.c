/* spec_table.c - parses spec revision tables (row syntax in specs/README.md
 * and spec_table.h); a revision based on another starts from a copy of its
 * rows, and a row for the same leaf, sub-function, status or field replaces
 * the inherited one. */
#include "spec_table.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_rows.h"

struct parse_state {
	struct spec_table *table;
	spec_resolver resolver;
	void *resolver_context;
	bool revision_failed;  /* the revision row was refused: what the table lacks is unknown */
	bool revision_missing; /* ... or there was none before the first row */
};

static enum tdxabi_status out_of_memory(struct diagnostic *diagnostic)
{
	return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
}

/* Stores a parsed row of one kind (leaf, sub-function, status or field):
 * over rows[existing], whose citation it frees, or appended when existing is
 * *count. `citation` is the offset of the row type's citation pointer, which
 * is freed with the row if there is no room. Tables hold a few hundred rows:
 * growing by one row, and searching for duplicates row by row, is simple and
 * cheap up to SPEC_MAX_ROWS. */
static enum tdxabi_status store_row(void **rows, size_t *count, size_t size, size_t existing,
				    const void *row, size_t citation, struct diagnostic *diagnostic)
{
	char *slot;
	if (existing < *count) {
		slot = (char *)*rows + existing * size;
		free(*(char **)(slot + citation));
	} else {
		char *grown = realloc(*rows, (*count + 1) * size);
		if (!grown) {
			free(*(char *const *)((const char *)row + citation));
			return out_of_memory(diagnostic);
		}
		*rows = grown;
		slot = grown + (*count)++ * size;
	}
	memcpy(slot, row, size);
	return TDXABI_OK;
}

static enum tdxabi_status copy_name(const struct table_row *row, const char *text, char *name,
				    struct diagnostic *diagnostic)
{
	if (strlen(text) >= SPEC_NAME_SIZE)
		return table_row_fail(row, diagnostic, "name '%.40s...' longer than %d bytes",
				      text, SPEC_NAME_SIZE - 1);
	strcpy(name, text);
	return TDXABI_OK;
}

static enum tdxabi_status copy_citation(const struct table_row *row, char **citation,
					struct diagnostic *diagnostic)
{
	if (!row->citation)
		return table_row_fail(row, diagnostic,
				      "row has no source citation (end it with '| src: ...')");
	if (!(*citation = strdup(row->citation)))
		return out_of_memory(diagnostic);
	return TDXABI_OK;
}

static enum tdxabi_status check_room(const struct table_row *row, size_t count, const char *kind,
				     struct diagnostic *diagnostic)
{
	if (count >= SPEC_MAX_ROWS)
		return table_row_fail(row, diagnostic, "more than %d %s rows", SPEC_MAX_ROWS, kind);
	return TDXABI_OK;
}

/* The "KEY: values" part of a leaf or sub-function row. */
struct row_attributes {
	register_set inputs;
	register_set zero_inputs;     /* zero-in: */
	register_set outputs;
	register_set error_outputs;
	register_set version_inputs;  /* v1-in: */
	register_set version_outputs; /* v1-out: */
	bool exits_to_vmm;
	bool outputs_from_td;         /* exits: td */
	register_set kept_under_no_rbp_mod; /* no-rbp-mod-keeps: */
	register_set zeroed_under_no_rbp_mod; /* no-rbp-mod-zeroes: */
	uint64_t output_flags[GPR_COUNT];     /* out-flags: REG:BIT */
	enum vector_clearing clears;          /* clears: xmm|ymm */
	bool never_returns;
	bool has_versions;
	unsigned max_version;
};

enum attribute_key {
	KEY_IN,
	KEY_OUT,
	KEY_EXITS,
	KEY_VERSIONS,
	KEY_RETURNS,
	KEY_VERSION_IN,
	KEY_VERSION_OUT,
	KEY_NO_RBP_MOD_KEEPS,
	KEY_ZERO_IN,
	KEY_NO_RBP_MOD_ZEROES,
	KEY_OUT_FLAGS,
	KEY_CLEARS,
	KEY_COUNT
};

static bool is_operand_key(int key)
{
	return key == KEY_IN || key == KEY_OUT || key == KEY_VERSION_IN || key == KEY_VERSION_OUT ||
	       key == KEY_NO_RBP_MOD_KEEPS || key == KEY_ZERO_IN || key == KEY_NO_RBP_MOD_ZEROES;
}

static int attribute_key(const char *field)
{
	static const char *const keys[KEY_COUNT] = {"in:",	"out:",	  "exits:", "versions:",
						    "returns:", "v1-in:", "v1-out:",
						    "no-rbp-mod-keeps:", "zero-in:",
						    "no-rbp-mod-zeroes:", "out-flags:", "clears:"};
	for (int key = 0; key < KEY_COUNT; key++)
		if (strcmp(field, keys[key]) == 0)
			return key;
	return -1;
}

static enum tdxabi_status add_operand(const struct table_row *row, const char *field,
				      enum attribute_key key, struct row_attributes *attributes,
				      struct diagnostic *diagnostic)
{
	size_t length = strlen(field);
	bool optional = length > 1 && field[length - 1] == '?';
	if (optional)
		length--;
	if (optional && key != KEY_OUT)
		return table_row_fail(row, diagnostic,
				      "'%s': only outputs can be conditional ('?')", field);
	enum gpr gpr;
	if (!gpr_parse(field, length, &gpr))
		return table_row_fail(row, diagnostic, "unknown register '%s'", field);
	if (key == KEY_NO_RBP_MOD_KEEPS || key == KEY_NO_RBP_MOD_ZEROES) {
		const char *name = key == KEY_NO_RBP_MOD_KEEPS ? "no-rbp-mod-keeps:"
							       : "no-rbp-mod-zeroes:";
		register_set *set = key == KEY_NO_RBP_MOD_KEEPS ? &attributes->kept_under_no_rbp_mod
								: &attributes->zeroed_under_no_rbp_mod;
		if (gpr != GPR_RBP)
			return table_row_fail(row, diagnostic, "%s '%s': NO_RBP_MOD is about RBP only",
					      name, field);
		if (*set & REGISTER_BIT(gpr))
			return table_row_fail(row, diagnostic, "register %s listed twice in %s",
					      gpr_display_name(gpr), name);
		*set |= REGISTER_BIT(gpr);
		return TDXABI_OK;
	}
	if (gpr == GPR_RAX || gpr == GPR_RSP)
		return table_row_fail(row, diagnostic,
				      "%s cannot be listed as an operand (RAX is the leaf and "
				      "status, RSP is never passed)",
				      gpr_display_name(gpr));
	register_set bit = REGISTER_BIT(gpr);
	if (key == KEY_ZERO_IN) {
		if (attributes->zero_inputs & bit)
			return table_row_fail(row, diagnostic, "register %s listed twice in zero-in:",
					      gpr_display_name(gpr));
		attributes->zero_inputs |= bit;
		return TDXABI_OK;
	}
	/* v1-in:/v1-out: add to what every version reads and writes */
	register_set inputs = attributes->inputs | attributes->version_inputs;
	register_set outputs = attributes->outputs | attributes->error_outputs |
			       attributes->version_outputs;
	bool is_input = key == KEY_IN || key == KEY_VERSION_IN;
	if ((is_input ? inputs : outputs) & bit)
		return table_row_fail(row, diagnostic, "register %s listed twice in %s", gpr_display_name(gpr),
				      is_input ? "the inputs" : "the outputs");
	register_set *set = key == KEY_IN	  ? &attributes->inputs
			    : key == KEY_VERSION_IN  ? &attributes->version_inputs
			    : key == KEY_VERSION_OUT ? &attributes->version_outputs
			    : optional		  ? &attributes->error_outputs
						  : &attributes->outputs;
	*set |= bit;
	return TDXABI_OK;
}

/* "rcx:63": bit 63 of output RCX is a flag the module may set. */
static enum tdxabi_status add_output_flag(const struct table_row *row, const char *field,
					  struct row_attributes *attributes,
					  struct diagnostic *diagnostic)
{
	const char *colon = strchr(field, ':');
	enum gpr gpr;
	uint64_t bit;
	if (!colon || !gpr_parse(field, (size_t)(colon - field), &gpr) ||
	    !parse_unsigned(colon + 1, &bit) || bit > 63)
		return table_row_fail(row, diagnostic,
				      "out-flags: '%s' is not REGISTER:BIT (a bit 0..63)", field);
	if (attributes->output_flags[gpr] & (1ull << bit))
		return table_row_fail(row, diagnostic, "out-flags: '%s' listed twice", field);
	attributes->output_flags[gpr] |= 1ull << bit;
	return TDXABI_OK;
}

static enum tdxabi_status add_value(const struct table_row *row, const char *field,
				    enum attribute_key key, struct row_attributes *attributes,
				    struct diagnostic *diagnostic)
{
	if (key == KEY_EXITS && strcmp(field, "vmm") == 0 && !attributes->exits_to_vmm &&
	    !attributes->outputs_from_td) {
		attributes->exits_to_vmm = true;
	} else if (key == KEY_EXITS && strcmp(field, "td") == 0 && !attributes->exits_to_vmm &&
		   !attributes->outputs_from_td) {
		attributes->outputs_from_td = true;
	} else if (key == KEY_EXITS && (attributes->exits_to_vmm || attributes->outputs_from_td)) {
		return table_row_fail(row, diagnostic, "exits: names more than one of vmm and td");
	} else if (key == KEY_RETURNS && strcmp(field, "never") == 0 && !attributes->never_returns) {
		attributes->never_returns = true;
	} else if (key == KEY_CLEARS && attributes->clears != VECTORS_KEPT) {
		return table_row_fail(row, diagnostic, "clears: takes one value, xmm or ymm");
	} else if (key == KEY_CLEARS && (strcmp(field, "xmm") == 0 || strcmp(field, "ymm") == 0)) {
		attributes->clears = field[0] == 'x' ? VECTORS_XMM_CLEARED : VECTORS_YMM_CLEARED;
	} else if (key == KEY_OUT_FLAGS) {
		return add_output_flag(row, field, attributes, diagnostic);
	} else if (key == KEY_VERSIONS && !attributes->has_versions) {
		uint64_t version;
		if (!parse_unsigned(field, &version) || version > 255)
			return table_row_fail(row, diagnostic, "versions: '%s' is not 0..255", field);
		attributes->has_versions = true;
		attributes->max_version = (unsigned)version;
	} else {
		static const char *const expected[KEY_COUNT] = {"", "", "vmm or td", "a number", "never",
								"", "", "", "", "", "REG:BIT",
								"xmm or ymm"};
		return table_row_fail(row, diagnostic, "unexpected '%s' (expected %s)", field,
				      expected[key]);
	}
	return TDXABI_OK;
}

static enum tdxabi_status parse_attributes(const struct table_row *row, size_t first,
					   struct row_attributes *attributes,
					   struct diagnostic *diagnostic)
{
	memset(attributes, 0, sizeof(*attributes));
	int key = -1;
	bool seen[KEY_COUNT] = {false};
	size_t values = 0; /* after the current key */
	for (size_t index = first; index <= row->field_count; index++) {
		const char *field = index < row->field_count ? row->fields[index] : NULL;
		int found = field ? attribute_key(field) : -1;
		if (key >= 0 && values == 0 && (!field || found >= 0))
			return table_row_fail(row, diagnostic, "'%s' has no value%s",
					      row->fields[index - 1],
					      is_operand_key(key) ? " (use '-' for none)" : "");
		if (!field)
			break;
		if (found >= 0) {
			if (seen[found])
				return table_row_fail(row, diagnostic, "'%s' given twice", field);
			seen[found] = true;
			key = found;
			values = 0;
			continue;
		}
		values++;
		if (key < 0)
			return table_row_fail(row, diagnostic,
					      "unexpected '%s' (expected 'in:' or 'out:')", field);
		if (strcmp(field, "-") == 0 && is_operand_key(key))
			continue;
		enum tdxabi_status status =
			is_operand_key(key)
				? add_operand(row, field, (enum attribute_key)key, attributes, diagnostic)
				: add_value(row, field, (enum attribute_key)key, attributes, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	if (!seen[KEY_IN] || !seen[KEY_OUT])
		return table_row_fail(row, diagnostic, "row needs both 'in:' and 'out:' (use '-' for none)");
	if ((seen[KEY_VERSION_IN] || seen[KEY_VERSION_OUT]) && attributes->max_version < 1)
		return table_row_fail(row, diagnostic,
				      "'v1-in:' and 'v1-out:' need 'versions: 1' or more");
	if (attributes->zero_inputs & ~(attributes->inputs | attributes->version_inputs))
		return table_row_fail(row, diagnostic,
				      "zero-in: names a register that in: (or v1-in:) does not list");
	return TDXABI_OK;
}

static bool has_output_flags(const struct row_attributes *attributes)
{
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (attributes->output_flags[gpr])
			return true;
	return false;
}

/* Replaces an inherited row, or refuses a duplicate of this file's own. */
static enum tdxabi_status claim_slot(const struct table_row *row, bool exists, bool inherited,
				     const char *what, struct diagnostic *diagnostic)
{
	if (exists && !inherited)
		return table_row_fail(row, diagnostic, "duplicate %s", what);
	return TDXABI_OK;
}

static enum tdxabi_status parse_leaf(struct spec_table *table, const struct table_row *row,
				     enum tdx_instruction instruction, bool seamldr,
				     struct diagnostic *diagnostic)
{
	const char *kind = seamldr ? "seamldr" : tdx_instruction_name(instruction);
	if (row->field_count < 3)
		return table_row_fail(row, diagnostic, "expected '%s NUMBER NAME in: ... out: ...'", kind);
	uint64_t number;
	if (!parse_unsigned(row->fields[1], &number) || number > 0xFFFF)
		return table_row_fail(row, diagnostic, "leaf number '%s' is not 0..0xffff",
				      row->fields[1]);
	struct spec_leaf leaf = {.instruction = instruction, .seamldr = seamldr,
				 .number = (uint16_t)number, .line = row->line};
	enum tdxabi_status status = copy_name(row, row->fields[2], leaf.name, diagnostic);
	struct row_attributes attributes;
	if (status == TDXABI_OK)
		status = parse_attributes(row, 3, &attributes, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (attributes.exits_to_vmm && (instruction != TDX_TDCALL || seamldr))
		return table_row_fail(row, diagnostic, "only a TDCALL leaf can exit to the VMM");
	if (attributes.outputs_from_td && (instruction != TDX_SEAMCALL || seamldr))
		return table_row_fail(row, diagnostic,
				      "only a SEAMCALL leaf enters the TD and returns its values (exits: td)");
	/* on a leaf that exits to the VMM, the kept register is one the module
	 * refuses to expose in a NO_RBP_MOD TD, not an output */
	if (!attributes.exits_to_vmm && (attributes.kept_under_no_rbp_mod & ~attributes.outputs))
		return table_row_fail(row, diagnostic,
				      "no-rbp-mod-keeps: names a register that out: does not list");
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (attributes.output_flags[gpr] &&
		    !register_set_has(attributes.outputs | attributes.version_outputs, (enum gpr)gpr))
			return table_row_fail(row, diagnostic,
					      "out-flags: names %s, which out: (or v1-out:) does not list",
					      gpr_display_name((enum gpr)gpr));
	if (attributes.zeroed_under_no_rbp_mod & ~attributes.outputs)
		return table_row_fail(row, diagnostic,
				      "no-rbp-mod-zeroes: names a register that out: does not list");
	if (attributes.zeroed_under_no_rbp_mod & attributes.kept_under_no_rbp_mod)
		return table_row_fail(row, diagnostic,
				      "a register is either kept or zeroed under NO_RBP_MOD: "
				      "no-rbp-mod-keeps: and no-rbp-mod-zeroes: name the same one");
	if (attributes.exits_to_vmm && attributes.zero_inputs)
		return table_row_fail(row, diagnostic,
				      "a leaf that exits to the VMM hands its registers to the VMM: "
				      "zero-in: is for leaves the module answers");
	if (attributes.exits_to_vmm && (attributes.outputs | attributes.error_outputs))
		return table_row_fail(row, diagnostic,
				      "a leaf that exits to the VMM returns what its RCX mask exposes: "
				      "its out: must be '-'");
	if (attributes.never_returns)
		return table_row_fail(row, diagnostic, "'returns: never' is for sub-function rows");
	if (attributes.clears && (instruction != TDX_SEAMCALL || seamldr || attributes.outputs_from_td))
		return table_row_fail(row, diagnostic,
				      "clears: is for SEAMCALL leaves the module itself runs (not the "
				      "P-SEAMLDR's, not TDH.VP.ENTER's TD exits)");
	if (attributes.has_versions && seamldr)
		return table_row_fail(row, diagnostic, "P-SEAMLDR leaves have no versions");
	if (attributes.zero_inputs && seamldr)
		return table_row_fail(row, diagnostic,
				      "zero-in: is for the TDX module's leaves, not the P-SEAMLDR's");
	if (attributes.has_versions && attributes.exits_to_vmm)
		return table_row_fail(row, diagnostic,
				      "a leaf that exits to the VMM has no versions (stubs issue it "
				      "with RAX = its number)");
	leaf.inputs = attributes.inputs;
	leaf.zero_inputs = attributes.zero_inputs;
	leaf.outputs = attributes.outputs;
	leaf.error_outputs = attributes.error_outputs;
	leaf.version_inputs = attributes.version_inputs;
	leaf.version_outputs = attributes.version_outputs;
	leaf.exits_to_vmm = attributes.exits_to_vmm;
	leaf.outputs_from_td = attributes.outputs_from_td;
	leaf.kept_under_no_rbp_mod = attributes.kept_under_no_rbp_mod;
	leaf.zeroed_under_no_rbp_mod = attributes.zeroed_under_no_rbp_mod;
	memcpy(leaf.output_flags, attributes.output_flags, sizeof(leaf.output_flags));
	leaf.clears = attributes.clears;
	leaf.max_version = (uint8_t)attributes.max_version;

	const struct spec_leaf *existing = seamldr ? spec_table_find_seamldr(table, leaf.number)
						   : spec_table_find_leaf(table, instruction, leaf.number);
	char what[96];
	snprintf(what, sizeof(what), "%s leaf number %u", kind, leaf.number);
	if ((status = claim_slot(row, existing, existing && existing->inherited, what, diagnostic)))
		return status;
	/* clashes with inherited rows are judged once the whole table is read
	 * (check_whole_table), since a later row may rename the inherited one */
	const struct spec_leaf *named = spec_table_find_leaf_by_name(table, leaf.name);
	if (named && named != existing && !named->inherited)
		return table_row_fail(row, diagnostic, "duplicate leaf name %s", leaf.name);
	const struct spec_leaf *vmm = spec_table_vmcall_leaf(table);
	if (leaf.exits_to_vmm && vmm && vmm != existing && !vmm->inherited)
		return table_row_fail(row, diagnostic, "a second leaf that exits to the VMM");
	if (!existing && (status = check_room(row, table->leaf_count, "leaf", diagnostic)))
		return status;
	if ((status = copy_citation(row, &leaf.citation, diagnostic)))
		return status;
	return store_row((void **)&table->leaves, &table->leaf_count, sizeof(leaf),
			 existing ? (size_t)(existing - table->leaves) : table->leaf_count, &leaf,
			 offsetof(struct spec_leaf, citation), diagnostic);
}

static enum tdxabi_status parse_vmcall(struct spec_table *table, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	if (row->field_count < 3)
		return table_row_fail(row, diagnostic,
				      "expected 'vmcall SUBFUNCTION|vendor NAME in: ... out: ...'");
	struct spec_vmcall vmcall = {.line = row->line, .vendor = strcmp(row->fields[1], "vendor") == 0};
	if (!vmcall.vendor && !parse_unsigned(row->fields[1], &vmcall.subfunction))
		return table_row_fail(row, diagnostic,
				      "sub-function '%s' is not a number (or 'vendor')", row->fields[1]);
	enum tdxabi_status status = copy_name(row, row->fields[2], vmcall.name, diagnostic);
	struct row_attributes attributes;
	if (status == TDXABI_OK)
		status = parse_attributes(row, 3, &attributes, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (attributes.exits_to_vmm || attributes.error_outputs || attributes.has_versions ||
	    attributes.version_inputs || attributes.version_outputs || attributes.outputs_from_td ||
	    attributes.kept_under_no_rbp_mod || attributes.zero_inputs ||
	    attributes.zeroed_under_no_rbp_mod || has_output_flags(&attributes) || attributes.clears)
		return table_row_fail(row, diagnostic,
				      "a sub-function row takes only 'in:', 'out:' and 'returns:'");
	if (attributes.never_returns && attributes.outputs)
		return table_row_fail(row, diagnostic,
				      "a sub-function that never returns has no outputs: out: must be '-'");
	register_set implicit = REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_R10);
	if ((attributes.inputs | attributes.outputs) & implicit)
		return table_row_fail(row, diagnostic,
				      "RCX (the exposure mask) and R10 (standard/vendor, then "
				      "status) are implicit in a sub-function row");
	if (!vmcall.vendor && (attributes.inputs & REGISTER_BIT(GPR_R11)))
		return table_row_fail(row, diagnostic,
				      "R11 input is the sub-function number, implicit in the row");
	vmcall.inputs = attributes.inputs;
	vmcall.outputs = attributes.outputs;
	vmcall.never_returns = attributes.never_returns;

	const struct spec_vmcall *existing = vmcall.vendor
						     ? spec_table_vendor_vmcall(table)
						     : spec_table_find_vmcall(table, vmcall.subfunction);
	char what[96];
	if (vmcall.vendor)
		snprintf(what, sizeof(what), "vendor sub-function (one per table)");
	else
		snprintf(what, sizeof(what), "sub-function 0x%llx",
			 (unsigned long long)vmcall.subfunction);
	if ((status = claim_slot(row, existing, existing && existing->inherited, what, diagnostic)))
		return status;
	const struct spec_vmcall *named = spec_table_find_vmcall_by_name(table, vmcall.name);
	if (named && named != existing && !named->inherited)
		return table_row_fail(row, diagnostic, "duplicate sub-function name %s", vmcall.name);
	if (!existing && (status = check_room(row, table->vmcall_count, "vmcall", diagnostic)))
		return status;
	if ((status = copy_citation(row, &vmcall.citation, diagnostic)))
		return status;
	return store_row((void **)&table->vmcalls, &table->vmcall_count, sizeof(vmcall),
			 existing ? (size_t)(existing - table->vmcalls) : table->vmcall_count, &vmcall,
			 offsetof(struct spec_vmcall, citation), diagnostic);
}

static enum tdxabi_status parse_status(struct spec_table *table, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	if (row->field_count != 3)
		return table_row_fail(row, diagnostic, "expected 'status NAME VALUE'");
	struct spec_status entry = {.line = row->line};
	enum tdxabi_status status = copy_name(row, row->fields[1], entry.name, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (!parse_unsigned(row->fields[2], &entry.value))
		return table_row_fail(row, diagnostic, "status value '%s' is not a 64-bit number",
				      row->fields[2]);
	const struct spec_status *existing = spec_table_find_status(table, entry.name);
	char what[96];
	snprintf(what, sizeof(what), "status %s", entry.name);
	if ((status = claim_slot(row, existing, existing && existing->inherited, what, diagnostic)))
		return status;
	if (!existing && (status = check_room(row, table->status_count, "status", diagnostic)))
		return status;
	if ((status = copy_citation(row, &entry.citation, diagnostic)))
		return status;
	return store_row((void **)&table->statuses, &table->status_count, sizeof(entry),
			 existing ? (size_t)(existing - table->statuses) : table->status_count, &entry,
			 offsetof(struct spec_status, citation), diagnostic);
}

static enum tdxabi_status parse_status_field(struct spec_table *table, const struct table_row *row,
					     struct diagnostic *diagnostic)
{
	if (row->field_count != 3)
		return table_row_fail(row, diagnostic, "expected 'status-field NAME HIGH[:LOW]'");
	struct spec_status_field field = {.line = row->line};
	enum tdxabi_status status = copy_name(row, row->fields[1], field.name, diagnostic);
	if (status != TDXABI_OK)
		return status;
	char bits[8];
	bool fits = strlen(row->fields[2]) < sizeof(bits);
	snprintf(bits, sizeof(bits), "%s", row->fields[2]);
	char *colon = strchr(bits, ':');
	uint64_t high, low;
	if (colon)
		*colon = '\0';
	if (!fits || !parse_unsigned(bits, &high) ||
	    (colon ? !parse_unsigned(colon + 1, &low) : (low = high, false)) || high > 63 ||
	    low > high)
		return table_row_fail(row, diagnostic, "bits '%s' are not HIGH[:LOW] within 63..0",
				      row->fields[2]);
	field.high = (unsigned)high;
	field.low = (unsigned)low;
	size_t existing = table->status_field_count;
	for (size_t index = 0; index < table->status_field_count; index++) {
		const struct spec_status_field *other = &table->status_fields[index];
		if (strcmp(other->name, field.name) == 0) {
			if (!other->inherited)
				return table_row_fail(row, diagnostic, "duplicate status field %s", field.name);
			existing = index;
		} else if (!other->inherited && field.low <= other->high && other->low <= field.high) {
			return table_row_fail(row, diagnostic, "status field %s overlaps %s (bits %u:%u)",
					      field.name, other->name, other->high, other->low);
		}
	}
	if ((status = copy_citation(row, &field.citation, diagnostic)))
		return status;
	return store_row((void **)&table->status_fields, &table->status_field_count, sizeof(field),
			 existing, &field, offsetof(struct spec_status_field, citation), diagnostic);
}

/* Copies every row of the base revision, marked inherited. */
static enum tdxabi_status inherit(struct spec_table *table, const struct spec_table *base,
				  struct diagnostic *diagnostic)
{
	table->leaves = calloc(base->leaf_count + 1, sizeof(*table->leaves));
	table->vmcalls = calloc(base->vmcall_count + 1, sizeof(*table->vmcalls));
	table->statuses = calloc(base->status_count + 1, sizeof(*table->statuses));
	table->status_fields = calloc(base->status_field_count + 1, sizeof(*table->status_fields));
	if (!table->leaves || !table->vmcalls || !table->statuses || !table->status_fields)
		return out_of_memory(diagnostic);
	bool ok = true;
	for (size_t index = 0; index < base->leaf_count; index++, table->leaf_count++) {
		table->leaves[index] = base->leaves[index];
		table->leaves[index].inherited = true;
		ok &= (table->leaves[index].citation = strdup(base->leaves[index].citation)) != NULL;
	}
	for (size_t index = 0; index < base->vmcall_count; index++, table->vmcall_count++) {
		table->vmcalls[index] = base->vmcalls[index];
		table->vmcalls[index].inherited = true;
		ok &= (table->vmcalls[index].citation = strdup(base->vmcalls[index].citation)) != NULL;
	}
	for (size_t index = 0; index < base->status_count; index++, table->status_count++) {
		table->statuses[index] = base->statuses[index];
		table->statuses[index].inherited = true;
		ok &= (table->statuses[index].citation = strdup(base->statuses[index].citation)) != NULL;
	}
	for (size_t index = 0; index < base->status_field_count; index++, table->status_field_count++) {
		table->status_fields[index] = base->status_fields[index];
		table->status_fields[index].inherited = true;
		ok &= (table->status_fields[index].citation =
			       strdup(base->status_fields[index].citation)) != NULL;
	}
	return ok ? TDXABI_OK : out_of_memory(diagnostic);
}

/* A refused revision row still names the table (a placeholder if need be),
 * so that the rows after it are read and judged on their own. */
static enum tdxabi_status parse_revision(struct parse_state *state, const struct table_row *row,
					 struct diagnostic *diagnostic)
{
	struct spec_table *table = state->table;
	if (table->revision[0])
		return table_row_fail(row, diagnostic, "a second 'revision' row");
	bool based = row->field_count == 4 && strcmp(row->fields[2], "based-on") == 0;
	enum tdxabi_status status =
		row->field_count != 2 && !based
			? table_row_fail(row, diagnostic,
					 "expected 'revision NAME [based-on REVISION]'")
			: copy_name(row, row->fields[1], table->revision, diagnostic);
	if (status == TDXABI_OK && based) {
		const struct spec_table *base =
			state->resolver ? state->resolver(state->resolver_context, row->fields[3])
					: NULL;
		if (!base) {
			status = table_row_fail(row, diagnostic,
						"based on '%s', which is not a known revision",
						row->fields[3]);
		} else {
			snprintf(table->based_on, sizeof(table->based_on), "%s", base->revision);
			status = inherit(table, base, diagnostic);
		}
	}
	if (status == TDXABI_OK)
		status = copy_citation(row, &table->citation, diagnostic);
	if (status != TDXABI_OK) {
		state->revision_failed = true;
		if (!table->revision[0])
			snprintf(table->revision, sizeof(table->revision), "?");
	}
	return status;
}

static enum tdxabi_status parse_row(void *context, const struct table_row *row,
				    struct diagnostic *diagnostic)
{
	struct parse_state *state = context;
	struct spec_table *table = state->table;
	const char *kind = row->fields[0];
	if (strcmp(kind, "revision") == 0)
		return parse_revision(state, row, diagnostic);
	if (!table->revision[0]) {
		/* said once: the rows after it are read as if it had been given */
		state->revision_failed = state->revision_missing = true;
		snprintf(table->revision, sizeof(table->revision), "?");
		return table_row_fail(row, diagnostic, "the first row must be 'revision NAME'");
	}
	enum tdx_instruction instruction;
	if (tdx_instruction_parse(kind, &instruction))
		return parse_leaf(table, row, instruction, false, diagnostic);
	if (strcmp(kind, "seamldr") == 0)
		return parse_leaf(table, row, TDX_SEAMCALL, true, diagnostic);
	if (strcmp(kind, "vmcall") == 0)
		return parse_vmcall(table, row, diagnostic);
	if (strcmp(kind, "status") == 0)
		return parse_status(table, row, diagnostic);
	if (strcmp(kind, "status-field") == 0)
		return parse_status_field(table, row, diagnostic);
	return table_row_fail(row, diagnostic,
			      "unknown row kind '%s' (expected revision, tdcall, seamcall, seamldr, "
			      "vmcall, status or status-field)",
			      kind);
}

static enum tdxabi_status start(struct spec_table *table, const char *file_name,
				struct diagnostic *diagnostic)
{
	memset(table, 0, sizeof(*table));
	if (!(table->file_name = strdup(file_name)))
		return out_of_memory(diagnostic);
	return TDXABI_OK;
}

/* Reports a problem of the whole table at the line of the row that brought
 * it: the file's own row rather than an inherited one. */
static size_t report_at(const struct spec_table *table, unsigned line, bool inherited,
			spec_problem_reporter report, void *context, const char *format, ...)
	__attribute__((format(printf, 6, 7)));

static size_t report_at(const struct spec_table *table, unsigned line, bool inherited,
			spec_problem_reporter report, void *context, const char *format, ...)
{
	char message[DIAGNOSTIC_TEXT_SIZE];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof(message), format, arguments);
	va_end(arguments);
	struct diagnostic diagnostic;
	if (inherited)
		diagnostic_fail(&diagnostic, TDXABI_BAD_INPUT, "%s: %s", table->file_name, message);
	else
		diagnostic_fail(&diagnostic, TDXABI_BAD_INPUT, "%s:%u: %s", table->file_name, line,
				message);
	report(context, &diagnostic);
	return 1;
}

/* What only the whole table shows: names unique across leaves and
 * sub-functions, one leaf exiting to the VMM (and one where there are
 * sub-functions), status fields apart; inherited rows included, since a row
 * of the file may have renamed or moved them. */
static size_t check_whole_table(const struct spec_table *table, spec_problem_reporter report,
				void *context)
{
	size_t problems = 0;
	const struct spec_leaf *vmm = NULL;
	for (size_t index = 0; index < table->leaf_count; index++) {
		const struct spec_leaf *leaf = &table->leaves[index];
		for (size_t other = 0; other < index; other++) {
			const struct spec_leaf *earlier = &table->leaves[other];
			const struct spec_leaf *at = leaf->inherited ? earlier : leaf;
			if (strcmp(earlier->name, leaf->name) == 0)
				problems += report_at(table, at->line, at->inherited, report, context,
						      "duplicate leaf name %s", leaf->name);
		}
		for (size_t other = 0; other < table->vmcall_count; other++) {
			const struct spec_vmcall *vmcall = &table->vmcalls[other];
			bool at_leaf = !leaf->inherited || vmcall->inherited;
			if (strcmp(vmcall->name, leaf->name) == 0)
				problems += report_at(table, at_leaf ? leaf->line : vmcall->line,
						      at_leaf ? leaf->inherited : false, report, context,
						      "%s names both a leaf and a sub-function",
						      leaf->name);
		}
		if (leaf->exits_to_vmm && vmm) {
			const struct spec_leaf *at = leaf->inherited ? vmm : leaf;
			problems += report_at(table, at->line, at->inherited, report, context,
					      "a second leaf that exits to the VMM");
		}
		if (leaf->exits_to_vmm)
			vmm = leaf;
	}
	for (size_t index = 0; index < table->vmcall_count; index++) {
		const struct spec_vmcall *vmcall = &table->vmcalls[index];
		for (size_t other = 0; other < index; other++) {
			const struct spec_vmcall *earlier = &table->vmcalls[other];
			const struct spec_vmcall *at = vmcall->inherited ? earlier : vmcall;
			if (strcmp(earlier->name, vmcall->name) == 0)
				problems += report_at(table, at->line, at->inherited, report, context,
						      "duplicate sub-function name %s", vmcall->name);
		}
	}
	if (table->vmcall_count && !vmm)
		problems += report_at(table, table->vmcalls[0].line, table->vmcalls[0].inherited,
				      report, context,
				      "sub-functions, but no leaf that exits to the VMM (exits: vmm)");
	for (size_t index = 0; index < table->status_field_count; index++) {
		const struct spec_status_field *field = &table->status_fields[index];
		for (size_t other = 0; other < index; other++) {
			const struct spec_status_field *earlier = &table->status_fields[other];
			const struct spec_status_field *at = field->inherited ? earlier : field;
			const struct spec_status_field *with = at == field ? earlier : field;
			if (field->low <= earlier->high && earlier->low <= field->high)
				problems += report_at(table, at->line, at->inherited, report, context,
						      "status field %s overlaps %s (bits %u:%u)",
						      at->name, with->name, with->high, with->low);
		}
	}
	return problems;
}

/* The statuses the models answer with. */
static size_t check_statuses(const struct spec_table *table, spec_problem_reporter report,
			     void *context)
{
	static const char *const needed[] = {"TDX_SUCCESS", "TDX_OPERAND_INVALID",
					     "TDVMCALL_STATUS_INVALID_OPERAND"};
	size_t problems = 0;
	for (size_t index = 0; index < sizeof(needed) / sizeof(needed[0]); index++)
		if (!spec_table_find_status(table, needed[index]))
			problems += report_at(table, 0, true, report, context,
					      "no status %s, which the module model answers with",
					      needed[index]);
	bool has_seamldr = false;
	for (size_t index = 0; index < table->leaf_count; index++)
		has_seamldr |= table->leaves[index].seamldr;
	static const char *const seamldr_needed[] = {"PSEAMLDR_SUCCESS", "PSEAMLDR_EBADPARAM"};
	for (size_t index = 0; has_seamldr && index < 2; index++)
		if (!spec_table_find_status(table, seamldr_needed[index]))
			problems += report_at(table, 0, true, report, context,
					      "P-SEAMLDR leaves but no status %s to answer them with",
					      seamldr_needed[index]);
	return problems;
}

/* Keeps the first problem of a parse. */
struct first_problem {
	bool found;
	struct diagnostic diagnostic;
};

static void keep_first(void *context, const struct diagnostic *problem)
{
	struct first_problem *first = context;
	if (!first->found)
		first->diagnostic = *problem;
	first->found = true;
}

enum tdxabi_status spec_table_parse(const char *text, size_t length, const char *file_name,
				    spec_resolver resolver, void *resolver_context,
				    struct spec_table *table, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = start(table, file_name, diagnostic);
	struct parse_state state = {table, resolver, resolver_context, false, false};
	if (status == TDXABI_OK)
		status = table_rows_each(table->file_name, text, length, parse_row, &state, diagnostic);
	if (status == TDXABI_OK && !table->revision[0])
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: no 'revision' row: not a spec table", file_name);
	struct first_problem first = {false, {""}};
	if (status == TDXABI_OK && check_whole_table(table, keep_first, &first)) {
		*diagnostic = first.diagnostic;
		status = TDXABI_BAD_INPUT;
	}
	if (status != TDXABI_OK)
		spec_table_free(table);
	return status;
}

/* At most this many problems are printed per table: past the first, most are
 * the consequences of one mistake (or the file is not a table at all). */
#define LINT_SHOWN_PROBLEMS 50

struct lint_output {
	spec_problem_reporter report;
	void *context;
	size_t problems;
};

static void lint_report(void *context, const struct diagnostic *problem)
{
	struct lint_output *output = context;
	if (output->problems++ < LINT_SHOWN_PROBLEMS)
		output->report(output->context, problem);
}

size_t spec_table_lint(const char *text, size_t length, const char *file_name,
		       spec_resolver resolver, void *resolver_context, spec_problem_reporter report,
		       void *report_context)
{
	struct spec_table table;
	struct diagnostic diagnostic;
	if (start(&table, file_name, &diagnostic) != TDXABI_OK) {
		report(report_context, &diagnostic);
		return 1;
	}
	struct lint_output output = {report, report_context, 0};
	struct parse_state state = {&table, resolver, resolver_context, false, false};
	table_rows_each_collecting(table.file_name, text, length, parse_row, &state, lint_report,
				   &output);
	if (!table.revision[0] || state.revision_missing)
		report_at(&table, 0, true, lint_report, &output, "no 'revision' row: not a spec table");
	check_whole_table(&table, lint_report, &output);
	/* what a refused revision row would have brought is unknown */
	if (!state.revision_failed)
		check_statuses(&table, lint_report, &output);
	if (output.problems > LINT_SHOWN_PROBLEMS) {
		diagnostic_fail(&diagnostic, TDXABI_BAD_INPUT, "%s: %zu more problems not shown",
				file_name, output.problems - LINT_SHOWN_PROBLEMS);
		report(report_context, &diagnostic);
	}
	spec_table_free(&table);
	return output.problems;
}

void spec_table_free(struct spec_table *table)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		free(table->leaves[index].citation);
	for (size_t index = 0; index < table->vmcall_count; index++)
		free(table->vmcalls[index].citation);
	for (size_t index = 0; index < table->status_count; index++)
		free(table->statuses[index].citation);
	for (size_t index = 0; index < table->status_field_count; index++)
		free(table->status_fields[index].citation);
	free(table->leaves);
	free(table->vmcalls);
	free(table->statuses);
	free(table->status_fields);
	free(table->citation);
	free(table->file_name);
	memset(table, 0, sizeof(*table));
}

const struct spec_leaf *spec_table_find_leaf(const struct spec_table *table,
					     enum tdx_instruction instruction, uint16_t number)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (!table->leaves[index].seamldr && table->leaves[index].instruction == instruction &&
		    table->leaves[index].number == number)
			return &table->leaves[index];
	return NULL;
}

const struct spec_leaf *spec_table_find_seamldr(const struct spec_table *table, uint16_t number)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (table->leaves[index].seamldr && table->leaves[index].number == number)
			return &table->leaves[index];
	return NULL;
}

const struct spec_leaf *spec_table_find_leaf_by_name(const struct spec_table *table,
						     const char *name)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (strcmp(table->leaves[index].name, name) == 0)
			return &table->leaves[index];
	return NULL;
}

const struct spec_leaf *spec_table_vmcall_leaf(const struct spec_table *table)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (table->leaves[index].exits_to_vmm)
			return &table->leaves[index];
	return NULL;
}

const struct spec_vmcall *spec_table_find_vmcall(const struct spec_table *table,
						 uint64_t subfunction)
{
	for (size_t index = 0; index < table->vmcall_count; index++)
		if (!table->vmcalls[index].vendor && table->vmcalls[index].subfunction == subfunction)
			return &table->vmcalls[index];
	return NULL;
}

const struct spec_vmcall *spec_table_vendor_vmcall(const struct spec_table *table)
{
	for (size_t index = 0; index < table->vmcall_count; index++)
		if (table->vmcalls[index].vendor)
			return &table->vmcalls[index];
	return NULL;
}

const struct spec_vmcall *spec_table_find_vmcall_by_name(const struct spec_table *table,
							 const char *name)
{
	for (size_t index = 0; index < table->vmcall_count; index++)
		if (strcmp(table->vmcalls[index].name, name) == 0)
			return &table->vmcalls[index];
	return NULL;
}

const struct spec_status *spec_table_find_status(const struct spec_table *table,
						 const char *name)
{
	for (size_t index = 0; index < table->status_count; index++)
		if (strcmp(table->statuses[index].name, name) == 0)
			return &table->statuses[index];
	return NULL;
}

register_set spec_leaf_inputs(const struct spec_leaf *leaf, unsigned version)
{
	return leaf->inputs | (version >= 1 ? leaf->version_inputs : 0);
}

register_set spec_leaf_outputs(const struct spec_leaf *leaf, unsigned version,
			       enum td_config td_config)
{
	register_set outputs = leaf->outputs | (version >= 1 ? leaf->version_outputs : 0);
	return td_config == TD_CONFIG_NO_RBP_MOD
		       ? outputs & ~(leaf->kept_under_no_rbp_mod | leaf->zeroed_under_no_rbp_mod)
		       : outputs;
}

register_set spec_leaf_zeroed(const struct spec_leaf *leaf, enum td_config td_config)
{
	return td_config == TD_CONFIG_NO_RBP_MOD ? leaf->zeroed_under_no_rbp_mod : 0;
}

const char *vector_clearing_name(enum vector_clearing clearing)
{
	static const char *const names[] = {"none", "XMM0-15", "YMM0-15"};
	return names[clearing];
}

bool spec_leaf_next_flag(const struct spec_leaf *leaf, unsigned *position, enum gpr *gpr,
			 unsigned *bit)
{
	for (; *position < GPR_COUNT * 64; (*position)++) {
		unsigned register_index = *position / 64, index = *position % 64;
		if (leaf->output_flags[register_index] >> index & 1) {
			*gpr = (enum gpr)register_index;
			*bit = index;
			(*position)++;
			return true;
		}
	}
	return false;
}

uint64_t spec_leaf_rax(const struct spec_leaf *leaf, unsigned version)
{
	return (leaf->seamldr ? SEAMLDR_LEAF_BIT : 0) | (uint64_t)(version & 0xFF) << 16 | leaf->number;
}

void spec_table_describe_status(const struct spec_table *table, uint64_t value, char *text,
				size_t size)
{
	size_t used = 0;
	text[0] = '\0';
	for (size_t index = 0; index < table->status_field_count && used < size; index++) {
		const struct spec_status_field *field = &table->status_fields[index];
		unsigned width = field->high - field->low + 1;
		uint64_t bits = (value >> field->low) & (width == 64 ? ~0ull : (1ull << width) - 1);
		if (bits == 0)
			continue;
		int written = width == 1 ? snprintf(text + used, size - used, "%s%s", used ? ", " : "",
						    field->name)
					 : snprintf(text + used, size - used, "%s%s 0x%llx",
						    used ? ", " : "", field->name,
						    (unsigned long long)bits);
		if (written < 0)
			break;
		used += (size_t)written;
	}
}
