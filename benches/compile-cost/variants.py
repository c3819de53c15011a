#!/usr/bin/env python3
"""Variants of `ssdto generate`'s output for attributing its compile cost (run.sh with
`ATTRIBUTE=1` or `CRATES=...`; results in BENCHMARKS.md). Not candidates for the generator's
output: each changes one thing so that a build time can be put on it.

usage: variants.py (no-aliases | flatten-bases | field-defaults) CONTRACT.json OURS.rs > variant.rs

- no-aliases: every `alias = "..."` taken out of the `#[serde(...)]` attributes.
- flatten-bases: each derived struct's inherited fields (its first fields, as ssdto writes
  them) replaced by `#[serde(flatten)] pub base: Base`, as ServiceStack's generator does.
  Only for contracts without generic base classes (the synthetic ones).
- field-defaults: a cheaper-looking form of the same behaviour, not a removal: the container's
  `default` taken out and `#[serde(default)]` put on each field that is not an `Option` (serde
  reads a missing `Option` as `None` by itself).
"""
import json
import re
import sys

FIELD = re.compile(r"^    pub (\w+): .*,$")


def no_aliases(text):
    text = re.sub(r'#\[serde\(alias = "[^"]*"\)\]\n\s*', "", text)
    return re.sub(r'\s*alias = "[^"]*",?', "", text).replace("(,", "(").replace(",\n    )]", "\n    )]")


def struct_fields(lines, start):
    """The field chunks (attribute, doc and `pub` lines) of the struct opening at `start`,
    and the index of its closing line."""
    chunks, chunk, i = [], [], start + 1
    while lines[i] != "}":
        chunk.append(lines[i])
        if FIELD.match(lines[i]):
            chunks.append(chunk)
            chunk = []
        i += 1
    return chunks, i


def flatten_bases(contract, text):
    api = contract.get("api", contract)
    types = list(api.get("types") or [])
    for op in api.get("operations") or []:
        types += [op[k] for k in ("request", "response") if op.get(k)]
    bases = {t["name"]: t["inherits"]["name"] for t in types if t.get("inherits")}
    lines = text.split("\n")
    opening = {}
    for i, line in enumerate(lines):
        m = re.match(r"^pub struct (\w+) \{$", line)
        if m:
            opening[m.group(1)] = i
    counts = {name: len(struct_fields(lines, i)[0]) for name, i in opening.items()}
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"^pub struct (\w+) \{$", lines[i])
        base = bases.get(m.group(1)) if m else None
        if base not in counts:
            out.append(lines[i])
            i += 1
            continue
        chunks, end = struct_fields(lines, i)
        out += [lines[i], "    #[serde(flatten)]", "    pub base: %s," % base]
        for chunk in chunks[counts[base]:]:
            out += chunk
        i = end
    return "\n".join(out)


def field_defaults(text):
    text = text.replace('#[serde(rename_all = "camelCase", default)]', '#[serde(rename_all = "camelCase")]')
    out = []
    for line in text.split("\n"):
        m = FIELD.match(line)
        if m and not line.startswith("    pub %s: Option<" % m.group(1)):
            out.append("    #[serde(default)]")
        out.append(line)
    return "\n".join(out)


VARIANTS = ("no-aliases", "flatten-bases", "field-defaults")

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in VARIANTS:
        sys.exit("usage: variants.py (%s) CONTRACT.json OURS.rs" % " | ".join(VARIANTS))
    with open(sys.argv[3], encoding="utf-8") as f:
        ours = f.read()
    if sys.argv[1] == "no-aliases":
        sys.stdout.write(no_aliases(ours))
    elif sys.argv[1] == "field-defaults":
        sys.stdout.write(field_defaults(ours))
    else:
        with open(sys.argv[2], encoding="utf-8") as f:
            sys.stdout.write(flatten_bases(json.load(f), ours))
