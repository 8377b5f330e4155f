/* faulthandler's module: its m_traverse (3.8 to 3.13.x; later releases have
 * none) visits no state of the module's own but the files faulthandler was
 * given, which it keeps in the runtime (3.12+: _PyRuntime.faulthandler) or
 * in static variables of Modules/faulthandler.c (up to 3.11): the file of
 * thread (dump_traceback_later), the file of every entry of user_signals
 * (register, an array of Py_NSIG entries allocated on the first call), and
 * the file of fatal_error (enable).  discover.c places those words. */
#include "model/families/family.h"

#include <string.h>

int family_faulthandler(struct walker *w, const char *name)
{
    struct target *t = w->t;
    if (strcmp(name, "faulthandler") != 0)
        return -1;
    const struct py_layout *L = t->L;
    if (!t->faulthandler_fatal_file || L->faulthandler_user_signal_size <= 0 || L->faulthandler_nsig <= 0)
        return 0; /* a stripped file up to 3.11: the statics cannot be found */
    family_visit_word(w, t->faulthandler_thread_file);
    uint64_t signals = u64_at(t, t->faulthandler_user_signals);
    if (signals && !family_visit_array(w, signals + (uint64_t)L->faulthandler_user_signal_file,
                                       (uint64_t)L->faulthandler_nsig, (uint64_t)L->faulthandler_user_signal_size,
                                       "faulthandler's user signals", t->faulthandler_user_signals))
        return 0;
    family_visit_word(w, t->faulthandler_fatal_file);
    return 1;
}
