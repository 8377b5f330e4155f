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
    {"_asyncio.Future", 8, 8, future38, false, true, false, NULL, NULL},
    {"_asyncio.Future", 9, 9, future39, false, true, false, NULL, NULL},
    {"_asyncio.Future", 10, 10, future310, false, true, false, NULL, NULL},
    {"_asyncio.Future", 11, 12, future311, false, true, false, NULL, NULL},
    {"_asyncio.Future", 13, 13, future313, false, true, false, NULL, NULL},
    {"_asyncio.Future", 14, 99, future314, false, true, false, NULL, NULL},
    {"_asyncio.Task", 8, 8, task38, false, true, false, NULL, NULL},
    {"_asyncio.Task", 9, 9, task39, false, true, false, NULL, NULL},
    {"_asyncio.Task", 10, 10, task310, false, true, false, NULL, NULL},
    {"_asyncio.Task", 11, 12, task311, false, true, false, NULL, NULL},
    {"_asyncio.Task", 13, 13, task313, false, true, false, NULL, NULL},
    {"_asyncio.Task", 14, 99, task314, false, true, false, NULL, NULL},
    {"_asyncio.FutureIter", 8, 99, first, false, false, false, NULL, NULL},
    {"TaskStepMethWrapper", 8, 99, two, false, false, false, NULL, NULL},
    {"TaskWakeupMethWrapper", 8, 99, first, false, false, false, NULL, NULL},
};

const struct family family_asyncio = {"asyncio", entries, sizeof entries / sizeof entries[0]};
