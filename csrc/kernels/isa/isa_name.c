/* Each per-ISA object names itself, so tests can check that dispatch reaches it. */
#include "isa.h"

#define HB_STR_(x) #x
#define HB_STR(x) HB_STR_(x)

const char *HB_ISA_FN(hb_isa_object_name)(void) { return HB_STR(HB_ISA_NAME); }
