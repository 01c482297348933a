"""The shipped data sets and their loaders: known facts about the files, and bad files rejected."""
import csv
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcviz.datasets import (DATA_DIR, Heights, height_histogram, load_co2, load_heights, load_penguins,
                              read_csv)
from calcviz.errors import CalcvizError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def raises_one_line(match, fn, *args, **kwargs):
    with pytest.raises(CalcvizError, match=match) as info:
        fn(*args, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


# --- the shipped files: facts stated by their sources -----------------------------------------------
def test_galton_has_934_children_481_sons_453_daughters():
    # HistData's documentation: 934 children in 205 families; 481 male and 453 female.
    everyone, sons, daughters = load_heights(), load_heights("male"), load_heights("female")
    assert (everyone.n, sons.n, daughters.n) == (934, 481, 453)
    assert len(set(everyone.family)) == 205
    assert set(sons.sex) == {"male"} and set(daughters.sex) == {"female"}
    # The first family (001): father 78.5 in; a son of 73.2 in, then daughters of 69.2, 69.0, 69.0.
    assert everyone.height[:4].tolist() == [73.2, 69.2, 69.0, 69.0]
    assert everyone.sex[:2].tolist() == ["male", "female"]


def test_galton_heights_are_plausible_adult_heights():
    sons, daughters = load_heights("male"), load_heights("female")
    assert 56 <= load_heights().height.min() and load_heights().height.max() <= 79
    # Galton's famous observation: men average about 5 inches (a factor ~1.08) taller than women.
    assert 4.5 < sons.height.mean() - daughters.height.mean() < 5.5


def test_co2_is_468_months_from_1959_to_1997():
    co2 = load_co2()
    assert co2.n == 468
    np.testing.assert_allclose(co2.year, 1959 + np.arange(468) / 12, atol=5e-7)
    # R's co2[1] and co2[468], as printed by `head(co2)` / `tail(co2)` in R.
    assert co2.ppm[0] == 315.42 and co2.ppm[-1] == 364.34
    # The Keeling curve rises: every year's mean is above the previous one's.
    yearly = co2.ppm.reshape(39, 12).mean(axis=1)
    assert np.all(np.diff(yearly) > 0)


def test_penguins_two_species_as_X_and_labels():
    data = load_penguins()
    assert data.species == ("Adelie", "Gentoo")
    assert data.X.shape == (274, 2) and data.columns == ("bill_length_mm", "bill_depth_mm")
    assert np.bincount(data.y).tolist() == [151, 123]
    # The first row of the file is Adelie with bill 39.1 × 18.7 mm.
    np.testing.assert_array_equal(data.X[0], [39.1, 18.7])
    assert data.y[0] == 0
    # Gentoo bills are shallower than Adelie bills: the two classes separate.
    assert data.X[data.y == 1, 1].mean() < data.X[data.y == 0, 1].mean() - 2


def test_penguins_label_order_follows_the_species_given():
    a, b = load_penguins(("Adelie", "Chinstrap")), load_penguins(("Chinstrap", "Adelie"))
    np.testing.assert_array_equal(a.y, 1 - b.y)
    assert np.bincount(a.y).tolist() == [151, 68]
    assert "Chinstrap" in a.name


def test_penguins_file_has_no_missing_bills():
    with open(DATA_DIR / "penguins.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 342
    assert all(r["bill_length_mm"] not in ("", "NA") for r in rows)


def test_every_shipped_file_has_a_section_in_the_note():
    note = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.csv"):
        section = note.split(f"## {path.name}")[1].split("\n## ")[0]
        assert "Licence" in section and "Source" in section and "Original study" in section


def test_results_are_read_only():
    heights, co2, penguins = load_heights(), load_co2(), load_penguins()
    for arr in (heights.height, heights.sex, co2.ppm, co2.year, penguins.X, penguins.y):
        with pytest.raises(ValueError):
            arr[0] = arr[1]
    with pytest.raises(AttributeError):
        heights.which = "male"


def test_unknown_choices_are_rejected():
    raises_one_line("unknown sex 'men'", load_heights, "men")
    raises_one_line("unknown species 'Emperor'", load_penguins, ("Adelie", "Emperor"))
    raises_one_line("two different species", load_penguins, ("Adelie", "Adelie"))
    raises_one_line("two different species", load_penguins, ("Adelie",))


# --- read_csv rejects malformed files, naming file, row and column ------------------------------------
COLUMNS = {"t": float, "value": float}


def test_read_csv_reads_named_columns_and_ignores_others(tmp_path):
    path = write(tmp_path / "ok.csv", "t,label,value\n1,a,2.5\n2,b,-3e2\n\n")
    table = read_csv(path, COLUMNS)
    assert set(table) == {"t", "value"}
    assert table["value"].tolist() == [2.5, -300.0]


def test_missing_file(tmp_path):
    raises_one_line("nowhere.csv not found", read_csv, tmp_path / "nowhere.csv", COLUMNS)


def test_empty_file_and_header_only(tmp_path):
    raises_one_line("empty.csv: empty file", read_csv, write(tmp_path / "empty.csv", ""), COLUMNS)
    raises_one_line("head.csv: no data rows", read_csv, write(tmp_path / "head.csv", "t,value\n"), COLUMNS)


def test_missing_column_is_named(tmp_path):
    message = raises_one_line("cols.csv: missing column", read_csv,
                              write(tmp_path / "cols.csv", "t,val\n1,2\n"), COLUMNS)
    assert "value" in message and "found t, val" in message


@pytest.mark.parametrize("cell", ["abc", "", "1,5", "12 ppm"])
def test_non_numeric_value_names_file_row_and_column(tmp_path, cell):
    text = f't,value\n1,2\n2,3\n3,"{cell}"\n'
    message = raises_one_line("bad.csv row 3, column 'value'", read_csv, write(tmp_path / "bad.csv", text), COLUMNS)
    assert "not a number" in message


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity"])
def test_non_finite_value_is_rejected(tmp_path, cell):
    path = write(tmp_path / "nonfinite.csv", f"t,value\n{cell},2\n")
    raises_one_line(r"nonfinite.csv row 1, column 't': .* is not finite", read_csv, path, COLUMNS)


def test_ragged_row_is_rejected(tmp_path):
    path = write(tmp_path / "ragged.csv", "t,value\n1,2\n3\n")
    raises_one_line("ragged.csv row 2: 1 fields, the header has 2", read_csv, path, COLUMNS)


def test_category_outside_the_allowed_words(tmp_path):
    path = write(tmp_path / "sex.csv", "family,sex,height_in\n001,male,70\n001,M,68\n")
    raises_one_line("sex.csv row 2, column 'sex': 'M' is not one of male, female", load_heights, path=path)


def test_loaders_check_their_own_columns(tmp_path):
    path = write(tmp_path / "co2.csv", "year,co2_ppm\n1959,315\n")
    raises_one_line("co2.csv: missing column.*decimal_year", load_co2, path)
    path = write(tmp_path / "heights.csv", "family,sex,height_in\n001,male,tall\n")
    raises_one_line("heights.csv row 1, column 'height_in'", load_heights, path=path)
    path = write(tmp_path / "peng.csv", "species,bill_length_mm,bill_depth_mm\nGentoo,NA,15\n")
    raises_one_line("peng.csv row 1, column 'bill_length_mm': 'NA' is not a number", load_penguins, path=path)


def test_co2_times_must_increase(tmp_path):
    path = write(tmp_path / "co2.csv", "decimal_year,co2_ppm\n1959.0,315\n1959.5,316\n1959.25,317\n")
    raises_one_line("co2.csv row 3, column 'decimal_year': times must increase", load_co2, path)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=30))
