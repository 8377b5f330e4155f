/* The report to look at (`suspects --format html`): one self-contained
 * page, its CSS and JavaScript inline, nothing fetched: the suspects (and a
 * series' growth by kind as a chart), the dominator tree as a zoomable
 * treemap, and the reachable heap by kind as a sortable table with each
 * row's retained size.  The page is scanner/output/report_page.html; the
 * data goes in it as JSON. */
#ifndef PYHEAPSCAN_FORMAT_HTML_H
#define PYHEAPSCAN_FORMAT_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "output/format_paths.h"
#include "analysis/partition.h"

/* report_json: what `suspects --format json` writes for the same heap or
 * series; table: the reachable set by kind, retained sizes in its first
 * p->nretained rows, of which the first `rows` (0: all) are shown.  False
 * when out of memory. */
bool format_html_report(FILE *out, const struct why_alive *w, const char *title, const char *report_json,
                        const struct partition *table, size_t rows);

#endif
