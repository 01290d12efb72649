"""Fill empty msgstr from translation dicts given as python files; report what is left."""

import runpy
import sys

import polib

po = polib.pofile(sys.argv[1])
T, P = {}, {}
for f in sys.argv[2:]:
    ns = runpy.run_path(f)
    T.update(ns.get("T", {}))
    P.update(ns.get("PLURAL", {}))
missing = []
for e in po:
    if e.obsolete:
        continue
    if e.msgid_plural:
        if e.msgid in P:
            e.msgstr_plural = {0: P[e.msgid]}
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        elif not e.msgstr_plural.get(0):
            missing.append(e.msgid)
    else:
        if e.msgid in T:
            e.msgstr = T[e.msgid]
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        elif not e.msgstr:
            missing.append(e.msgid)
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "zh_Hans"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
po.save()
print("missing:", len(missing))
for m in missing:
    print(repr(m))
