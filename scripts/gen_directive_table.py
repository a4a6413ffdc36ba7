#!/usr/bin/env python3
"""Writes libngxconf's directive table for one nginx version from nginx's own source.

It reads what nginx's generic directive check (ngx_conf_handler in src/core/ngx_conf_file.c)
decides on: every `ngx_command_t` array (name, type mask: contexts, argument rule, block-ness),
the type of the module that owns it (`ngx_module_t ... = { NGX_MODULE_V1, ctx, commands, TYPE`),
and, for block directives, the context their handler opens (the `cf->module_type =` and
`cf->cmd_type =` it assigns) or whether it reads its body itself (`cf->handler =`: map, types,
geo, *_by_lua_block, ...; nginx checks no directive inside those).

Usage:
  gen_directive_table.py --version 1.22.1 --nginx SRC [--module NAME=DIR ...] --out FILE.inc

SRC is nginx's release tarball unpacked (Debian's .orig.tar.gz); each --module DIR a third-party
module's source. The output is a C++ initializer list included by
libngxconf/src/check/tables.cpp; the same input gives the same bytes (tests diff a regeneration).
"""
import argparse
import os
import re
import sys

MODULE_TYPES = {
    "NGX_CORE_MODULE": "core",
    "NGX_CONF_MODULE": "conf",
    "NGX_EVENT_MODULE": "event",
    "NGX_HTTP_MODULE": "http",
    "NGX_STREAM_MODULE": "stream",
    "NGX_MAIL_MODULE": "mail",
}

# Where a handler's (module type, cmd_type) assignment leads: the library's context names.
CONTEXTS = {
    ("core", "NGX_MAIN_CONF"): "main",
    ("event", "NGX_EVENT_CONF"): "events",
    ("http", "NGX_HTTP_MAIN_CONF"): "http",
    ("http", "NGX_HTTP_SRV_CONF"): "http_server",
    ("http", "NGX_HTTP_LOC_CONF"): "http_location",
    ("http", "NGX_HTTP_UPS_CONF"): "http_upstream",
    ("http", "NGX_HTTP_SIF_CONF"): "http_if_server",
    ("http", "NGX_HTTP_LIF_CONF"): "http_if_location",
    ("http", "NGX_HTTP_LMT_CONF"): "http_limit_except",
    ("stream", "NGX_STREAM_MAIN_CONF"): "stream",
    ("stream", "NGX_STREAM_SRV_CONF"): "stream_server",
    ("stream", "NGX_STREAM_UPS_CONF"): "stream_upstream",
    ("mail", "NGX_MAIL_MAIN_CONF"): "mail",
    ("mail", "NGX_MAIL_SRV_CONF"): "mail_server",
}

# Sources nginx never compiles on Linux (other platforms' event methods, Windows) and test
# scaffolding: their directives would be "unknown directive" to every Linux nginx.
SKIP_PARTS = ("/src/os/win32/", "/event/modules/ngx_kqueue_module.c",
              "/event/modules/ngx_devpoll_module.c", "/event/modules/ngx_eventport_module.c",
              "/event/modules/ngx_iocp_module.c", "/event/modules/ngx_win32_",
              "/misc/ngx_cpp_test_module.cpp")


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def source_files(root, exts):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(exts):
                path = os.path.join(dirpath, f)
                if not any(p in path.replace(os.sep, "/") for p in SKIP_PARTS):
                    yield path


def read_defines(files):
    """Every `#define NGX_X value` (continuation lines joined), for evaluating type masks."""
    defines = {}
    for path in files:
        with open(path, encoding="latin-1") as f:
            text = strip_comments(f.read().replace("\\\n", " "))
        for m in re.finditer(r"^#\s*define\s+((?:NGX|NDK)_\w+)[ \t]+([^\n]+)$", text, re.M):
            defines.setdefault(m.group(1), m.group(2).strip())
    return defines


def evaluate(expr, defines, depth=0):
    if depth > 20:
        raise ValueError("macro loop in " + expr)

    def name_value(m):
        name = m.group(0)
        if name not in defines:
            raise KeyError(name)
        return "(" + str(evaluate(defines[name], defines, depth + 1)) + ")"

    py = re.sub(r"\b(?:NGX|NDK)_\w+\b", name_value, expr)
    py = re.sub(r"\b(0x[0-9A-Fa-f]+|\d+)[uUlL]*\b", r"\1", py)
    if not re.fullmatch(r"[0-9A-Fa-fx()|\s]+", py):
        raise ValueError("not a mask: " + expr)
    return eval(" ".join(py.split()))  # only digits, '|' and parentheses reach here


