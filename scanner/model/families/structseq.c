/* Struct sequences (Objects/structseq.c: sys.float_info, os.stat_result
 * ...), recognised by their traverse function's address: no definer's
 * name tells them apart. */
#include "model/families/family.h"

/* structseq_traverse: every field, the hidden ones too: their number is the
 * type's n_fields. */
static bool structseq_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    int64_t n = -1;
    uint64_t dict = py_type_dict(w->t, ti->addr);
    uint64_t n_fields = dict ? py_dict_get_str(w->t, dict, "n_fields") : 0;
    if (!n_fields || !py_long_value(w->t, n_fields, &n) || n < 0)
        return false;
    visit_array(w, obj + (uint64_t)w->t->L->tuple_ob_item, n, REL_INDEX, 0);
    return true;
}

const struct family_entry family_structseq_entry = {
    .definer = "structseq", .by_layout = true, .traverse = structseq_traverse,
    .traverse_kind = TRAVERSE_STRUCTSEQ,
};
