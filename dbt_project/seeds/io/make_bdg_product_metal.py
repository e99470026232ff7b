"""Expand product_metal_rules.txt over the HS92 product list into bdg_product_metal.csv (one row per hs6, metal).

Run from the repository root:
    .venv/bin/python dbt_project/seeds/io/make_bdg_product_metal.py ../shared/data/baci/product_codes_HS92_V202301.csv
A rule on a longer prefix adds to (never removes) the metals of a shorter one.  Only the 15 metals of
seeds/metals.csv with in_content_set = true are allowed.
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
ALLOWED = {"Li", "Cr", "Co", "Ni", "Ga", "Mo", "Pd", "Nd", "Dy", "Pt", "Fe", "Cu", "Pb", "Zn", "Al"}
SOURCE = "HS 1992 nomenclature text as in CEPII BACI product_codes_HS92_V202301 (and HS chapter notes)"


def main(product_codes: str) -> None:
    """Write the seed next to this script."""
    with open(product_codes, encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    rules = []
    for line in (HERE / "product_metal_rules.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prefix, metals, evidence, basis = (part.strip() for part in line.split("|"))
        for metal in metals.split(","):
            if metal not in ALLOWED:
                raise ValueError(f"{metal} is not one of the 15 content metals")
            if not any(code.startswith(prefix) for code in codes):
                raise ValueError(f"prefix {prefix} matches no HS92 code")
            rules.append((prefix, metal, evidence, basis))
    rows = {}
    for prefix, metal, evidence, basis in sorted(rules, key=lambda r: len(r[0])):
        for code in codes:
            if code.startswith(prefix):
                rows[(code, metal)] = (evidence, basis)
    with open(HERE / "bdg_product_metal.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["hs6", "metal", "evidence", "basis", "source"])
        for (code, metal), (evidence, basis) in sorted(rows.items()):
            out.writerow([code, metal, evidence, basis, SOURCE])


if __name__ == "__main__":
    main(sys.argv[1])
