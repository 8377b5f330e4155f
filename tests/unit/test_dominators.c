/* The dominator tree and retained sizes of dominators.c equal a plain
 * quadratic reference on thousands of random graphs: an object d dominates w
 * when w is no longer reachable from the roots once d is removed; w's
 * immediate dominator is its strict dominator with the most dominators of its
 * own.  The graphs mix cycles, shared subgraphs, unreachable parts, repeated
 * edges, roots named twice and heapy's extra edges beside tp_traverse's.
 * The seed is printed; PYHEAPSCAN_TEST_SEED=N replays one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* before cmocka.h, whose fail() macro would take errors.h's fail() */
#include "analysis/dominators.h"
#include "analysis/paths.h"
#include "model/heap.h"
#include "analysis/reach.h"
#include "analysis/referrers.h"

#include <cmocka.h>

#define MAXN 64
#define GRAPHS 4000

static uint64_t rng_state;

static uint32_t rnd(uint32_t below)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % below);
}

struct graph {
    size_t n;
    bool adj[MAXN][MAXN];      /* adj[v][w]: some edge v -> w */
    bool root[MAXN];
};

/* Builds a heap from edge lists: each edge goes in tp_traverse's run or
 * the extra run at random, some twice. */
static void random_heap(struct heap *h, struct graph *g)
{
    heap_init(h);
    size_t n = 1 + rnd(MAXN);
    memset(g, 0, sizeof *g);
    g->n = n;
    h->count = h->traversed = n;
    h->addr = calloc(n, sizeof *h->addr);
    h->size = calloc(n, sizeof *h->size);
    h->refcnt = calloc(n, sizeof *h->refcnt);
    h->edge_start = calloc(n + 1, sizeof *h->edge_start);
    uint32_t *extra_start = calloc(n + 1, sizeof *extra_start);
    h->edge_to = malloc(4 * MAXN * MAXN * sizeof *h->edge_to);
    h->extra_to = malloc(4 * MAXN * MAXN * sizeof *h->extra_to);
    h->roots = calloc(8, sizeof *h->roots);
    for (size_t i = 0; i < n; i++) {
        h->addr[i] = 0x1000 + 16 * i;
        h->size[i] = 16 + rnd(1000);
    }
    /* shapes: sparse (long chains, unreachable parts), dense (many paths),
     * a ring with chords (cycles) */
    uint32_t shape = rnd(3), per_mille = shape == 0 ? 15 + rnd(40) : 60 + rnd(200);
    for (size_t v = 0; v < n; v++) {
        size_t first = h->nedges, xfirst = h->nextra;
        for (size_t w = 0; w < n; w++) {
            bool edge = rnd(1000) < per_mille || (shape == 2 && w == (v + 1) % n && rnd(8));
            if (!edge)
                continue;
            for (uint32_t twice = rnd(10) == 0 ? 2 : 1; twice; twice--) {
                if (rnd(4) == 0)
                    h->extra_to[h->nextra++] = (uint32_t)w;
                else
                    h->edge_to[h->nedges++] = (uint32_t)w;
            }
            g->adj[v][w] = true;
        }
        h->edge_start[v] = first;
        extra_start[v] = xfirst;
    }
    h->edge_start[n] = h->nedges;
    extra_start[n] = h->nextra;
    assert_true(heap_extra_from_starts(h, extra_start));
    free(extra_start);
    /* The edges were appended in object order, so start[v] as recorded is right. */
    for (uint32_t r = 1 + rnd(4); r; r--) {
        uint32_t o = rnd((uint32_t)n);
        h->roots[h->nroots].object = o;
        snprintf(h->roots[h->nroots].name, sizeof h->roots[0].name, "r%u", r);
        h->nroots++;
        g->root[o] = true;
    }
}

/* Which objects the roots reach when `removed` (MAXN: none) is gone. */
static void reach_without(const struct graph *g, size_t removed, bool *out)
{
    size_t stack[MAXN], sp = 0;
    memset(out, 0, MAXN * sizeof *out);
    for (size_t v = 0; v < g->n; v++)
        if (g->root[v] && v != removed && !out[v]) {
            out[v] = true;
            stack[sp++] = v;
        }
    while (sp) {
        size_t v = stack[--sp];
        for (size_t w = 0; w < g->n; w++)
            if (g->adj[v][w] && w != removed && !out[w]) {
                out[w] = true;
                stack[sp++] = w;
            }
    }
}

