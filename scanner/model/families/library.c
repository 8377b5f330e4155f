/* Single types of the library's extension modules (CPython's Modules/,
 * 3.8 to 3.15): array.array, decimal, xml.etree.ElementTree.Element, _csv,
 * _json, _queue, _socket, _thread, sqlite3, operator, _lsprof, and those
 * whose traverse visits only their type. */
#include "model/families/family.h"

#include "model/pyobj.h"

static const int64_t none[] = {-1};

/* arrayobject {PyObject_VAR_HEAD, ob_item, allocated, ob_descr, ...};
 * arraydescr {char typecode; int itemsize; ...}: __sizeof__ counts the
 * allocated items. */
static uint64_t array_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    int32_t itemsize = 0;
    uint64_t descr = u64_at(t, obj + 40);
    if (descr)
        mem_read(t->mem, descr + 4, &itemsize, sizeof itemsize);
    return (uint64_t)ti->basicsize + u64_at(t, obj + 32) * (uint64_t)(itemsize > 0 ? itemsize : 0);
}

/* PyDecObject {hash, mpd_t {uint8 flags, exp, digits, len, alloc, data},
 * data[4]}: digits count when they are not in the object (no STATIC,
 * SHARED or CONST data flag, mpdecimal.h). */
static uint64_t decimal_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    uint8_t flags = 0xff;
    mem_read(t->mem, obj + 24, &flags, 1);
    uint64_t size = (uint64_t)ti->basicsize;
    if (!(flags & 0xE0))
        size += u64_at(t, obj + 56) * 8;
    return size;
}

/* ElementObject {tag, text, tail, extra, weakreflist}: text and tail carry
 * a flag in their low bit (JOIN_OBJ); ElementObjectExtra {attrib, length,
 * allocated, children, _children[4]}. */
static bool element_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    uint64_t tag = u64_at(t, obj + 16), text = u64_at(t, obj + 24) & ~(uint64_t)1,
             tail = u64_at(t, obj + 32) & ~(uint64_t)1, extra = u64_at(t, obj + 40);
    if (tag)
        emit(w, tag, rel_none);
    if (text)
        emit(w, text, rel_none);
    if (tail)
        emit(w, tail, rel_none);
    if (!extra)
        return true;
    uint64_t attrib = u64_at(t, extra);
    if (attrib)
        emit(w, attrib, rel_none);
    int64_t n = (int64_t)u64_at(t, extra + 8);
    uint64_t children = u64_at(t, extra + 24);
    if (n < 0 || n > (1 << 24))
        return false;
    for (int64_t i = 0; i < n; i++) {
        uint64_t c = u64_at(t, children + (uint64_t)i * 8);
        if (c)
            emit(w, c, rel_none);
    }
    return true;
}

static uint64_t element_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    uint64_t extra = u64_at(t, obj + 40), size = (uint64_t)ti->basicsize;
    if (extra) {
        size += 64;
        if (u64_at(t, extra + 24) != extra + 32)
            size += u64_at(t, extra + 16) * 8;
    }
    return size;
}

/* Fixed fields, named by their structs; where versions differ the entry
 * says which (each checked on the fleet by the zoo test against
 * gc.get_referents).  _csv.c: ReaderObj {input_iter, dialect, fields};
 * WriterObj {write, dialect, ..., error_obj (3.10+, at 64)}; DialectObj
 * {..., lineterminator (40)}. */
static const int64_t csv_reader[] = {16, 24, 32, -1};
static const int64_t csv_writer38[] = {16, 24, -1};
static const int64_t csv_writer[] = {16, 24, 64, -1};
static const int64_t csv_dialect[] = {40, -1};
/* _json.c PyEncoderObject {markers, defaultfn, encoder, indent,
 * key_separator, item_separator, ...}. */
static const int64_t json_encoder[] = {16, 24, 32, 40, 48, 56, -1};
/* _queuemodule.c simplequeueobject {lock, locked, lst, ...} up to 3.12. */
static const int64_t simplequeue[] = {32, -1};
/* _threadmodule.c localobject {key, args, kw, weakreflist, dummies} up to
 * 3.12 (local313_fields below has 3.13's). */
