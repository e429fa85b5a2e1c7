/* version.h - campaignd's version, once: `campaignd --version`, the
 * campaignd_build_info metric and the Debian package. */
#ifndef CAMPAIGND_VERSION_H
#define CAMPAIGND_VERSION_H

#define CAMPAIGND_VERSION "0.11.0"

#endif
