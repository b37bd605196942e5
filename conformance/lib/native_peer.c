/* native_peer.c - native_peer.h: mmap at fixed, free addresses, a SIGILL
 * handler that steps over TDX instructions, SIGSEGV/SIGBUS/SIGALRM handlers
 * that give up, the loop of native calls through native_call.S. */
#define _GNU_SOURCE /* ucontext's REG_RIP, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE */
#include "native_peer.h"

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>

#include "memory_layout.h"
#include "monotonic_clock.h"
#include "tdx_opcodes.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void native_call(uint64_t registers[GPR_COUNT], uint64_t entry);

/* A signal handler reaches only globals: where to go when the stub faults. */
static sigjmp_buf fault_exit;

static void on_illegal(int number, siginfo_t *information, void *context)
{
	(void)number;
	(void)information;
	ucontext_t *user = context;
	const uint8_t *rip = (const uint8_t *)user->uc_mcontext.gregs[REG_RIP];
	if (tdx_opcode_at(rip, TDX_OPCODE_LENGTH) == TDX_OPCODE_NONE)
		siglongjmp(fault_exit, 1);
	user->uc_mcontext.gregs[REG_RAX] = 0;
	user->uc_mcontext.gregs[REG_RIP] += TDX_OPCODE_LENGTH;
}

static void on_fault(int number)
{
	(void)number;
	siglongjmp(fault_exit, 1);
}

static bool map_at(uint64_t address, uint64_t size, int protection)
{
	void *mapped = mmap((void *)address, size, protection,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mapped == MAP_FAILED)
		return false;
	if ((uint64_t)mapped != address) { /* a kernel without MAP_FIXED_NOREPLACE */
		munmap(mapped, size);
		return false;
	}
	return true;
}

static uint64_t pages(uint64_t size)
{
	return (size + LAYOUT_PAGE_SIZE - 1) & ~(LAYOUT_PAGE_SIZE - 1);
}

static void unmap_all(const struct object_image *image, size_t sections, bool caller_memory)
{
	for (size_t index = 0; index < sections; index++)
		if (image->sections[index].size)
			munmap((void *)image->sections[index].address, pages(image->sections[index].size));
	if (caller_memory)
		munmap((void *)LAYOUT_CALLER_MEMORY, LAYOUT_CALLER_MEMORY_SIZE);
}

static void calls(uint64_t entry, const uint64_t registers[GPR_COUNT],
		  const uint8_t *caller_memory, size_t caller_memory_size, double seconds,
		  struct call_rate *measurement)
{
	uint64_t values[GPR_COUNT];
	double start = monotonic_seconds(), end = start;
	while (measurement->calls < 100 || end - start < seconds) {
		memcpy((void *)LAYOUT_CALLER_MEMORY, caller_memory, caller_memory_size);
		memcpy(values, registers, sizeof(values));
		native_call(values, entry);
		if ((++measurement->calls & 63) == 0)
			end = monotonic_seconds();
	}
	measurement->seconds = monotonic_seconds() - start;
	measurement->measured = true;
}

enum tdxabi_status native_peer_measure(const struct object_image *image, uint64_t entry,
				       const uint64_t registers[GPR_COUNT],
				       const uint8_t *caller_memory, size_t caller_memory_size,
				       double seconds,
				       struct call_rate *measurement,
				       struct diagnostic *diagnostic)
{
	(void)diagnostic;
	memset(measurement, 0, sizeof(*measurement));
	if (image->undefined_count) {
		snprintf(measurement->reason, sizeof(measurement->reason),
			 "the object calls %s, which only the emulator provides",
			 image->undefined[0].name);
		return TDXABI_OK;
	}
	size_t mapped = 0;
	bool memory = false;
	for (; mapped < image->section_count; mapped++) {
		const struct image_section *section = &image->sections[mapped];
		if (section->size && !map_at(section->address, pages(section->size),
					     PROT_READ | PROT_WRITE | PROT_EXEC))
			break;
		if (section->size)
			memcpy((void *)section->address, section->bytes, section->size);
	}
	if (mapped == image->section_count)
		memory = map_at(LAYOUT_CALLER_MEMORY, LAYOUT_CALLER_MEMORY_SIZE, PROT_READ | PROT_WRITE);
	if (!memory) {
		snprintf(measurement->reason, sizeof(measurement->reason),
			 "the addresses the object was placed at are taken in this process");
		unmap_all(image, mapped, false);
		return TDXABI_OK;
	}
	/* the handlers run on a stack of their own (the stub may have lost its
	 * RSP), and an alarm ends a stub that does not return */
	static uint8_t signal_stack[1 << 16];
	stack_t alternate = {.ss_sp = signal_stack, .ss_size = sizeof(signal_stack)}, old_stack;
	sigaltstack(&alternate, &old_stack);
	struct sigaction illegal = {0}, fault = {0}, old[4];
	illegal.sa_sigaction = on_illegal;
	illegal.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	fault.sa_handler = on_fault;
	fault.sa_flags = SA_NODEFER | SA_ONSTACK;
	const int faults[] = {SIGSEGV, SIGBUS, SIGALRM};
	sigaction(SIGILL, &illegal, &old[0]);
	for (size_t index = 0; index < 3; index++)
		sigaction(faults[index], &fault, &old[index + 1]);
	struct itimerval limit = {.it_value = {.tv_sec = (time_t)(2 * seconds) + 2}}, none = {0};
	setitimer(ITIMER_REAL, &limit, NULL);
	if (sigsetjmp(fault_exit, 1) == 0)
		calls(entry, registers, caller_memory, caller_memory_size, seconds, measurement);
	else
		snprintf(measurement->reason, sizeof(measurement->reason),
			 "run natively, the stub faulted or did not return");
	setitimer(ITIMER_REAL, &none, NULL);
	sigaction(SIGILL, &old[0], NULL);
	for (size_t index = 0; index < 3; index++)
		sigaction(faults[index], &old[index + 1], NULL);
	sigaltstack(&old_stack, NULL);
	unmap_all(image, image->section_count, true);
	return TDXABI_OK;
}