static const int64_t local38[] = {24, 32, 48, -1};
/* _decimal.c PyDecContextObject {ctx, traps, flags, ...}: 3.13+ visit the
 * two signal dicts. */
static const int64_t decimal_context[] = {64, 72, -1};
/* _sqlite/row.h pysqlite_Row {data, description}; cursor.h
 * pysqlite_Cursor {connection, description, row_cast_map, arraysize,
 * lastrowid, rowcount, row_factory, statement, ...}. */
static const int64_t sqlite_row[] = {16, 24, -1};
static const int64_t sqlite_cursor[] = {16, 24, 32, 48, 64, 72, -1};
static const int64_t sqlite_cursor38[] = {16, 24, 32, 48, 64, 72, 96, -1}; /* + next_row */
/* _operator.c methodcallerobject 3.14+ {name, xargs, kwds,
 * vectorcall_args, vectorcall_kwnames, ...}. */
static const int64_t methodcaller314[] = {16, 24, 32, 40, 48, -1};
/* _lsprof.c ProfilerObject: its externalTimer at 48, visited from 3.13;
 * 3.15 one object field more at 72 (the check of --format types against
 * profiler_traverse's code found both: the table had none, and 72 alone). */
static const int64_t profiler313[] = {48, -1};
static const int64_t profiler315[] = {48, 72, -1};

/* _elementtree.c TreeBuilderObject {root, this, last, last_for_tail, data,
 * stack, index, element_factory, comment_factory, pi_factory,
 * events_append, six event names, two int flags} (the flags are last: the
 * table had them before events_append until --format types' check against
 * treebuilder_gc_traverse's code found it); XMLParserObject {parser (C),
 * target, entity, names, eleven handlers}. */
static const int64_t treebuilder[] = {16, 24, 32, 40, 48, 56, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, -1};
static const int64_t xmlparser[] = {24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, -1};

/* ElementIterObject {parent_stack (C array of {parent, child_index}),
 * parent_stack_used, parent_stack_size, root_element, sought_tag, ...}. */
static bool element_iter_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    for (uint64_t off = 40; off <= 48; off += 8) {
        uint64_t p = u64_at(t, obj + off);
        if (p)
            emit(w, p, rel_none);
    }
    uint64_t stack = u64_at(t, obj + 16);
    int64_t used = (int64_t)u64_at(t, obj + 24);
    if (used < 0 || used > (1 << 20) || (used && !stack))
        return false;
    for (int64_t i = 0; i < used; i++) {
        uint64_t p = u64_at(t, stack + (uint64_t)i * 16);
        if (p)
            emit(w, p, rel_none);
    }
    return true;
}

/* Modules/_zstd (3.14+): ZstdCompressor {cctx, dict, ...} and
 * ZstdDecompressor {dctx, dict, input buffer, unused_data, ...} visit their
 * dict only (3.14.7's compressor.c and decompressor.c; 3.14.10 and 3.15's
 * words hold the ZstdDict in use at 24 too). */
static const int64_t zstd_dict_user[] = {24, -1};

/* Python/instruction_sequence.c: _PyInstructionSequence {s_instrs, two
 * ints, s_next_free_label, s_labelmap, s_labelmap_size, s_nested, 3.14+:
 * s_annotations_code}; its traverse visits s_nested and s_annotations_code
 * (the fleet's internal/pycore_instruction_sequence.h for 3.13, 3.14 and
 * 3.15, and 3.14.7's source). */
static const int64_t instruction_sequence313[] = {56, -1};
static const int64_t instruction_sequence314[] = {56, 64, -1};

/* _struct.c unpackiterobject {so, buf (a Py_buffer: buf, obj, ...), index}. */
static const int64_t unpack_iterator[] = {16, 32, -1};

/* picklebufferobject {view: a Py_buffer {buf, obj, ...}, weakreflist};
 * Pickler/UnpicklerMemoProxyObject {pickler}; FrameLocalsProxy (3.13+,
 * frameobject.c) {frame}; zoneinfo's PyZoneInfo_ZoneInfo (3.12+ visits its
 * key); typing's paramspecattrobject (3.12+) {__origin__}. */
