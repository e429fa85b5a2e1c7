#!/usr/bin/python3
"""Turns openapi.yaml into the JSON that campaignd serves at GET /openapi.json
and prints with `campaignd openapi` (the Makefile builds it in).

Usage: openapi-json.py openapi.yaml OUT.json [src/version.h]
Refuses YAML that JSON cannot carry (non-string keys, dates): the
description must mean the same in both forms; and, given version.h, an
info.version other than CAMPAIGND_VERSION."""
import datetime
import json
import re
import sys

import yaml


def check(node, where="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                sys.exit("%s: key %r is not a string" % (where, k))
            check(v, "%s.%s" % (where, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check(v, "%s[%d]" % (where, i))
    elif isinstance(node, (datetime.date, datetime.datetime)):
        sys.exit("%s: %r is a YAML date; quote it" % (where, node))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    check(doc)
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            m = re.search(r'#define CAMPAIGND_VERSION "([^"]+)"', f.read())
        if not m or doc["info"]["version"] != m.group(1):
            sys.exit("openapi.yaml: info.version %r is not CAMPAIGND_VERSION %r of %s"
                     % (doc["info"]["version"], m and m.group(1), sys.argv[3]))
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)


main()
