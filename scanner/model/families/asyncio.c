/* _asyncio (Modules/_asynciomodule.c, 3.8 to 3.15): Future, Task, their
 * iterator and Task's step wrapper.  A Future's object fields come first
 * (FutureObj_HEAD: loop, callback0, context0, callbacks, exception, ...,
 * then the state and two flags), then up to 3.12 its dict (found by
 * tp_dictoffset) and weakreflist; 3.13+ keep the dict managed.  Its
 * traverse visits every object field but the weakreflist; a Task's visits
 * the Future's and its own four (fut_waiter, coro, name, context).  Offsets
 * from the struct of each minor (3.11.3, 3.12.5 and 3.13.0's sources; the
 * others by the fields each minor added, matched with its basicsize and
 * checked on the fleet by the zoo test). */
#include "model/families/family.h"

/* 3.8: loop .. source_tb (16-64); state, log_tb, blocking; dict (88). */
static const int64_t future38[] = {16, 24, 32, 40, 48, 56, 64, -1};
static const int64_t task38[] = {16, 24, 32, 40, 48, 56, 64, 104, 112, 120, 128, -1};
/* 3.9 adds cancel_msg (72) and, after the weakreflist, a _PyErr_StackItem
 * cancelled_exc_state {exc_type, exc_value, exc_traceback, previous}
 * (112-128) whose three exception fields it visits. */
static const int64_t future39[] = {16, 24, 32, 40, 48, 56, 64, 72, 112, 120, 128, -1};
static const int64_t task39[] = {16, 24, 32, 40, 48, 56, 64, 72, 112, 120, 128, 144, 152, 160, 168, -1};
/* 3.10 adds exception_tb after exception: 16-80, the stack item 120-136. */
static const int64_t future310[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 120, 128, 136, -1};
static const int64_t task310[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 120, 128, 136, 152, 160, 168, 176, -1};
/* 3.11-3.12: one cancelled_exc (120) in place of the stack item. */
static const int64_t future311[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 120, -1};
static const int64_t task311[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 120, 128, 136, 144, 152, -1};
/* 3.13: cancelled_exc joins the others (16-88), the dict is managed, and
 * the Task's four follow its flags and num_cancels_requested (112-136). */
static const int64_t future313[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 88, -1};
static const int64_t task313[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 112, 120, 128, 136, -1};
/* 3.14+ add awaited_by (96), then is_task and awaited_by_is_set beside the
 * state; the Task's four at 120-144, its task_node (a C list link) after. */
static const int64_t future314[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, -1};
static const int64_t task314[] = {16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 120, 128, 136, 144, -1};
/* futureiterobject {future}; TaskStepMethWrapper {sw_task, sw_arg};
 * TaskWakeupMethWrapper (up to 3.11) {ww_task}. */
static const int64_t first[] = {16, -1};
static const int64_t two[] = {16, 24, -1};

static const struct family_entry entries[] = {
    {.definer = "_asyncio.Future", .max_minor = 8, .fields = future38, .visits_dict = true},
    {.definer = "_asyncio.Future", .min_minor = 9, .max_minor = 9, .fields = future39, .visits_dict = true},
    {.definer = "_asyncio.Future", .min_minor = 10, .max_minor = 10, .fields = future310, .visits_dict = true},
    {.definer = "_asyncio.Future", .min_minor = 11, .max_minor = 12, .fields = future311, .visits_dict = true},
    {.definer = "_asyncio.Future", .min_minor = 13, .max_minor = 13, .fields = future313, .visits_dict = true},
    {.definer = "_asyncio.Future", .min_minor = 14, .fields = future314, .visits_dict = true},
    {.definer = "_asyncio.Task", .max_minor = 8, .fields = task38, .visits_dict = true},
    {.definer = "_asyncio.Task", .min_minor = 9, .max_minor = 9, .fields = task39, .visits_dict = true},
    {.definer = "_asyncio.Task", .min_minor = 10, .max_minor = 10, .fields = task310, .visits_dict = true},
    {.definer = "_asyncio.Task", .min_minor = 11, .max_minor = 12, .fields = task311, .visits_dict = true},
    {.definer = "_asyncio.Task", .min_minor = 13, .max_minor = 13, .fields = task313, .visits_dict = true},
    {.definer = "_asyncio.Task", .min_minor = 14, .fields = task314, .visits_dict = true},
    {.definer = "_asyncio.FutureIter", .fields = first},
    {.definer = "TaskStepMethWrapper", .fields = two},
    {.definer = "TaskWakeupMethWrapper", .fields = first},
};

const struct family family_asyncio = FAMILY("asyncio", entries);