static const int64_t second[] = {24, -1};
static const int64_t first[] = {16, -1};
/* Objects/interpolationobject.c {value, expression, conversion,
 * format_spec}; templateobject.c {strings, interpolations} and its
 * iterator {stringsiter, interpolationsiter} (3.14+). */
static const int64_t four[] = {16, 24, 32, 40, -1};
static const int64_t two[] = {16, 24, -1};

/* _queuemodule.c 3.13+: simplequeueobject {has_threads_waiting, RingBuf
 * {put_idx, get_idx, items, items_cap, num_items}, weakreflist}: the items
 * waiting, from get_idx round the ring; __sizeof__ (3.15) counts the ring. */
static bool simplequeue_ring(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    uint64_t get = u64_at(t, obj + 32), items = u64_at(t, obj + 40), cap = u64_at(t, obj + 48),
             n = u64_at(t, obj + 56);
    if (n > cap || cap > (1u << 28) || (n && !items))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t p = u64_at(t, items + ((get + i) % cap) * 8);
        if (p)
            emit(w, p, rel_none);
    }
    return true;
}

static uint64_t simplequeue_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return (uint64_t)ti->basicsize + u64_at(t, obj + 48) * 8;
}

/* pyexpat.c xmlparseobject {itself, four ints, buffer, two ints, (3.12.5+:
 * a bool), intern, handlers}: the traverse visits the handlers, a C array
 * of one per handler_info entry (22 on every minor: the 21 *Handler
 * attributes and DefaultHandlerExpand), not intern.  Since the fix that
 * keeps a subparser's parent alive (88 bytes: 3.13.18, 3.14.10 and 3.15 on
 * the fleet) a parent follows itself, at 24, and is visited.  The type
 * cannot be subclassed: its basicsize is the definer's. */
enum { EXPAT_HANDLERS = 22, EXPAT_PLAIN = 72, EXPAT_WITH_PARENT = 88 };

static bool xmlparser_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    int64_t size = ti->family_basicsize;
    if (ti->subtype || ti->basicsize != size + py_head_shift(t) || size < EXPAT_PLAIN ||
        size > EXPAT_WITH_PARENT)
        return false;
    if (size == EXPAT_WITH_PARENT)
        family_visit_word(w, obj + 24);
    uint64_t handlers = u64_at(t, obj + (uint64_t)size - 8);
    return !handlers || family_visit_array(w, handlers, EXPAT_HANDLERS, 8, "xmlparser handlers", obj);
}

/* _sqlite/connection.h pysqlite_Connection: its traverse visits the
 * statement cache, the cursor and blob lists, row_factory and text_factory,
 * and from 3.11 the callable and module of its three callback_contexts
 * {callable, module, state} (trace, progress, authorizer), which follow
 * text_factory.  3.10 {db, detect_types, timeout, timeout_started,
 * isolation_level (48), begin_statement, two ints, thread_ident,
 * statement_cache (80), statements, cursors, two ints, row_factory (112),
 * text_factory, the trace, progress and authorizer callables, collations
 * (152), ...}; 3.11 {db, state, detect_types, isolation_level, two ints,
 * thread_ident, statement_cache (64), cursors, blobs, created_cursors,
 * row_factory (96), text_factory, trace_ctx (112), ...}; 3.12 adds the
 * autocommit mode (everything from statement_cache 8 higher); 3.15 keeps
 * one list (80).  3.11.3, 3.12.5 and 3.13.0's sources; 3.10 and 3.15 as
 * their gc.get_referents showed them on the fleet. */
static const int64_t sqlite_connection310[] = {48, 80, 88, 96, 112, 120, 128, 136, 144, 152, -1};
static const int64_t sqlite_connection311[] = {64, 72, 80, 96, 104, -1};
static const int64_t sqlite_connection312[] = {72, 80, 88, 104, 112, -1};
static const int64_t sqlite_connection315[] = {72, 80, 88, 96, -1};

