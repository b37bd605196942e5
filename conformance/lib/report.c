/* report.c - format selection: which writer a report goes to. */
#include "report.h"

#include "report_json.h"
#include "report_junit.h"
#include "report_ktap.h"
#include "report_sarif.h"
#include "report_text.h"

#include <string.h>

bool report_format_parse(const char *text, enum report_format *format)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {{"text", REPORT_TEXT}, {"json", REPORT_JSON}, {"junit", REPORT_JUNIT},
		     {"sarif", REPORT_SARIF}, {"ktap", REPORT_KTAP}};
	for (size_t index = 0; index < sizeof(formats) / sizeof(formats[0]); index++) {
		if (strcmp(text, formats[index].name) == 0) {
			*format = formats[index].format;
			return true;
		}
	}
	return false;
}

void report_write(FILE *stream, enum report_format format, const struct check_report *report,
		  const struct report_options *options)
{
	switch (format) {
	case REPORT_TEXT: report_write_text(stream, report, options); break;
	case REPORT_JSON: report_write_json(stream, report, options); break;
	case REPORT_JUNIT: report_write_junit(stream, report); break;
	case REPORT_SARIF: report_write_sarif(stream, report, options); break;
	case REPORT_KTAP: report_write_ktap(stream, report); break;
	}
}
