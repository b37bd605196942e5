/* case_workers.c - case_workers_run() of case_workers.h: worker processes
 * forked per stub, a shared board they claim cases from, one pipe each for
 * their results, the wall-clock and memory bounds, and the traced rerun
 * that names the last instruction of a case that killed its worker. */
#define _GNU_SOURCE
#include "case_workers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "monotonic_clock.h"

/* The steps a traced rerun keeps: only the last one names the instruction. */
#define POST_MORTEM_STEPS 64
/* A worker's address space may grow this far past what it had when forked
 * and the code buffer Unicorn 2.0 reserves in every engine. */
#define UNICORN_CODE_BUFFER_BYTES (1ull << 30)
#define WORKER_MEMORY_BYTES (512ull << 20)
/* The exit status of a traced rerun that ran its draw to the end, and of
 * one that could not even open the object (which says nothing of the case). */
#define RERUN_COMPLETED 3
#define RERUN_NOT_OPENED 4
/* How often the tool looks at the clock while workers run. */
#define POLL_MILLISECONDS 100

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
	__has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

struct worker_slot {
	volatile int64_t claim; /* the place in indices of the case it runs; -1: none */
	volatile unsigned seed_index;
	volatile int opening;   /* it is loading the object */
};

/* Shared between the tool and its workers. */
struct board {
	size_t next; /* the next place to claim, taken atomically */
	struct worker_slot slots[CASE_WORKERS_MAX];
	struct call_trace trace;
	struct trace_step steps[POST_MORTEM_STEPS];
};

enum record_kind { RECORD_RESULT, RECORD_ERROR };

struct record_header {
	uint32_t kind;
	uint32_t status;  /* RECORD_ERROR: the enum tdxabi_status */
	uint64_t place;   /* RECORD_RESULT */
	uint64_t length;  /* violations, or the error text's bytes */
};

struct worker {
	pid_t pid;
	int fd;             /* the read end of its pipe; -1 once it closed */
	size_t slot;
	int64_t watched_claim;
	unsigned watched_seed;
	double watched_since;
	bool timed_out;
	int64_t killed_claim; /* the claim it was killed on (timed_out) */
	bool ended_at_eof;    /* its stream ended cleanly, not on a bad record */
	bool reported_error;
};

struct pool {
	const struct case_runner *runner;
	const struct worker_limits *limits;
	const size_t *indices;
	size_t count;
	struct check_result *results;
	struct board *board;
	bool *received;
	struct worker workers[CASE_WORKERS_MAX];
	size_t live;
	size_t idle_deaths; /* workers that died holding no case */
	enum tdxabi_status status;
	struct diagnostic *diagnostic;
};

static bool write_all(int fd, const void *bytes, size_t size)
{
	const char *cursor = bytes;
	while (size) {
		ssize_t written = write(fd, cursor, size);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return false;
		cursor += written;
		size -= (size_t)written;
	}
	return true;
}

static bool read_all(int fd, void *bytes, size_t size)
{
	char *cursor = bytes;
	while (size) {
		ssize_t got = read(fd, cursor, size);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		cursor += got;
		size -= (size_t)got;
	}
	return true;
}

/* A worker takes every signal as the system does (whatever handlers the
 * tool's own process has), dumps no core, dies with the tool, and is bounded
 * in memory (not under a sanitizer, whose shadow memory no bound allows). */
static void bound_worker(pid_t tool)
{
	for (int number = 1; number < NSIG; number++)
		signal(number, SIG_DFL);
	sigset_t every;
	sigemptyset(&every);
	sigprocmask(SIG_SETMASK, &every, NULL);
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != tool)
		_exit(1);
#ifndef UNDER_SANITIZER
	FILE *statm = fopen("/proc/self/statm", "r");
	unsigned long long pages = 0;
	if (statm) {
		if (fscanf(statm, "%llu", &pages) != 1)
			pages = 0;
		fclose(statm);
	}
	struct rlimit memory;
	rlim_t bound = (rlim_t)(pages * (unsigned long long)sysconf(_SC_PAGESIZE) +
				UNICORN_CODE_BUFFER_BYTES + WORKER_MEMORY_BYTES);
	if (pages && getrlimit(RLIMIT_AS, &memory) == 0 &&
	    (memory.rlim_cur == RLIM_INFINITY || memory.rlim_cur > bound)) {
		memory.rlim_cur = bound;
		setrlimit(RLIMIT_AS, &memory);
	}
#endif
}

static void send_error(int fd, enum tdxabi_status status, const struct diagnostic *diagnostic)
{
	struct record_header header = {RECORD_ERROR, (uint32_t)status, 0, strlen(diagnostic->text)};
	if (write_all(fd, &header, sizeof(header)))
		write_all(fd, diagnostic->text, header.length);
}

