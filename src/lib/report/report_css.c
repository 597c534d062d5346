/* The HTML report's style sheet, kept as a CSS file and embedded here. */
#include "util/embed.h"

SG_EMBED(sg_report_css, "src/lib/report/report.css");
