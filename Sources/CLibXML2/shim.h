#ifndef MKT_CLIBXML2_SHIM_H
#define MKT_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, so libxml/encoding.h would include ICU's headers; Foundation
   ships its own ICU module, and the two definitions of UErrorCode clash in any Swift module that
   imports both. mkt never touches the ICU-dependent fields (xmlCharEncodingHandler is only used
   through pointers), so the ICU parts of the headers are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#endif
