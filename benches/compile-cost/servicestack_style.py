#!/usr/bin/env python3
"""Writes the types of a MetadataTypes contract (or /metadata/app.json) as ServiceStack's own
Rust generator shapes them, for the compile-cost comparison (run.sh): a base class embedded
with `#[serde(flatten)]`, every field `Option` with `#[serde(default)]`, enums as `#[repr(i32)]`
derived enums. Types it cannot name become `serde_json::Value`; fields that hold a contract
struct directly are boxed so recursive types have a size.

usage: servicestack_style.py CONTRACT.json > api.rs
"""
import json
import keyword
import re
import sys

PRIMITIVES = {
    "String": "String", "string": "String", "Char": "String", "Guid": "String",
    "DateTime": "String", "DateTimeOffset": "String", "TimeSpan": "String", "DateOnly": "String",
    "TimeOnly": "String", "Uri": "String",
    "Boolean": "bool", "bool": "bool",
    "Byte": "u8", "SByte": "i8", "Int16": "i16", "UInt16": "u16", "Int32": "i32", "int": "i32",
    "UInt32": "u32", "Int64": "i64", "long": "i64", "UInt64": "u64",
    "Single": "f32", "Double": "f64", "double": "f64", "Decimal": "f64", "decimal": "f64",
    "Object": "serde_json::Value", "object": "serde_json::Value",
}
LISTS = {"List", "IList", "ICollection", "IEnumerable", "HashSet", "ISet", "IReadOnlyList",
         "IReadOnlyCollection", "Collection", "SortedSet", "Queue", "Stack", "LinkedList"}
MAPS = {"Dictionary", "IDictionary", "SortedDictionary", "IReadOnlyDictionary",
        "ConcurrentDictionary", "SortedList", "OrderedDictionary"}
RUST_RESERVED = set(keyword.kwlist) | {"type", "match", "fn", "impl", "mod", "move", "mut", "ref",
    "self", "Self", "struct", "super", "trait", "use", "where", "crate", "enum", "extern", "loop",
    "priv", "pub", "unsafe", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "typeof", "unsized", "virtual", "yield", "try", "async", "await", "const",
    "static", "let", "gen"}

VALUE = "serde_json::Value"


def base_name(name):
    return re.sub(r"\W", "_", name.split("`")[0])


def snake(name):
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"\W", "_", s).lower().strip("_") or "field"
    if s[0].isdigit():
        s = "_" + s
    if s in RUST_RESERVED:
        s = s + "_"
    return s


def camel(name):
    m = re.match(r"^([A-Z]+)(?=[A-Z][a-z]|$)", name)
    if m and len(m.group(1)) > 1 and len(m.group(1)) < len(name):
        return m.group(1)[:-1].lower() + name[len(m.group(1)) - 1:]
    if m and len(m.group(1)) == len(name):
        return name.lower()
    return name[:1].lower() + name[1:]


def parse_text(text):
    """C#-style type text (`List<Foo>`, `Foo[]`, `Dictionary<string,Bar>`) -> (name, args)."""
    text = text.strip()
    if text.endswith("[]"):
        return ("List", [parse_text(text[:-2])])
    if text.endswith("?"):
        return parse_text(text[:-1])
    if "<" in text and text.endswith(">"):
        head, inner = text[: text.index("<")], text[text.index("<") + 1 : -1]
        args, depth, start = [], 0, 0
        for i, c in enumerate(inner):
            if c == "<":
                depth += 1
            elif c == ">":
                depth -= 1
            elif c == "," and depth == 0:
                args.append(parse_text(inner[start:i]))
                start = i + 1
        args.append(parse_text(inner[start:]))
        return (head, args)
    return (text, [])


