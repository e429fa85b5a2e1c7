#!/usr/bin/python3
"""Checks that campaignd's layers only call downward (make test runs it).

The layers, bottom first; a module is a src/NAME.c and its NAME.h:

  blocks    building blocks that know no server type
  model     the documents of the API and their rules, pure
  store     storage: the drivers (sqldb_*), the connection layer, the
            concern files, store.c on top; knows nothing of HTTP
  run       the runner: schedules firing, runs going (execution spec)
  api       one file per group of routes, and authentication
  server    libmicrohttpd glue and the router
  commands  main, the CLI commands, the demo

Two checks, both must hold:
  1. includes: a file may include only headers of its own layer or below;
  2. calls: from the objects' symbol tables (nm), a module may use a symbol
     defined by a module of its own layer or below, and the graph of uses
     between modules has no cycle, within a layer too.

Usage: check-layers.py OBJDIR   (the objects of src/*.c, e.g. build/san)
Prints every violation and "layers: N passed, M failed"; exit 1 on any.
check-layers.py --self-test compiles three small objects that break both
rules (an upward call and a cycle) and fails unless both are reported.
"""
import os
import re
import subprocess
import sys

LAYERS = [
    ("blocks", "xalloc log timefmt tz ids apierr contract text check jsonio jstream lcache lcount ratelimit whsig prom version asset asset_data"),
    ("model", "campaign campaign_body clist query lifecycle calendar outcome sim report"),
    ("store", "sqldb sqldb_sqlite sqldb_pg store_int store_conn store_counts store_rows"
              " store_tenants store_campaigns store_clists store_listing store_import store_runs store"),
    ("run", "channel channel_sim channel_webhook runner"),
    ("api", "auth api api_store api_util api_health api_campaigns api_lifecycle api_listing api_clists api_attempts api_files"),
    ("server", "listener router dispatch metrics server"),
    ("commands", "cli cli_common cli_admin cli_campaign cli_io cli_serve demo main"),
]
LAYER = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods.split()}
NAME = [n for n, _ in LAYERS]
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def layer_of(module, problems, where):
    if module not in LAYER:
        problems.append("%s: module %s is in no layer (add it to scripts/check-layers.py)"
                        % (where, module))
        return None
    return LAYER[module]


def check_includes(problems):
    checked = 0
    for f in sorted(os.listdir(SRC)):
        if not f.endswith((".c", ".h")):
            continue
        mod = f.rsplit(".", 1)[0]
        me = layer_of(mod, problems, f)
        with open(os.path.join(SRC, f)) as fh:
            for no, line in enumerate(fh, 1):
                m = re.match(r'\s*#\s*include\s+"([a-z0-9_]+)\.h"', line)
                if not m:
                    continue
                checked += 1
                other = layer_of(m.group(1), problems, "%s:%d" % (f, no))
                if me is not None and other is not None and other > me:
                    problems.append("%s:%d: %s (%s) includes %s.h (%s), a layer above"
                                    % (f, no, mod, NAME[me], m.group(1), NAME[other]))
    return checked


def symbols(objdir):
    """{module: (defined, undefined)} from nm of OBJDIR/*.o."""
    out = {}
    for f in sorted(os.listdir(objdir)):
        if not f.endswith(".o"):
            continue
        r = subprocess.run(["nm", "-P", os.path.join(objdir, f)], capture_output=True,
                           text=True, check=True)
        d, u = set(), set()
        for line in r.stdout.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == "U":
                u.add(name)
            elif kind in "TDBR":
                d.add(name)
        out[f[:-2]] = (d, u)
    return out


def check_calls(objdir, problems):
    syms = symbols(objdir)
    if not syms:
        problems.append("%s: no objects to check" % objdir)
        return 0
    owner = {}
    for mod, (d, _) in syms.items():
        for s in d:
            owner[s] = mod
    uses = {m: {} for m in syms}
    for mod, (_, u) in syms.items():
        for s in u:
            if s in owner and owner[s] != mod:
                uses[mod].setdefault(owner[s], s)
    checked = 0
    for mod in sorted(uses):
        me = layer_of(mod, problems, mod + ".o")
        for other, sym in sorted(uses[mod].items()):
            checked += 1
            ol = layer_of(other, problems, other + ".o")
            if me is not None and ol is not None and ol > me:
                problems.append("%s.o (%s) calls %s of %s.o (%s), a layer above"
                                % (mod, NAME[me], sym, other, NAME[ol]))
    # cycles: depth-first search, reporting each cycle once
    state, stack = {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for o in sorted(uses[m]):
            if state.get(o) == 1:
                cyc = stack[stack.index(o):] + [o]
                problems.append("cycle: " + " -> ".join(
                    "%s (%s)" % (x, uses[a][x]) if i else x
                    for i, (a, x) in enumerate(zip([None] + cyc, cyc))))
            elif o not in state:
                visit(o)
        stack.pop()
        state[m] = 2

    for m in sorted(uses):
        if m not in state:
            visit(m)
    return checked


SELF_TEST = {
    "timefmt.c": "int log_b(void);\nint timefmt_a(void) { return log_b(); }\n",
    "log.c": "int timefmt_a(void);\nint server_x(void);\n"
             "int log_b(void) { return timefmt_a() + server_x(); }\n",
    "server.c": "int server_x(void) { return 1; }\n",
}


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for name, text in SELF_TEST.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
            subprocess.run(["cc", "-c", "-o", os.path.join(d, name[:-2] + ".o"),
                            os.path.join(d, name)], check=True)
        problems = []
        check_calls(d, problems)
    want = ["log.o (blocks) calls server_x of server.o (server), a layer above",
            "cycle: log -> timefmt (timefmt_a) -> log (log_b)"]
    ok = problems == want
    print("layers self-test: %s" % ("ok" if ok else "expected %r, got %r" % (want, problems)))
    print("layers self-test: %d passed, %d failed" % (ok, not ok))
    sys.exit(0 if ok else 1)


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        self_test()
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    problems = []
    n = check_includes(problems) + check_calls(sys.argv[1], problems)
    for p in problems:
        print("layers: " + p)
    print("layers: %d includes and calls checked, %d violations" % (n, len(problems)))
    print("layers: %d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