static void check_one(unsigned long long seed)
{
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    struct heap h;
    struct graph g;
    random_heap(&h, &g);
    struct error err = {0};
    assert_true(heap_reach(&h, NULL, NULL, &err));
    struct referrers r;
    assert_true(referrers_build(&h, &r));
    struct dominators d;
    assert_true(dominators_compute(&h, &r, &d));

    bool reach[MAXN], dom[MAXN][MAXN]; /* dom[a][w]: a dominates w (a != w) */
    reach_without(&g, MAXN, reach);
    size_t ndoms[MAXN] = {0}, nreach = 0;
    for (size_t a = 0; a < g.n; a++) {
        bool without[MAXN];
        reach_without(&g, a, without);
        for (size_t w = 0; w < g.n; w++) {
            dom[a][w] = a != w && reach[a] && reach[w] && !without[w];
            ndoms[w] += dom[a][w];
        }
    }
    for (size_t w = 0; w < g.n; w++) {
        nreach += reach[w];
        uint32_t want = DOMINATOR_NONE;
        uint64_t retained = 0;
        if (reach[w]) {
            want = DOMINATOR_ROOT;
            for (size_t a = 0; a < g.n; a++)
                if (dom[a][w] && (want == DOMINATOR_ROOT || ndoms[a] > ndoms[want]))
                    want = (uint32_t)a;
            retained = h.size[w];
            for (size_t x = 0; x < g.n; x++)
                retained += dom[w][x] ? h.size[x] : 0;
        }
        if (d.idom[w] != want || d.retained[w] != retained)
            fprintf(stderr, "seed %llu: object %zu: idom %u retained %llu, reference %u %llu\n", seed, w,
                    d.idom[w], (unsigned long long)d.retained[w], want, (unsigned long long)retained);
        assert_int_equal(d.idom[w], want);
        assert_int_equal(d.retained[w], retained);
        assert_int_equal(reach[w], (h.reach[w] & REACH_ROOTED) != 0);
        /* a set of one object retains what the object dominates */
        uint8_t in[MAXN] = {0};
        in[w] = 1;
        assert_int_equal(retained_of_set(&h, in), retained);
    }
    assert_int_equal(d.nreachable, nreach);

    /* a set of several: what is unreachable once they all are gone, which
     * can exceed the sum of its members' own retained sizes (an object
     * held by two members) */
    uint8_t in[MAXN] = {0};
    bool gone[MAXN] = {0}, without[MAXN];
    for (size_t w = 0; w < g.n; w++)
        in[w] = rnd(4) == 0;
    struct graph cut = g;
    for (size_t v = 0; v < g.n; v++)
        for (size_t w = 0; w < g.n; w++)
            if (in[w] || in[v])
                cut.adj[v][w] = false;
    for (size_t v = 0; v < g.n; v++)
        cut.root[v] = g.root[v] && !in[v];
    reach_without(&cut, MAXN, without);
    uint64_t want = 0;
    for (size_t w = 0; w < g.n; w++) {
        gone[w] = reach[w] && !without[w];
        want += gone[w] ? h.size[w] : 0;
    }
    assert_int_equal(retained_of_set(&h, in), want);

    /* the children index lists each reachable object under its dominator */
    struct dominator_children c;
    assert_true(dominator_children_build(&h, &d, &c));
    for (size_t w = 0; w < g.n; w++) {
        if (!reach[w])
            continue;
        size_t parent = d.idom[w] == DOMINATOR_ROOT ? g.n : d.idom[w], found = 0;
        for (uint64_t k = c.start[parent]; k < c.start[parent + 1]; k++)
            found += c.child[k] == w;
        assert_int_equal(found, 1);
    }
    dominator_children_free(&c);
    dominators_free(&d);
    referrers_free(&r);
    heap_free(&h);
}

struct path_check {
    const struct heap *h;
    const struct referrers *r;
    const uint32_t *dist;
    uint32_t target;
    size_t seen;
};

/* Each path handed out: as long as the distance, root first, each step an
 * entry of its object's referrers, each referrer the previous object. */
static bool check_path(void *vctx, const uint64_t *step, const uint32_t *obj, size_t len)
{
    struct path_check *c = vctx;
    assert_int_equal(len, c->dist[c->target]);
    assert_int_equal(obj[len - 1], c->target);
    for (size_t k = 0; k < len; k++) {
        assert_true(step[k] >= c->r->start[obj[k]] && step[k] < c->r->start[obj[k] + 1]);
        uint32_t from = c->r->from[step[k]];
        if (k == 0)
            assert_true(from == REFERRER_ROOT);
        else
            assert_int_equal(from, obj[k - 1]);
    }
    c->seen++;
    return true;
}

/* Shortest paths: the distances are a breadth-first search's, the paths
 * handed out are as many as a count by dynamic programming says (each a
 * distinct sequence of referrer entries) and each is well formed; the
 * merged paths of every reachable object count them all at the top. */