static bool sqlite_callbacks(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    int64_t first = t->minor == 11 ? 112 : t->minor >= 15 ? 104 : 120;
    if (first + 24 > ti->family_basicsize)
        return false;
    for (int64_t off = first; off < first + 24; off += 8) {
        uint64_t context = u64_at(t, obj + (uint64_t)off);
        if (!context)
            continue;
        family_visit_word(w, context);     /* callable */
        family_visit_word(w, context + 8); /* module */
    }
    return true;
}

/* _ssl.c PySSLSocket {Socket (a weakref), ssl, ctx, shutdown_seen_zero,
 * socket_type, owner, server_hostname, err {ssl, c}, then the exception a
 * callback raised: exc_type, exc_value, exc_tb up to 3.11 (3.11.3's
 * source: 96 bytes), one exc from 3.12 (3.12.5, 3.13.0t: 80 bytes)}.  The
 * traverse visits those.  Other sizes (3.14: 88, 3.15: 72) no source here
 * describes.  Not subclassable: the object's basicsize is the definer's. */
static bool sslsocket_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    int64_t size = ti->family_basicsize, first;
    if (size == 96)
        first = 72;
    else if (size == 80 && t->minor >= 12)
        first = 72;
    else
        return false;
    for (int64_t off = first; off < size; off += 8)
        family_visit_word(w, obj + (uint64_t)off);
    return true;
}

/* Object fields of CPython's Modules/ structs (not installed headers),
 * recorded as fixed-field traversals (TRAVERSE_FIELDS). */
static const int64_t abc_data_fields[] = {16, 24, 32, -1};   /* _abc_data: registry, cache, negative cache */
/* _json.Scanner {strict, object_hook, object_pairs_hook, parse_float,
 * parse_int, parse_constant} and then: 3.9-3.12 a memo dict (3.8 has it but
 * its traverse leaves it out; 3.13 dropped it), 3.15 an array_hook. */
static const int64_t scanner_fields[] = {24, 32, 40, 48, 56, 64, -1};
static const int64_t scanner_hook_fields[] = {24, 32, 40, 48, 56, -1};
static const int64_t pattern_fields[] = {32, 40, 48, -1};    /* re.Pattern: groupindex, indexgroup, pattern */
/* 3.13+ debug builds: fail_after_exc after fail_after_count (Modules/_sre/sre.h,
 * #ifdef Py_DEBUG), which pattern_traverse visits (found by test_traverse_code
 * in Debian's 3.13.5, 3.13.18, 3.14.10 and 3.15.2 debug builds). */
static const int64_t pattern_debug_fields[] = {80, -1};
/* _threadmodule.c localobject (3.13+): {head, args, kw, weakreflist,
 * localdicts, thread_watchdogs}. */
static const int64_t local313_fields[] = {16, 24, 40, 48, -1};
/* _struct.Struct: s_format after s_size, s_len, s_codes.  operator's
 * attrgetter and itemgetter: the attr or item after a count; methodcaller:
 * name (from 3.10), args, kwds.  ast.AST: its dict. */
static const int64_t struct_fields[] = {40, -1};
static const int64_t getter_fields[] = {24, -1};
static const int64_t methodcaller_fields[] = {16, 24, 32, -1};
static const int64_t methodcaller_fields_39[] = {24, 32, -1};  /* 3.8, 3.9: not the name */
static const int64_t ast_fields[] = {16, -1};

/* _struct.Struct's __sizeof__: one formatcode per code, plus the
 * terminating one (from the layouts). */
static uint64_t struct_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t codes = u64_at(t, obj + (uint64_t)L->struct_s_codes), n = 1;
    uint64_t es = (uint64_t)L->struct_formatcode_size;
    while (codes && n < (1u << 24) && u64_at(t, codes + (n - 1) * es))
        n++;
    return (uint64_t)ti->basicsize + n * es;
}

#define FIELDS(name, list, ...) {.definer = (name), .fields = (list), .traverse_kind = TRAVERSE_FIELDS, __VA_ARGS__}

