// Only the header matters: SwiftPM needs one source file to make this a C target.
#include "CFuzzerDriver.h"
