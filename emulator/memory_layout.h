/* memory_layout.h - where everything lives in the emulated address space.
 * All of it sits below 2 GiB so that R_X86_64_32S and PC32 relocations of any
 * object resolve; poison tags (0x7DA...) are never mapped. */
#ifndef TDXABI_MEMORY_LAYOUT_H
#define TDXABI_MEMORY_LAYOUT_H

#define LAYOUT_PAGE_SIZE 0x1000ull

/* The return address of every call: reaching it means the stub returned. */
#define LAYOUT_SENTINEL_ADDRESS 0x00100000ull
/* Slots of the caller's frame hold addresses in this page, so a stub that
 * returns through the wrong slot lands here and is told which slot it used. */
#define LAYOUT_WRONG_RETURN_PAGE 0x00110000ull
#define LAYOUT_WRONG_RETURN_SLOT 16ull
/* One 16-byte slot per undefined symbol of the object (a panic function, a
 * return thunk ...): calling one is recorded by name. */
#define LAYOUT_UNDEFINED_SYMBOL_PAGE 0x00120000ull
#define LAYOUT_UNDEFINED_SYMBOL_SLOT 16ull
#define LAYOUT_MAX_UNDEFINED_SYMBOLS (LAYOUT_PAGE_SIZE / LAYOUT_UNDEFINED_SYMBOL_SLOT)

/* The object's allocated sections, each on its own pages: 64 MiB, where a
 * kernel's TDX stub objects take a few KiB. */
#define LAYOUT_OBJECT_BASE 0x00400000ull
#define LAYOUT_OBJECT_LIMIT 0x04400000ull

/* Caller memory: the argument and output objects a binding passes. */
#define LAYOUT_CALLER_MEMORY 0x10000000ull
#define LAYOUT_CALLER_MEMORY_SIZE 0x10000ull

/* The stack, with an unmapped guard page below and above it. */
#define LAYOUT_STACK_BASE 0x20000000ull
#define LAYOUT_STACK_SIZE 0x10000ull
#define LAYOUT_STACK_TOP (LAYOUT_STACK_BASE + LAYOUT_STACK_SIZE)
/* The caller's frame above the return address: 32 slots. */
#define LAYOUT_CALLER_FRAME_SIZE 0x100ull
/* RSP at entry points at the return address; RSP+8 is 16-byte aligned. */
#define LAYOUT_ENTRY_RSP (LAYOUT_STACK_TOP - LAYOUT_CALLER_FRAME_SIZE - 8)

#endif