static const struct family_entry entries[] = {
    FIELDS("_abc._abc_data", abc_data_fields),
    FIELDS("_thread.lock", none),
    FIELDS("_thread.RLock", none),
    FIELDS("_thread._local", local313_fields, .min_minor = 13),
    FIELDS("_json.Scanner", scanner_hook_fields, .max_minor = 8),
    FIELDS("_json.Scanner", scanner_fields, .min_minor = 9, .max_minor = 12),
    FIELDS("_json.Scanner", scanner_hook_fields, .min_minor = 13, .max_minor = 14),
    FIELDS("_json.Scanner", scanner_fields, .min_minor = 15),
    FIELDS("re.Pattern", pattern_fields, .max_minor = 12),
    FIELDS("re.Pattern", pattern_fields, .min_minor = 13, .debug_fields = pattern_debug_fields),
    FIELDS("_struct.Struct", struct_fields),
    {.definer = "_struct.Struct", .by_layout = true, .size = struct_size, .size_kind = SIZE_STRUCT},
    {.definer = "Struct", .by_layout = true, .size = struct_size, .size_kind = SIZE_STRUCT}, /* its tp_name in 3.8 */
    FIELDS("operator.attrgetter", getter_fields),
    FIELDS("operator.itemgetter", getter_fields),
    FIELDS("operator.methodcaller", methodcaller_fields_39, .max_minor = 9),
    FIELDS("operator.methodcaller", methodcaller_fields, .min_minor = 10, .max_minor = 13),
    FIELDS("ast.AST", ast_fields),
    FIELDS("_ast.AST", ast_fields),
    {.definer = "_ssl._SSLSocket", .traverse = sslsocket_traverse},
    {.definer = "sqlite3.Connection", .min_minor = 10, .max_minor = 10, .fields = sqlite_connection310},
    {.definer = "sqlite3.Connection", .min_minor = 11, .max_minor = 11, .fields = sqlite_connection311, .traverse = sqlite_callbacks},
    {.definer = "sqlite3.Connection", .min_minor = 12, .max_minor = 14, .fields = sqlite_connection312, .traverse = sqlite_callbacks},
    {.definer = "sqlite3.Connection", .min_minor = 15, .fields = sqlite_connection315, .traverse = sqlite_callbacks},
    {.definer = "pyexpat.xmlparser", .traverse = xmlparser_traverse},
    {.definer = "_queue.SimpleQueue", .min_minor = 13, .traverse = simplequeue_ring, .size = simplequeue_size},
    {.definer = "sqlite3.Blob", .min_minor = 11, .fields = first},
    {.definer = "os.statx_result", .min_minor = 15, .fields = none},
    /* sentinel (3.15): read from its code (three fields in 3.15.2). */
    {.definer = "pickle.PickleBuffer", .fields = second},
    {.definer = "_pickle.PicklerMemoProxy", .fields = first},
    {.definer = "_pickle.UnpicklerMemoProxy", .fields = first},
    {.definer = "FrameLocalsProxy", .min_minor = 13, .fields = first},
    {.definer = "zoneinfo.ZoneInfo", .min_minor = 12, .fields = first},
    {.definer = "typing.ParamSpecArgs", .min_minor = 12, .fields = first},
    {.definer = "typing.ParamSpecKwargs", .min_minor = 12, .fields = first},
    {.definer = "string.templatelib.Interpolation", .min_minor = 14, .fields = four},
    {.definer = "string.templatelib.Template", .min_minor = 14, .fields = two},
    {.definer = "string.templatelib.TemplateIter", .min_minor = 14, .fields = two},
    {.definer = "_md5.md5", .fields = none},
    {.definer = "_sha1.sha1", .fields = none},
    {.definer = "_sha256.sha224", .fields = none},
    {.definer = "_sha256.sha256", .fields = none},
    {.definer = "_sha512.sha384", .fields = none},
    {.definer = "_sha512.sha512", .fields = none},
    {.definer = "_sha2.SHA224Type", .min_minor = 12, .fields = none},
    {.definer = "_sha2.SHA256Type", .min_minor = 12, .fields = none},
    {.definer = "_sha2.SHA384Type", .min_minor = 12, .fields = none},
    {.definer = "_sha2.SHA512Type", .min_minor = 12, .fields = none},
    {.definer = "compression.zstd.ZstdCompressor", .min_minor = 14, .fields = zstd_dict_user},
    {.definer = "compression.zstd.ZstdDecompressor", .min_minor = 14, .fields = zstd_dict_user},
    {.definer = "InstructionSequence", .min_minor = 13, .max_minor = 13, .fields = instruction_sequence313},
    {.definer = "InstructionSequence", .min_minor = 14, .fields = instruction_sequence314},
    {.definer = "unpack_iterator", .fields = unpack_iterator},
    {.definer = "_struct.unpack_iterator", .fields = unpack_iterator},
    {.definer = "xml.etree.ElementTree.TreeBuilder", .fields = treebuilder},
    {.definer = "xml.etree.ElementTree.XMLParser", .fields = xmlparser},
    {.definer = "_elementtree._element_iterator", .traverse = element_iter_traverse},
    {.definer = "_thread._ThreadHandle", .min_minor = 13, .fields = none},
    {.definer = "functools._PlaceholderType", .min_minor = 14, .fields = none},
    {.definer = "_csv.reader", .fields = csv_reader},
    {.definer = "_csv.writer", .max_minor = 9, .fields = csv_writer38},
    {.definer = "_csv.writer", .min_minor = 10, .fields = csv_writer},
    {.definer = "_csv.Dialect", .min_minor = 10, .fields = csv_dialect},
    {.definer = "_json.Encoder", .fields = json_encoder},
    {.definer = "_queue.SimpleQueue", .max_minor = 12, .fields = simplequeue},
    /* socketmodule.h PySocketSockObject {sock_fd, family, type, proto,
     * errorhandler, sock_timeout, 3.12+: state}: no object field (the
     * slots of socket.socket, its Python subclass, are the subclass's). */
    {.definer = "_socket.socket", .fields = none},
    {.definer = "_thread._local", .max_minor = 12, .fields = local38},
    {.definer = "decimal.Context", .min_minor = 13, .fields = decimal_context},
    {.definer = "decimal.Decimal", .min_minor = 13, .fields = none},
    {.definer = "sqlite3.Row", .fields = sqlite_row},
    {.definer = "sqlite3.Cursor", .max_minor = 10, .fields = sqlite_cursor38},
    {.definer = "sqlite3.Cursor", .min_minor = 11, .fields = sqlite_cursor},
    {.definer = "sqlite3.PrepareProtocol", .fields = none},
    {.definer = "operator.methodcaller", .min_minor = 14, .fields = methodcaller314},
    {.definer = "_lsprof.Profiler", .max_minor = 12, .fields = none},
    {.definer = "_lsprof.Profiler", .min_minor = 13, .max_minor = 14, .fields = profiler313},
    {.definer = "_lsprof.Profiler", .min_minor = 15, .fields = profiler315},
    /* Only their type (a heap type's traverse visits it). */
    {.definer = "_ssl.MemoryBIO", .fields = none},
    {.definer = "mmap.mmap", .fields = none},
    {.definer = "unicodedata.UCD", .fields = none},
    /* zlib._ZlibDecompressor: none; its traverse visits zdict from 3.13.x
     * (not 3.13.5): read from its code, which knows the patch level. */
    {.definer = "_blake2.blake2b", .fields = none},
    {.definer = "_blake2.blake2s", .fields = none},
    {.definer = "_sha3.sha3_224", .fields = none},
    {.definer = "_sha3.sha3_256", .fields = none},
    {.definer = "_sha3.sha3_384", .fields = none},
    {.definer = "_sha3.sha3_512", .fields = none},
    {.definer = "_sha3.shake_128", .fields = none},
    {.definer = "_sha3.shake_256", .fields = none},
    {.definer = "array.array", .fields = none, .size = array_size},
    {.definer = "decimal.Decimal", .size = decimal_size},
    {.definer = "xml.etree.ElementTree.Element", .traverse = element_traverse, .size = element_size},
};

const struct family family_library = FAMILY("library", entries);