class Emitter:
    def __init__(self, contract):
        api = contract.get("api", contract)
        types = list(api.get("types") or [])
        for op in api.get("operations") or []:
            for key in ("request", "response"):
                if op.get(key):
                    types.append(op[key])
        self.types = {}
        for t in types:
            self.types.setdefault(base_name(t["name"]), t)
        self.structs = {n for n, t in self.types.items() if not t.get("isEnum")}

    def arity(self, name):
        t = self.types.get(name)
        return len(t.get("genericArgs") or []) if t and t.get("isGenericTypeDef") else 0

    def ty(self, name, args, params):
        name = name.split(".")[-1]
        if name in params:
            return name
        if name.endswith("[]"):
            return "Vec<%s>" % self.ty(name[:-2], args, params)
        plain = base_name(name)
        if plain in PRIMITIVES:
            return PRIMITIVES[plain]
        if plain == "Nullable" and args:
            return self.ty(*args[0], params)
        if plain in LISTS:
            return "Vec<%s>" % (self.ty(*args[0], params) if args else VALUE)
        if plain in MAPS:
            value = self.ty(*args[1], params) if len(args) == 2 else VALUE
            return "std::collections::HashMap<String, %s>" % value
        if plain in self.types:
            n = self.arity(plain)
            if n != len(args):
                return VALUE if n else plain
            if not n:
                return plain
            return "%s<%s>" % (plain, ", ".join(self.ty(*a, params) for a in args))
        return VALUE

    def prop_ty(self, prop, params):
        args = [parse_text(a) for a in prop.get("genericArgs") or []]
        return self.ty(prop.get("type", "Object"), args, params)

    def emit(self):
        out = ["#![allow(non_camel_case_types, non_snake_case, dead_code, clippy::all)]",
               "use serde::{Deserialize, Serialize};", ""]
        for name, t in self.types.items():
            out.extend(self.enum(name, t) if t.get("isEnum") else self.struct(name, t))
        return "\n".join(out) + "\n"

    def enum(self, name, t):
        names = t.get("enumNames") or ["None"]
        values = t.get("enumValues") or []
        lines = ["#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]",
                 "#[repr(i32)]", "pub enum %s {" % name]
        seen, used = set(), set()
        for i, n in enumerate(names):
            ident = re.sub(r"\W", "_", n) or "_"
            if ident[0].isdigit():
                ident = "_" + ident
            if ident in RUST_RESERVED or ident == "Self":
                ident += "_"
            while ident in seen:
                ident += "_"
            seen.add(ident)
            value = values[i] if i < len(values) and re.fullmatch(r"-?\d+", str(values[i])) else None
            if value is not None and (int(value) in used or not -2**31 <= int(value) < 2**31):
                value = None
            attrs = ("#[default] " if i == 0 else "") + ('#[serde(rename = "%s")] ' % n)
            if value is not None:
                used.add(int(value))
                lines.append("    %s%s = %s," % (attrs, ident, value))
            elif any(re.fullmatch(r"-?\d+", str(v)) for v in values):
                # Mixed explicit and implicit discriminants could collide: leave this one out.
                continue
            else:
                lines.append("    %s%s," % (attrs, ident))
        lines += ["}", ""]
        return lines

    def base(self, t, params):
        """The Rust type of `t`'s base class, if it is a struct of the contract."""
        inherits = t.get("inherits")
        if not inherits:
            return None
        args = [parse_text(a) for a in inherits.get("genericArgs") or []]
        base = self.ty(inherits["name"], args, params)
        return base if base != VALUE and base_name(inherits["name"]) in self.structs else None

    def struct(self, name, t):
        params = [base_name(p) for p in (t.get("genericArgs") or [])] if t.get("isGenericTypeDef") else []
        generics = "<%s>" % ", ".join(params) if params else ""
        lines = ["#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]",
                 "pub struct %s%s {" % (name, generics)]
        used_text = []
        props = []
        base_type = self.base(t, params)
        if base_type:
            lines += ["    #[serde(flatten)]", "    pub base: %s," % base_type]
            used_text.append(base_type)
        props += [(prop, params) for prop in t.get("properties") or []]
        seen = {"base"}
        for prop, prop_params in props:
            field = snake(prop["name"])
            while field in seen:
                field += "_"
            seen.add(field)
            rust = self.prop_ty(prop, prop_params)
            if rust in self.structs or rust.split("<")[0] in self.structs:
                rust = "Box<%s>" % rust
            used_text.append(rust)
            wire = (prop.get("dataMember") or {}).get("name") or camel(prop["name"])
            lines.append('    #[serde(rename = "%s", default, skip_serializing_if = "Option::is_none")]'
                         % wire)
            lines.append("    pub %s: Option<%s>," % (field, rust))
        for p in params:
            if not any(re.search(r"\b%s\b" % re.escape(p), u) for u in used_text):
                lines += ["    #[serde(skip)]", "    pub _%s: std::marker::PhantomData<%s>," % (p.lower(), p)]
        lines += ["}", ""]
        return lines


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: servicestack_style.py CONTRACT.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        contract = json.load(f)
    sys.stdout.write(Emitter(contract).emit())
