/* Per-thread last-error slot: library functions return a code and leave
 * a one-line message here for the caller to print. */
#include <stdarg.h>
#include <stdio.h>
#include "secretgate/secretgate.h"

static __thread char last_error[512];

const char *sg_error_last(void)
{
	return last_error;
}

int sg_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

void sg_error_clear(void)
{
	last_error[0] = '\0';
}
