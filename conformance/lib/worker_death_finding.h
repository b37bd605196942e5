/* worker_death_finding.h - the emulation-fault finding of a case whose
 * worker process died: what ended it (a signal, the memory bound, the
 * wall-clock bound, loading the object) and the last instruction it reached,
 * described from the object's own bytes. */
#ifndef TDXABI_WORKER_DEATH_FINDING_H
#define TDXABI_WORKER_DEATH_FINDING_H

#include "case_workers.h"
#include "check_result.h"
#include "finding_source.h"
#include "object_image.h"

/* Adds the finding to result (failing it); source may be NULL. */
enum tdxabi_status worker_death_add_finding(const struct object_image *image,
					    struct finding_source *source,
					    const struct worker_death *death,
					    struct check_result *result,
					    struct diagnostic *diagnostic);

#endif
