#include "model/thread_walk.h"

void thread_walk_start(struct thread_walk *w, struct target *t, const struct py_layout *L, uint64_t interp,
                       bool note_damage)
{
    w->t = t;
    w->L = L;
    w->interp = interp;
    w->next = u64_at(t, interp + (uint64_t)L->interp_threads_head);
    chain_guard_init(&w->guard, w->next);
    w->count = 0;
    w->note_damage = note_damage;
}

uint64_t thread_walk_next(struct thread_walk *w)
{
    uint64_t ts = w->next;
    if (!ts || w->count >= PY_THREADS_MAX)
        return 0;
    /* The head is where the guard starts; each later state is one step. */
    if (w->count && !chain_guard_step(&w->guard, ts)) {
        if (w->note_damage)
            damage_note(&w->t->damage, true, "thread list at 0x%llx", (unsigned long long)w->interp);
        w->next = 0;
        return 0;
    }
    w->count++;
    w->next = u64_at(w->t, ts + (uint64_t)w->L->ts_next);
    return ts;
}

uint64_t thread_newest_frame(struct target *t, uint64_t ts, uint64_t *lost)
{
    const struct py_layout *L = t->L;
    if (lost)
        *lost = 0;
    if (L->ts_frame >= 0)
        return u64_at(t, ts + (uint64_t)L->ts_frame);
    if (L->ts_current_frame >= 0)
        return u64_at(t, ts + (uint64_t)L->ts_current_frame);
    uint64_t cframe = u64_at(t, ts + (uint64_t)L->ts_cframe), f = 0;
    if (cframe && !mem_read(t->mem, cframe + (uint64_t)L->cframe_current_frame, &f, sizeof f) && lost)
        *lost = cframe;
    return f;
}

void frame_walk_start(struct frame_walk *w, struct target *t, uint64_t newest)
{
    w->t = t;
    w->next = newest;
    chain_guard_init(&w->guard, 0);
}

uint64_t frame_walk_next(struct frame_walk *w)
{
    uint64_t f = w->next;
    if (!f)
        return 0;
    if (!chain_guard_step(&w->guard, f)) {
        damage_note(&w->t->damage, true, "frame chain at 0x%llx", (unsigned long long)f);
        w->next = 0;
        return 0;
    }
    const struct py_layout *L = w->t->L;
    w->next = u64_at(w->t, f + (uint64_t)(L->ts_frame >= 0 ? L->frame_back : L->iframe_previous));
    return f;
}