/* The life of a worker: claim, run, send, until no case is left. */
static void worker_main(struct pool *pool, size_t slot, int fd, pid_t tool)
{
	bound_worker(tool);
	struct worker_slot *mine = &pool->board->slots[slot];
	struct diagnostic diagnostic = {0};
	mine->opening = 1;
	enum tdxabi_status status = pool->runner->open(pool->runner->context, &diagnostic);
	mine->opening = 0;
	while (status == TDXABI_OK) {
		size_t place = __atomic_fetch_add(&pool->board->next, 1, __ATOMIC_SEQ_CST);
		if (place >= pool->count)
			break;
		mine->seed_index = 0;
		__atomic_store_n(&mine->claim, (int64_t)place, __ATOMIC_SEQ_CST);
		struct check_result *result = &pool->results[pool->indices[place]];
		status = pool->runner->run(pool->runner->context, pool->indices[place], result,
					   &mine->seed_index, &diagnostic);
		struct record_header header = {RECORD_RESULT, 0, place, result->violation_count};
		if (status == TDXABI_OK &&
		    (!write_all(fd, &header, sizeof(header)) ||
		     !write_all(fd, result, sizeof(*result)) ||
		     !write_all(fd, result->violations,
				result->violation_count * sizeof(*result->violations))))
			_exit(1); /* the tool is gone */
		free(result->violations); /* sent: the tool has them */
		result->violations = NULL;
		result->violation_count = 0;
		__atomic_store_n(&mine->claim, -1, __ATOMIC_SEQ_CST);
	}
	if (status != TDXABI_OK)
		send_error(fd, status, &diagnostic);
	_exit(status == TDXABI_OK ? 0 : 1);
}

static enum tdxabi_status spawn(struct pool *pool, size_t slot)
{
	int ends[2];
	if (pipe(ends) != 0)
		return diagnostic_fail(pool->diagnostic, TDXABI_ENGINE_ERROR, "pipe for a worker: %s",
				       strerror(errno));
	pool->board->slots[slot].claim = -1;
	pool->board->slots[slot].opening = 0;
	pid_t tool = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(ends[0]);
		close(ends[1]);
		return diagnostic_fail(pool->diagnostic, TDXABI_ENGINE_ERROR, "fork of a worker: %s",
				       strerror(errno));
	}
	if (pid == 0) {
		close(ends[0]);
		for (size_t which = 0; which < pool->live; which++)
			close(pool->workers[which].fd); /* so that a sibling's pipe breaks when the tool closes it */
		worker_main(pool, slot, ends[1], tool);
	}
	close(ends[1]);
	pool->workers[pool->live++] = (struct worker){.pid = pid,
						      .fd = ends[0],
						      .slot = slot,
						      .watched_claim = -1,
						      .watched_since = monotonic_seconds()};
	return TDXABI_OK;
}

/* Reads one record; false at the end of the worker's stream. */
static bool receive(struct pool *pool, struct worker *worker)
{
	struct record_header header;
	ssize_t got;
	while ((got = read(worker->fd, &header, 1)) < 0 && errno == EINTR)
		;
	if (got == 0) {
		worker->ended_at_eof = true;
		return false;
	}
	if (got < 0 || !read_all(worker->fd, (char *)&header + 1, sizeof(header) - 1))
		return false;
	if (header.kind == RECORD_ERROR) {
		char text[sizeof(pool->diagnostic->text)] = "";
		size_t length = header.length < sizeof(text) - 1 ? header.length : sizeof(text) - 1;
		if (!read_all(worker->fd, text, length))
			return false;
		text[length] = '\0';
		worker->reported_error = true;
		if (pool->status == TDXABI_OK)
			pool->status = diagnostic_fail(pool->diagnostic,
						       (enum tdxabi_status)header.status, "%s", text);
		return true;
	}
	struct check_result result;
	if (header.kind != RECORD_RESULT || header.place >= pool->count ||
	    !read_all(worker->fd, &result, sizeof(result)))
		return false;
	result.violations = NULL;
	if (header.length) {
		result.violations = calloc(header.length, sizeof(*result.violations));
		if (!result.violations) {
			if (pool->status == TDXABI_OK)
				pool->status = diagnostic_fail(pool->diagnostic, TDXABI_OUT_OF_MEMORY,
							       "out of memory");
			return false;
		}
		if (!read_all(worker->fd, result.violations,
			      header.length * sizeof(*result.violations))) {
			free(result.violations);
			return false;
		}
	}
	result.violation_count = header.length;
	size_t index = pool->indices[header.place];
	free(pool->results[index].violations);
	pool->results[index] = result;
	pool->received[header.place] = true;
	return true;
}

