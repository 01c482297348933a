"""Real data shipped with calcviz, read and checked before anything is fitted to it.

Three small CSVs in ``calcviz/data/`` (their sources and licences are in
``calcviz/data/README.md``):

* Galton's heights of 934 adult children (1886): :func:`load_heights`, and the
  histogram a Gaussian is fitted to, :func:`height_histogram`;
* the Mauna Loa CO2 record 1959–1997, the Keeling curve: :func:`load_co2`;
* Palmer penguins' bill length and depth, for a classifier: :func:`load_penguins`.

Every loader goes through :func:`read_csv`, which names the file, row and column of the
first bad value: a scene should never be drawn from a silently broken file.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import CalcvizError, require_array, require_choice, require_number, require_positive, show
from .result import frozen_array

DATA_DIR = Path(__file__).resolve().parent / "data"

# A column's kind: `float` (a finite number), `str` (any text) or a tuple of allowed words.
ColumnKind = type | tuple[str, ...]


# --- the generic reader -------------------------------------------------------------
def read_csv(path: str | Path, columns: Mapping[str, ColumnKind]) -> dict[str, np.ndarray]:
    """Read the named ``columns`` of a CSV with a header row into read-only arrays.

    ``columns`` maps each needed column to its kind: ``float`` (every value must be a
    finite number), ``str`` (any non-empty text) or a tuple of the allowed words. Other
    columns in the file are ignored. Rows are counted from 1 after the header, so the
    message for "row 3" points at line 4 of the file.

    >>> read_csv(DATA_DIR / "mauna_loa_co2.csv", {"co2_ppm": float})["co2_ppm"][:2]
    array([315.42, 316.31])
    """
    path = _path(path)
    columns = _columns(columns)
    if not path.is_file():
        raise CalcvizError(f"data file {path} not found")
    try:
        return _read(path, columns)
    except UnicodeDecodeError:
        raise CalcvizError(f"{path.name}: not a UTF-8 text file") from None


def _path(path) -> Path:
    if not isinstance(path, (str, Path)) or not str(path):
        raise CalcvizError(f"a data file path must be text or a Path, got {show(path)}")
    return Path(path)


def _columns(columns) -> dict[str, ColumnKind]:
    """The columns to read, checked: names (text) mapped to float, str or a tuple of allowed words."""
    if not isinstance(columns, Mapping) or not columns:
        raise CalcvizError(f"columns must map column names to kinds, e.g. {{'height_in': float}}, got {show(columns)}")
    for name, kind in columns.items():
        words = isinstance(kind, tuple) and kind and all(isinstance(w, str) for w in kind)
        if not isinstance(name, str) or not (kind is float or kind is str or words):
            raise CalcvizError(f"column {show(name)} must be text mapped to float, str or a tuple of words, "
                               f"got {show(kind)}")
    return dict(columns)


def _read(path: Path, columns: dict[str, ColumnKind]) -> dict[str, np.ndarray]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header:
            raise CalcvizError(f"{path.name}: empty file, expected a header row")
        header = [name.strip() for name in header]
        missing = [name for name in columns if name not in header]
        if missing:
            raise CalcvizError(f"{path.name}: missing column(s) {', '.join(missing)}; found {', '.join(header)}")
        where = {name: header.index(name) for name in columns}
        values: dict[str, list] = {name: [] for name in columns}
        for row_number, row in enumerate(reader, start=1):
            if not any(cell.strip() for cell in row):
                continue  # a blank line (e.g. at the end) is not a row
            if len(row) != len(header):
                raise CalcvizError(
                    f"{path.name} row {row_number}: {len(row)} fields, the header has {len(header)}")
            for name, kind in columns.items():
                values[name].append(_parse(path.name, row_number, name, row[where[name]].strip(), kind))
    if not values or not next(iter(values.values())):
        raise CalcvizError(f"{path.name}: no data rows")
    return {name: frozen_array(v, dtype=float if columns[name] is float else str) for name, v in values.items()}


def _parse(file: str, row: int, column: str, text: str, kind: ColumnKind):
    """One cell, converted to its kind or rejected with its file, row and column."""
    at = f"{file} row {row}, column {column!r}"
    if kind is float:
        try:
            value = float(text)
        except ValueError:
            raise CalcvizError(f"{at}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise CalcvizError(f"{at}: {text!r} is not finite")
        return value
    if not text:
        raise CalcvizError(f"{at}: empty")
    if isinstance(kind, tuple) and text not in kind:
        raise CalcvizError(f"{at}: {text!r} is not one of {', '.join(kind)}")
    return text


# --- Galton's heights ------------------------------------------------------------------
SEXES = ("male", "female")


@dataclass(frozen=True)
class Heights:
    """Adult children's heights in inches, from Galton's family records (1886).

    ``sex`` and ``family`` are string arrays aligned with ``height``; ``which`` is
    ``"male"``, ``"female"`` or ``"both"``.
    """

    height: np.ndarray
    sex: np.ndarray
    family: np.ndarray
    which: str

    def __post_init__(self):
        for name in ("height", "sex", "family"):
            value = getattr(self, name)
            object.__setattr__(self, name, frozen_array(value, dtype=float if name == "height" else str))

    @property
    def n(self) -> int:
        return len(self.height)

    def __repr__(self) -> str:
        return (f"Heights(which={self.which!r}, n={self.n}, mean={self.height.mean():.2f} in, "
                f"sd={self.height.std(ddof=1):.2f} in)")


def load_heights(sex: str | None = None, path: str | Path | None = None) -> Heights:
    """Galton's 934 adult children: ``sex=None`` for everyone, or ``"male"`` / ``"female"``.

    >>> load_heights("male").n
    481
    """
    if sex is not None:
        require_choice("sex", sex, SEXES)
    table = read_csv(DATA_DIR / "galton_heights.csv" if path is None else path,
                     {"family": str, "sex": SEXES, "height_in": float})
    keep = np.ones(len(table["sex"]), dtype=bool) if sex is None else table["sex"] == sex
    return Heights(height=table["height_in"][keep], sex=table["sex"][keep],
                   family=table["family"][keep], which=sex or "both")


MAX_BINS = 100_000


@dataclass(frozen=True)
class Histogram:
    """Counts of values per bin, with the Poisson uncertainty a fit needs.

    ``sigma = √max(count, 1)``: a count is Poisson with variance ≈ the count; an empty bin
    still gets uncertainty 1, so χ² never divides by zero.
    """

    edges: np.ndarray  # (bins + 1,)
    counts: np.ndarray  # (bins,)

    def __post_init__(self):
        object.__setattr__(self, "edges", frozen_array(self.edges))
        object.__setattr__(self, "counts", frozen_array(self.counts))

    @property
    def centres(self) -> np.ndarray:
        return frozen_array((self.edges[:-1] + self.edges[1:]) / 2)

    @property
    def widths(self) -> np.ndarray:
        return frozen_array(np.diff(self.edges))

    @property
    def sigma(self) -> np.ndarray:
        return frozen_array(np.sqrt(np.maximum(self.counts, 1.0)))

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def bin_width(self) -> float:
        return float(self.edges[1] - self.edges[0])

    def __repr__(self) -> str:
        return (f"Histogram(bins={len(self.counts)}, range=[{self.edges[0]:g}, {self.edges[-1]:g}], "
                f"bin_width={self.bin_width:g}, total={self.total})")


def height_histogram(heights: Heights | np.ndarray, bin_width: float = 1.0, offset: float = 0.75) -> Histogram:
    """Counts of heights in equal bins whose edges sit at ``offset + k·bin_width``.

    The default edges at x.75 inches put the recorded values x.0, x.2, x.5 and x.7
    (Galton mostly wrote half inches) well inside one-inch bins, never on an edge.

    >>> height_histogram(load_heights("male")).total
    481
    """
    bin_width, offset = require_positive("bin width", bin_width), require_number("bin offset", offset)
    values = heights.height if isinstance(heights, Heights) else require_array("heights", heights, ndim=1, min_size=0)
    if values.size == 0:
        raise CalcvizError("no heights to bin")
    first = offset + bin_width * np.floor((values.min() - offset) / bin_width)
    span = (values.max() - first) / bin_width
    if not span < MAX_BINS:
        raise CalcvizError(f"bins {bin_width:g} wide would make over {MAX_BINS:,} of them; choose wider bins")
    bins = int(np.floor(span)) + 1
    edges = first + bin_width * np.arange(bins + 1)
    counts, _ = np.histogram(values, bins=edges)
    return Histogram(edges=edges, counts=counts)


# --- the Keeling curve -------------------------------------------------------------------
@dataclass(frozen=True)
class CO2Record:
    """Monthly mean CO2 at Mauna Loa (ppm) against decimal year, 1959–1997.

    Data: C. D. Keeling and T. P. Whorf, Scripps CO2 Program, Scripps Institution of
    Oceanography at UC San Diego (CC BY 4.0), via R's ``datasets::co2``.
    """

    year: np.ndarray  # decimal year of each month, year + (month − 1)/12
    ppm: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "year", frozen_array(self.year))
        object.__setattr__(self, "ppm", frozen_array(self.ppm))

    @property
    def n(self) -> int:
        return len(self.year)

    def __repr__(self) -> str:
        return (f"CO2Record(n={self.n}, years={self.year[0]:.2f}–{self.year[-1]:.2f}, "
                f"ppm={self.ppm.min():.1f}–{self.ppm.max():.1f})")


def load_co2(path: str | Path | None = None) -> CO2Record:
    """The Keeling curve: 468 monthly CO2 means, January 1959 to December 1997.

    >>> load_co2().n
    468
    """
    path = DATA_DIR / "mauna_loa_co2.csv" if path is None else _path(path)
    table = read_csv(path, {"decimal_year": float, "co2_ppm": float})
    year = table["decimal_year"]
    backwards = np.flatnonzero(np.diff(year) <= 0)
    if backwards.size:
        raise CalcvizError(f"{path.name} row {backwards[0] + 2}, column 'decimal_year': times must increase")
    return CO2Record(year=year, ppm=table["co2_ppm"])


# --- Palmer penguins -------------------------------------------------------------------
SPECIES = ("Adelie", "Chinstrap", "Gentoo")
PENGUIN_FEATURES = ("bill_length_mm", "bill_depth_mm")


@dataclass(frozen=True)
class Penguins:
    """Bill length and depth ``X`` (n, 2) of two penguin species, labelled ``y`` = 0 or 1.

    ``y == 0`` is ``species[0]``, ``y == 1`` is ``species[1]``; ``columns`` names the
    columns of ``X``. Same ``X``, ``y``, ``name`` as :class:`calcviz.toy_data.Dataset`.
    """

    X: np.ndarray
    y: np.ndarray
    species: tuple[str, str]
    columns: tuple[str, str] = PENGUIN_FEATURES

    def __post_init__(self):
        object.__setattr__(self, "X", frozen_array(self.X))
        object.__setattr__(self, "y", frozen_array(self.y, dtype=int))

    @property
    def name(self) -> str:
        return f"penguins ({self.species[0]} vs {self.species[1]})"

    @property
    def n(self) -> int:
        return len(self.y)

    def __repr__(self) -> str:
        counts = np.bincount(self.y, minlength=2).tolist()
        return f"Penguins(species={self.species}, n={self.n}, per species={counts})"


def load_penguins(species: Sequence[str] = ("Adelie", "Gentoo"), path: str | Path | None = None) -> Penguins:
    """Bill length and depth (mm) of two species; the first is labelled 0, the second 1.

    >>> load_penguins().X.shape
    (274, 2)
    """
    if isinstance(species, (str, bytes)) or not isinstance(species, Sequence) or len(species) != 2:
        raise CalcvizError(f"choose two different species, got {show(species)}")
    species = tuple(require_choice("species", s, SPECIES) for s in species)
    if species[0] == species[1]:
        raise CalcvizError(f"choose two different species, got {show(species)}")
    table = read_csv(DATA_DIR / "penguins.csv" if path is None else path,
                     {"species": SPECIES, PENGUIN_FEATURES[0]: float, PENGUIN_FEATURES[1]: float})
    keep = np.isin(table["species"], species)
    X = np.column_stack([table[c][keep] for c in PENGUIN_FEATURES])
    y = (table["species"][keep] == species[1]).astype(int)
    return Penguins(X=X, y=y, species=species)
