#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Seed corpora for the fuzzers, made from what the tree already has.

  seeds.py policy  OUTDIR   every policy in policies/ and tests/ (*.yaml),
                            the ```yaml blocks of docs/*.md, and the policy
                            texts the C tests spell as string literals
                            (macros such as POLICY_HEAD expanded, printf
                            conversions filled in)
  seeds.py request POLICYDIR OUTDIR
                            client byte streams for fuzz_request: an apply
                            frame per seed policy, and delete, mode, list, report
                            and getevents frames; the first byte of each is
                            fuzz_request's chunk size (0: all at once)

  seeds.py dict    OUTFILE   a libFuzzer dictionary for fuzz_policy: every
                            word the parser knows (userspace/policy_parse.c,
                            policy_names.c) and YAML's own punctuation

One file per distinct input, named by its hash, so reruns are idempotent.
"""
import hashlib
import os
import re
import struct
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def write_seed(outdir, data, ext):
    if isinstance(data, str):
        data = data.encode()
    name = hashlib.sha1(data).hexdigest()[:16] + ext
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)
    return name


# --- C string literals -------------------------------------------------------

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v", "?": "?", "e": "\x1b"}


def unescape(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        if n in ESCAPES:
            out.append(ESCAPES[n])
            i += 2
        elif n == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(chr(int(m.group(0), 16) & 0xff))
            i += 2 + len(m.group(0))
        elif n in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(chr(int(m.group(0), 8) & 0xff))
            i += 1 + len(m.group(0))
        else:
            out.append(n)
            i += 2
    # sources are read as latin-1, so every character is one source byte
    return "".join(out).encode("latin-1")


TOKEN = re.compile(r'''
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)*')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<space>\s+)
  | (?P<other>.)
''', re.S | re.X)


def tokens(text):
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("comment", "space"):
            continue
        yield kind, m.group(0)


def split_defines(text):
    """Returns (code without preprocessor lines, {macro: body tokens})."""
    text = text.replace("\\\n", " ")
    code, macros = [], {}
    for line in text.split("\n"):
        m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)(\(?)(.*)", line)
        if m and not m.group(2):
            macros[m.group(1)] = list(tokens(m.group(3)))
        code.append("" if line.lstrip().startswith("#") else line)
    return "\n".join(code), macros


def expand(macros, name, seen=()):
    """The bytes of a macro that is only string literals and such macros, else None."""
    if name in seen or name not in macros or not macros[name]:
        return None
    out = b""
    for kind, tok in macros[name]:
        if kind == "string":
            out += unescape(tok[1:-1])
        elif kind == "ident":
            sub = expand(macros, tok, seen + (name,))
            if sub is None:
                return None
            out += sub
        else:
            return None
    return out


PRINTF = re.compile(rb"%(%|[-+ #0]*[0-9]*(?:\.[0-9]+)?(?:hh|h|ll|l|z|j|t)?[sdiuxXc])")


def fill_printf(b):
    def sub(m):
        conv = m.group(1)
        if conv == b"%":
            return b"%"
        return b"seed" if conv.endswith(b"s") else b"1"
    return PRINTF.sub(sub, b)


def c_policies(path, header_macros):
    with open(path, encoding="latin-1") as f:
        code, macros = split_defines(f.read())
    macros = {**header_macros, **macros}
    run, found = None, []
    for kind, tok in list(tokens(code)) + [("other", ";")]:
        piece = None
        if kind == "string":
            piece = unescape(tok[1:-1])
        elif kind == "ident":
            piece = expand(macros, tok)
        if piece is not None:
            run = (run or b"") + piece
            continue
        if run is not None and b"spec:" in run and (b"apiVersion" in run or b"kind:" in run):
            found.append(fill_printf(run))
        run = None
    return found


def policy_seeds(outdir):
    os.makedirs(outdir, exist_ok=True)
    seeds, counts = set(), {}

    def add(origin, data):
        seeds.add(write_seed(outdir, data, ".yaml"))
        counts[origin] = counts.get(origin, 0) + 1

    for top in ("policies", "tests"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for fn in sorted(files):
                if fn.endswith((".yaml", ".yml")):
                    with open(os.path.join(d, fn), "rb") as f:
                        add("yaml files", f.read())
    for fn in sorted(os.listdir(os.path.join(ROOT, "docs"))):
        if fn.endswith(".md"):
            with open(os.path.join(ROOT, "docs", fn), encoding="utf-8") as f:
                for block in re.findall(r"```yaml\n(.*?)```", f.read(), re.S):
                    add("docs", block)
    header_macros = {}
    for d, _, files in os.walk(os.path.join(ROOT, "tests")):
        for fn in sorted(files):
            if fn.endswith(".h"):
                with open(os.path.join(d, fn), encoding="latin-1") as f:
                    header_macros.update(split_defines(f.read())[1])
    for d, _, files in os.walk(os.path.join(ROOT, "tests")):
        for fn in sorted(files):
            if fn.endswith((".c", ".h")):
                for text in c_policies(os.path.join(d, fn), header_macros):
                    add("C tests", text)
    print("fuzz seeds: %d policies (%s)" % (len(seeds), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))


# --- protobuf, by hand (proto/api.proto) ------------------------------------

def varint(n):
    out = b""
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def ld(field, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def vi(field, n):
    return varint(field << 3) + varint(n)


def frame(payload):
    return struct.pack("<I", len(payload)) + payload


AUDIT, ENFORCE = 1, 2


def apply_req(files, mode=0, replace=False):
    body = b"".join(ld(1, ld(1, name) + ld(2, yaml)) for name, yaml in files)
    if mode:
        body += vi(2, mode)
    if replace:
        body += vi(3, 1)
    return ld(1, body)


def request_seeds(policydir, outdir):
    os.makedirs(outdir, exist_ok=True)
    seeds = set()

    def add(stream, chunk=0):
        seeds.add(write_seed(outdir, bytes([chunk]) + stream, ".bin"))

    policies = []
    for fn in sorted(os.listdir(policydir)):
        with open(os.path.join(policydir, fn), "rb") as f:
            policies.append((fn, f.read()))
    for fn, yaml in policies:
        add(frame(apply_req([(fn, yaml)], AUDIT)))
    if len(policies) >= 3:
        add(frame(apply_req(policies[:3], ENFORCE, replace=True)))
    delete = ld(2, ld(1, "kill-unshare"))
    mode = ld(3, ld(1, "kill-unshare") + vi(2, ENFORCE))
    lst = ld(4, b"")
    report = ld(6, ld(1, "kill-unshare"))
    types = ld(2, varint(10) + varint(28) + varint(100))
    getev = ld(5, ld(1, "kill-unshare") + ld(1, "sensitive-files") + types + ld(3, "^/usr/bin/(cat|unshare)$"))
    for req in (delete, mode, lst, getev, report, ld(5, b""), b""):
        add(frame(req))
    # several requests on one connection, split into small writes
    add(frame(lst) + frame(report) + frame(mode) + frame(delete) + frame(getev), chunk=7)
    if policies:
        add(frame(apply_req([policies[0]])) + frame(lst), chunk=3)
    print("fuzz seeds: %d client streams" % len(seeds))


YAML_TOKENS = ["- ", ": ", "\n  ", "\n- ", "&a ", "*a", "<<: ", "!!str ", "!!int ", "!!binary ", "? ", "{", "}",
               "[", "]", "|", ">-", "'", "\"", "#", "---\n", "...\n", "~", "0x", "-1", "\\", "%YAML 1.2\n"]


def dict_char(c):
    """libFuzzer's dictionary syntax: \\, \" and \xAB escapes only."""
    if c in '\\"':
        return "\\" + c
    return c if " " <= c <= "~" else "\\x%02X" % ord(c)


def dictionary(outfile):
    words = set()
    for fn in ("policy_parse.c", "policy_names.c"):
        with open(os.path.join(ROOT, "userspace", fn), encoding="latin-1") as f:
            for kind, tok in tokens(split_defines(f.read())[0]):
                if kind == "string" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_./:-]+", tok[1:-1]):
                    words.add(tok[1:-1])
    with open(outfile, "w") as f:
        for w in sorted(words) + YAML_TOKENS:
            f.write('"%s"\n' % "".join(dict_char(c) for c in w))
    print("fuzz dictionary: %d words" % (len(words) + len(YAML_TOKENS)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "policy":
        policy_seeds(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "dict":
        dictionary(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "request":
        request_seeds(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