def function_bodies(texts):
    """name -> body of every `name(ngx_conf_t *cf, ...)` definition, by the start-of-line rule
    nginx's style follows (return type on the line above, name at column 0)."""
    bodies = {}
    for text in texts:
        for m in re.finditer(r"^(\w+)\(ngx_conf_t \*cf,[^)]*\)\s*\{", text, re.M):
            end = text.find("\n}\n", m.end())
            bodies.setdefault(m.group(1), text[m.end():end if end >= 0 else len(text)])
    return bodies


def block_body(handler, own_type, bodies):
    """What a block directive's handler does with its body."""
    body = bodies.get(handler)
    if body is None:
        return "opaque"  # not found: nginx may read it any way; the library checks nothing inside
    if re.search(r"\bcf->handler\s*=", body):
        return "opaque"
    mtype = re.findall(r"\bcf->module_type\s*=\s*(NGX_\w+_MODULE)", body)
    cmd = re.findall(r"\bcf->cmd_type\s*=\s*(NGX_\w+)", body)
    kind = MODULE_TYPES[mtype[0]] if mtype else own_type
    if sorted(set(cmd)) == ["NGX_HTTP_LIF_CONF", "NGX_HTTP_SIF_CONF"]:
        return "http_if"  # `if`: SIF in a server, LIF in a location
    if len(set(cmd)) != 1 or (kind, cmd[0]) not in CONTEXTS:
        return "opaque"
    return CONTEXTS[(kind, cmd[0])]


def module_name(symbol):
    name = symbol[4:] if symbol.startswith("ngx_") else symbol
    return name[:-7] if name.endswith("_module") else name


def scan(root, group, defines, rows, seen):
    files = list(source_files(root, (".c", ".cpp")))
    texts = []
    for path in files:
        with open(path, encoding="latin-1") as f:
            texts.append(strip_comments(f.read()))
    bodies = function_bodies(texts)
    for text in texts:
        arrays = {}
        for m in re.finditer(r"ngx_command_t\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)ngx_null_command", text, re.S):
            arrays[m.group(1)] = m.group(2)
        modules = re.finditer(r"ngx_module_t\s+(\w+)\s*=\s*\{\s*NGX_MODULE_V1\s*,\s*&?\w+\s*,\s*(\w+)\s*,"
                              r"\s*(NGX_\w+_MODULE)", text)
        for m in modules:
            symbol, commands, mtype = m.group(1), m.group(2), m.group(3)
            if commands not in arrays:
                continue
            own_type = MODULE_TYPES[mtype]
            entries = re.finditer(r"\{\s*ngx_string\s*\(\s*\"([^\"]+)\"\s*\)\s*,\s*([^,]+?)\s*,\s*(\w+)\s*,",
                                  arrays[commands])
            for e in entries:
                name, type_expr, handler = e.group(1), e.group(2), e.group(3)
                mask = evaluate(type_expr, defines)
                key = (symbol, name)
                if key in seen:
                    continue  # the other branch of an #if in the same array
                seen.add(key)
                body = block_body(handler, own_type, bodies) if mask & 0x100 else "none"
                rows.append((name, own_type, mask, module_name(symbol), group, body))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--nginx", required=True)
    ap.add_argument("--module", action="append", default=[], help="NAME=DIR")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    roots = [("nginx", os.path.join(args.nginx, "src"))]
    for spec in args.module:
        name, _, path = spec.partition("=")
        roots.append((name, path))
    headers = [p for _, r in roots for p in source_files(r, (".h",))]
    defines = read_defines(headers + [p for _, r in roots for p in source_files(r, (".c",))])
    rows, seen = [], set()
    for group, root in roots:
        scan(root, group, defines, rows, seen)

    out = ["// Generated by scripts/gen_directive_table.py from nginx " + args.version +
           " and the modules below; do not edit (scripts/regen-directive-tables.sh).",
           "// Sources: " + ", ".join(g for g, _ in roots),
           "// name, module type, ngx_command_t type mask, module, source, body of a block"]
    for name, mtype, mask, module, group, body in rows:
        out.append('{"%s", mt::%s, 0x%08x, "%s", "%s", bk::%s},' % (name, mtype, mask, module, group, body))
    with open(args.out, "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")
    counts = {}
    for r in rows:
        counts[r[4]] = counts.get(r[4], 0) + 1
    print("%s: %d directives (%s)" % (args.version, len(rows),
                                      ", ".join("%s %d" % kv for kv in counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