def test_read_csv_round_trips_any_finite_floats(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("rt") / "values.csv"
    write(path, "value\n" + "".join(f"{v!r}\n" for v in values))
    assert read_csv(path, {"value": float})["value"].tolist() == values


# --- the histogram a Gaussian is fitted to ----------------------------------------------------------
def test_height_histogram_counts_every_son_in_one_inch_bins():
    sons = load_heights("male")
    hist = height_histogram(sons)
    assert hist.total == 481
    np.testing.assert_allclose(np.diff(hist.edges), 1.0)
    np.testing.assert_allclose(hist.edges % 1, 0.75)  # edges at x.75: no recorded value sits on one
    # Count by hand, value by value.
    by_hand = [sum(lo <= h < hi for h in sons.height) for lo, hi in zip(hist.edges[:-1], hist.edges[1:])]
    assert hist.counts.tolist() == by_hand
    np.testing.assert_allclose(hist.centres, hist.edges[:-1] + 0.5)


def test_poisson_uncertainty_is_root_count_and_never_zero():
    hist = height_histogram(load_heights("male"))
    assert 0 in hist.counts  # Galton's sons leave gaps in the tails
    expected = [math.sqrt(c) if c > 0 else 1.0 for c in hist.counts]
    np.testing.assert_allclose(hist.sigma, expected)


@given(st.lists(st.floats(50, 90), min_size=1, max_size=200), st.sampled_from([0.25, 0.5, 1.0, 2.0]),
       st.floats(0, 1))
def test_histogram_holds_every_value_once(values, width, offset):
    hist = height_histogram(np.array(values), bin_width=width, offset=offset)
    assert hist.total == len(values)
    assert hist.edges[0] <= min(values) and max(values) < hist.edges[-1]
    np.testing.assert_allclose(np.diff(hist.edges), width)
    assert hist.counts[0] > 0 and hist.counts[-1] > 0  # no empty bins beyond the data


def test_histogram_rejects_bad_widths_and_no_data():
    raises_one_line("bin width must be > 0", height_histogram, load_heights(), bin_width=0)
    raises_one_line("no heights", height_histogram, np.array([]))


def test_heights_repr_tells_the_story():
    text = repr(load_heights("female"))
    assert "female" in text and "n=453" in text
    assert isinstance(load_heights("female"), Heights)
