#pragma once
// What libngxconf and libngxconf_swag export from a shared build. Both are compiled with
// hidden symbols by default (-fvisibility=hidden -fvisibility-inlines-hidden), so only what
// carries one of these marks is part of the .so's dynamic symbol table: the public classes
// (exceptions included: their typeinfo must be one object on both sides of the boundary for
// `catch` to match) and free functions of the public headers. Plain aggregates (the option
// and result structs) have no code in the library and need no mark; inline functions none.
//
// Written by hand rather than generated (GenerateExportHeader): on ELF the same attribute
// serves building and using the library, static or shared, so one header from the source
// tree fits every build and install, and nothing depends on a generated file. The library
// needs POSIX (it is not built for Windows), hence no dllexport/dllimport branch.
#if defined(__GNUC__) || defined(__clang__)
#define NGXCONF_API __attribute__((visibility("default")))
#else
#define NGXCONF_API
#endif

// The SWAG/Authentik layer (ngxconf::swag) is a library of its own.
#define NGXCONF_SWAG_API NGXCONF_API
