/* static_audit.h - what a stub does on every path, without running it: the
 * control-flow graph from its entry (jumps, branches, the environment's
 * fixups of each TDX instruction), the registers it reads before writing
 * and writes, the callee-saved registers some path leaves changed, the stack
 * depth at every return, each TDX instruction's #UD/#GP coverage and the
 * registers every path writes after it (its scrub set). */
#ifndef TDXABI_STATIC_AUDIT_H
#define TDXABI_STATIC_AUDIT_H

#include "check_result.h"
#include "machine.h"
#include "object_image.h"

#define AUDIT_MAX_TDX 8
#define AUDIT_MAX_RETURNS 32
#define AUDIT_MAX_BLOCKS 256
#define AUDIT_MAX_NOTES 16
#define AUDIT_MAX_FINDINGS 32
#define AUDIT_NOTE_SIZE 160

struct audit_block {
	uint64_t start, end;   /* [start, end) */
	uint64_t successors[4]; /* in the object; the fixups of a TDX instruction too */
	size_t successor_count;
	bool leaves;           /* returns, stops, or goes where the walk does not follow */
};

enum audit_depth { DEPTH_KNOWN, DEPTH_CONFLICT /* paths disagree */, DEPTH_UNKNOWN };

struct audit_return {
	uint64_t address;
	bool thunk;              /* a jump to the environment's return thunk */
	enum audit_depth depth_kind;
	int64_t depth;           /* DEPTH_KNOWN: bytes still pushed (0: balanced) */
	register_set unrestored; /* callee-saved registers some path leaves changed */
};

struct audit_fixup {
	enum trap_resolution resolution;
	uint64_t resume;         /* TRAP_FIXED */
};

struct audit_tdx {
	uint64_t address;
	enum tdx_opcode opcode;
	struct audit_fixup undefined_opcode, general_protection; /* #UD, #GP */
	register_set scrubbed;   /* written after it on every path to a return */
	bool reaches_return;
};

struct audit_result {
	char function[RESULT_NAME_SIZE];
	uint64_t entry;
	size_t instruction_count;
	struct audit_block blocks[AUDIT_MAX_BLOCKS];
	size_t block_count;
	register_set reads_before_writes; /* read on some path before any write */
	register_set writes;              /* written by its instructions on some path */
	register_set callee_saved;        /* of its calling convention */
	int64_t max_depth;
	struct audit_return returns[AUDIT_MAX_RETURNS];
	size_t return_count;
	struct audit_tdx tdx[AUDIT_MAX_TDX];
	size_t tdx_count;
	char notes[AUDIT_MAX_NOTES][AUDIT_NOTE_SIZE]; /* what the walk did not follow */
	size_t note_count;
	/* stack-imbalance, callee-saved-clobbered, fault-unhandled: as a check's */
	struct violation findings[AUDIT_MAX_FINDINGS];
	size_t finding_count;
};

struct audit_request {
	const struct object_image *image;
	const char *symbol;
	const char *abi_name;      /* for the findings' text */
	register_set callee_saved;
	const struct machine_environment *environment; /* its fixups and return thunks */
	const char *fixups;        /* where the environment's fixups live, or NULL: none */
	bool fixup_promised[2];    /* the binding promises an outcome for #UD, #GP */
};

enum tdxabi_status static_audit_run(const struct audit_request *request,
				    struct audit_result *result, struct diagnostic *diagnostic);

#endif