/* Waits for a process until the deadline, then kills it; its wait status. */
static int reap_by(pid_t pid, double deadline)
{
	int wait_status = 0;
	pid_t reaped;
	while ((reaped = waitpid(pid, &wait_status, WNOHANG)) == 0 ||
	       (reaped < 0 && errno == EINTR)) {
		if (monotonic_seconds() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &wait_status, 0);
			return wait_status;
		}
		nanosleep(&(struct timespec){0, 5000000}, NULL);
	}
	return wait_status;
}

/* Runs the draw again traced in a process of its own, to see the last
 * instruction it reached before it died (or ran out of time again). */
static void find_last_instruction(struct pool *pool, size_t place, struct worker_death *death)
{
	struct call_trace *trace = &pool->board->trace;
	*trace = (struct call_trace){pool->board->steps, POST_MORTEM_STEPS, 0};
	pid_t tool = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		bound_worker(tool);
		struct diagnostic diagnostic;
		if (pool->runner->open(pool->runner->context, &diagnostic) != TDXABI_OK)
			_exit(RERUN_NOT_OPENED);
		pool->runner->run_traced(pool->runner->context, pool->indices[place],
					 death->seed_index, trace);
		_exit(RERUN_COMPLETED);
	}
	int wait_status = reap_by(pid, monotonic_seconds() + pool->limits->case_seconds);
	death->recurred = !(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == RERUN_COMPLETED);
	size_t kept = call_trace_count(trace);
	if (kept && death->recurred) {
		death->has_rip = true;
		death->rip = call_trace_step(trace, kept - 1)->rip;
	}
}

static void judge(struct pool *pool, size_t place, struct worker_death *death)
{
	if (!death->while_opening) {
		find_last_instruction(pool, place, death);
		/* the other workers were not watched meanwhile (and may have waited
		 * to write): their clocks start again */
		double now = monotonic_seconds();
		for (size_t which = 0; which < pool->live; which++)
			pool->workers[which].watched_since = now;
	}
	size_t index = pool->indices[place];
	enum tdxabi_status status = pool->runner->judge_death(
		pool->runner->context, death, &pool->results[index], pool->diagnostic);
	if (status != TDXABI_OK && pool->status == TDXABI_OK)
		pool->status = status;
	pool->received[place] = true;
}

/* A worker's stream ended: reap it, judge the case it died on, replace it. */
static void finish_worker(struct pool *pool, size_t which)
{
	struct worker worker = pool->workers[which];
	pool->workers[which] = pool->workers[--pool->live];
	if (!worker.ended_at_eof)
		kill(worker.pid, SIGKILL); /* a record it should not have sent: it may be blocked */
	int wait_status = 0;
	pid_t reaped;
	while ((reaped = waitpid(worker.pid, &wait_status, 0)) < 0 && errno == EINTR)
		;
	const struct worker_slot *slot = &pool->board->slots[worker.slot];
	int64_t claim = __atomic_load_n(&slot->claim, __ATOMIC_SEQ_CST);
	/* killed for overrunning its case, it is blamed for that one, unless
	 * that result came in before the signal landed: then the case it had
	 * just claimed was killed, not overrun */
	bool overran = worker.timed_out && worker.killed_claim >= 0 &&
		       worker.killed_claim < (int64_t)pool->count &&
		       !pool->received[worker.killed_claim];
	if (overran)
		claim = worker.killed_claim;
	if (claim >= (int64_t)pool->count)
		claim = -1; /* the board holds what the worker wrote: not to be trusted */
	bool clean = reaped == worker.pid && WIFEXITED(wait_status) &&
		     WEXITSTATUS(wait_status) == 0 && (claim < 0 || pool->received[claim]);
	if (clean || worker.reported_error || pool->status != TDXABI_OK)
		return;
	struct worker_death death = {.signal = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0,
				     .exit_status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 0,
				     .timed_out = overran,
				     .seconds = pool->limits->case_seconds,
				     .while_opening = slot->opening != 0,
				     .recurred = true, /* until a traced rerun says otherwise */
				     .seed_index = slot->seed_index};
	if (death.while_opening) {
		/* loading the object kills every worker: no case can run */
		size_t first = __atomic_exchange_n(&pool->board->next, pool->count, __ATOMIC_SEQ_CST);
		for (size_t place = first; place < pool->count; place++)
			if (!pool->received[place])
				judge(pool, place, &death);
		return;
	}
	if (claim >= 0 && !pool->received[claim])
		judge(pool, (size_t)claim, &death);
	else if (++pool->idle_deaths > CASE_WORKERS_MAX)
		pool->status = diagnostic_fail(pool->diagnostic, TDXABI_ENGINE_ERROR,
					       "workers keep dying between cases (last: %s %d)",
					       death.signal ? "signal" : "exit status",
					       death.signal ? death.signal : death.exit_status);
	if (pool->status == TDXABI_OK &&
	    __atomic_load_n(&pool->board->next, __ATOMIC_SEQ_CST) < pool->count) {
		enum tdxabi_status status = spawn(pool, worker.slot);
		if (status != TDXABI_OK)
			pool->status = status;
	}
}