static void check_paths(unsigned long long seed)
{
    rng_state = seed * 0x9E3779B97F4A7C15ull + 7;
    struct heap h;
    struct graph g;
    random_heap(&h, &g);
    struct error err = {0};
    assert_true(heap_reach(&h, NULL, NULL, &err));
    struct referrers r;
    assert_true(referrers_build(&h, &r));
    uint32_t *dist = NULL;
    assert_true(paths_distances(&h, &dist));
    uint32_t want[MAXN];
    uint64_t count[MAXN] = {0};
    size_t queue[MAXN], head = 0, tail = 0;
    for (size_t v = 0; v < g.n; v++)
        want[v] = PATH_UNREACHED;
    for (size_t k = 0; k < h.nroots; k++) {
        uint32_t o = h.roots[k].object;
        count[o]++;
        if (want[o] == PATH_UNREACHED) {
            want[o] = 1;
            queue[tail++] = o;
        }
    }
    while (head < tail) {
        size_t v = queue[head++];
        for (size_t w = 0; w < g.n; w++)
            if (g.adj[v][w] && want[w] == PATH_UNREACHED) {
                want[w] = want[v] + 1;
                queue[tail++] = w;
            }
    }
    /* paths counted in order of distance: every edge entry one step nearer */
    for (size_t q = 0; q < tail; q++) {
        size_t x = queue[q];
        for (uint64_t e = r.start[x]; e < r.start[x + 1]; e++)
            if (r.from[e] != REFERRER_ROOT && want[r.from[e]] + 1 == want[x])
                count[x] += count[r.from[e]];
    }
    uint32_t reached[MAXN];
    size_t nreached = 0;
    for (size_t x = 0; x < g.n; x++) {
        assert_int_equal(dist[x], want[x]);
        if (want[x] == PATH_UNREACHED || count[x] > 5000)
            continue;
        reached[nreached++] = (uint32_t)x;
        struct path_check c = {&h, &r, dist, (uint32_t)x, 0};
        assert_int_equal(paths_shortest(&h, &r, dist, (uint32_t)x, 0, check_path, &c), count[x]);
        assert_int_equal(c.seen, count[x]);
    }
    struct merged_paths m;
    assert_true(paths_merge(&h, &r, dist, reached, nreached, &m));
    assert_int_equal(m.node[0].count, nreached);
    size_t members = 0;
    for (size_t k = 1; k < m.n; k++) {
        members += m.node[k].member;
        assert_true(m.node[k].parent < k);
    }
    assert_int_equal(members, nreached);
    merged_paths_free(&m);
    free(dist);
    referrers_free(&r);
    heap_free(&h);
}

static void random_graphs_give_every_shortest_path(void **state)
{
    (void)state;
    const char *given = getenv("PYHEAPSCAN_TEST_SEED");
    unsigned long long base = given ? strtoull(given, NULL, 0) : (unsigned long long)time(NULL);
    int graphs = given ? 1 : GRAPHS;
    printf("paths: %d random graphs from seed %llu (PYHEAPSCAN_TEST_SEED=%llu+k replays graph k)\n",
           graphs, base, base);
    for (int k = 0; k < graphs; k++)
        check_paths(base + (unsigned long long)k);
}

static void random_graphs_match_the_quadratic_reference(void **state)
{
    (void)state;
    const char *given = getenv("PYHEAPSCAN_TEST_SEED");
    unsigned long long base = given ? strtoull(given, NULL, 0) : (unsigned long long)time(NULL);
    int graphs = given ? 1 : GRAPHS;
    printf("dominators: %d random graphs from seed %llu (PYHEAPSCAN_TEST_SEED=%llu+k replays graph k)\n",
           graphs, base, base);
    for (int k = 0; k < graphs; k++)
        check_one(base + (unsigned long long)k);
}

/* The chain a -> b -> c -> ... of 200000 objects: a recursive DFS or EVAL
 * would need a stack that deep. */
static void a_long_chain_needs_no_recursion(void **state)
{
    (void)state;
    struct heap h;
    heap_init(&h);
    size_t n = 200000;
    h.count = h.traversed = n;
    h.size = calloc(n, sizeof *h.size);
    h.refcnt = calloc(n, sizeof *h.refcnt);
    h.edge_start = calloc(n + 1, sizeof *h.edge_start);
    h.edge_to = calloc(n, sizeof *h.edge_to);
    h.roots = calloc(1, sizeof *h.roots);
    for (size_t i = 0; i < n; i++) {
        h.size[i] = 8;
        h.edge_start[i] = h.nedges;
        if (i + 1 < n)
            h.edge_to[h.nedges++] = (uint32_t)(i + 1);
    }
    h.edge_start[n] = h.nedges;
    h.nroots = 1;
    struct error err = {0};
    assert_true(heap_reach(&h, NULL, NULL, &err));
    struct referrers r;
    assert_true(referrers_build(&h, &r));
    struct dominators d;
    assert_true(dominators_compute(&h, &r, &d));
    assert_int_equal(d.retained[0], 8 * n);
    assert_int_equal(d.retained[n / 2], 8 * (n - n / 2));
    assert_int_equal(d.idom[n - 1], n - 2);
    assert_int_equal(d.idom[0], DOMINATOR_ROOT);
    dominators_free(&d);
    referrers_free(&r);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_graphs_match_the_quadratic_reference),
        cmocka_unit_test(a_long_chain_needs_no_recursion),
        cmocka_unit_test(random_graphs_give_every_shortest_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