/* Kills a worker whose draw has run past the bound. */
static void watch_clock(struct pool *pool, struct worker *worker, double now)
{
	const struct worker_slot *slot = &pool->board->slots[worker->slot];
	int64_t claim = __atomic_load_n(&slot->claim, __ATOMIC_SEQ_CST);
	unsigned seed = slot->seed_index;
	if (claim != worker->watched_claim || seed != worker->watched_seed) {
		worker->watched_claim = claim;
		worker->watched_seed = seed;
		worker->watched_since = now;
	} else if (claim >= 0 && !worker->timed_out &&
		   now - worker->watched_since > pool->limits->case_seconds) {
		worker->timed_out = true;
		worker->killed_claim = claim; /* it may claim the next before the signal lands */
		kill(worker->pid, SIGKILL);
	}
}

static void run_pool(struct pool *pool)
{
	struct pollfd polled[CASE_WORKERS_MAX];
	while (pool->live) {
		for (size_t which = 0; which < pool->live; which++)
			polled[which] = (struct pollfd){pool->workers[which].fd, POLLIN, 0};
		size_t polled_count = pool->live;
		if (poll(polled, polled_count, POLL_MILLISECONDS) < 0 && errno != EINTR) {
			pool->status = diagnostic_fail(pool->diagnostic, TDXABI_ENGINE_ERROR,
						       "poll of workers: %s", strerror(errno));
			return;
		}
		double now = monotonic_seconds();
		for (size_t which = polled_count; which-- > 0;) {
			struct worker *worker = &pool->workers[which];
			if ((polled[which].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !receive(pool, worker)) {
				close(worker->fd);
				finish_worker(pool, which);
			} else {
				watch_clock(pool, worker, now);
			}
			if (pool->status != TDXABI_OK)
				__atomic_store_n(&pool->board->next, pool->count, __ATOMIC_SEQ_CST);
		}
	}
}

enum tdxabi_status case_workers_run(const struct case_runner *runner,
				    const struct worker_limits *limits, const size_t *indices,
				    size_t count, struct check_result *results,
				    struct diagnostic *diagnostic)
{
	if (count == 0)
		return TDXABI_OK;
	struct pool pool = {.runner = runner,
			    .limits = limits,
			    .indices = indices,
			    .count = count,
			    .results = results,
			    .status = TDXABI_OK,
			    .diagnostic = diagnostic};
	pool.board = mmap(NULL, sizeof(*pool.board), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pool.board == MAP_FAILED)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY,
				       "shared memory for the workers: %s", strerror(errno));
	/* a SIGCHLD the tool inherited as ignored would leave no exit status */
	struct sigaction default_child = {.sa_handler = SIG_DFL}, inherited_child;
	sigaction(SIGCHLD, &default_child, &inherited_child);
	pool.received = calloc(count, sizeof(*pool.received));
	if (!pool.received)
		pool.status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	size_t jobs = limits->jobs < count ? limits->jobs : count;
	if (jobs > CASE_WORKERS_MAX)
		jobs = CASE_WORKERS_MAX;
	for (size_t slot = 0; slot < jobs && pool.status == TDXABI_OK; slot++)
		pool.status = spawn(&pool, slot);
	if (pool.status != TDXABI_OK)
		__atomic_store_n(&pool.board->next, count, __ATOMIC_SEQ_CST);
	run_pool(&pool);
	for (size_t which = 0; which < pool.live; which++) { /* after a poll error */
		kill(pool.workers[which].pid, SIGKILL);
		waitpid(pool.workers[which].pid, NULL, 0);
		close(pool.workers[which].fd);
	}
	for (size_t place = 0; place < count && pool.status == TDXABI_OK; place++)
		if (!pool.received[place])
			pool.status = diagnostic_fail(diagnostic, TDXABI_ENGINE_ERROR,
						      "a worker ended without the result of case %zu",
						      indices[place]);
	free(pool.received);
	munmap(pool.board, sizeof(*pool.board));
	sigaction(SIGCHLD, &inherited_child, NULL);
	return pool.status;
}
