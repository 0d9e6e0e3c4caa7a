"""Suppression: no shown number about fewer than five people, no hidden number that can be worked out."""
from __future__ import annotations

import itertools
import random

import pytest

from bril.insight.suppression import FEW, GIVES_AWAY, MINIMUM, suppress


def possible_values(table, counts) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell can have, given what the table shows: all tables of non-negative counts
    with the shown cells and totals (a brute force, independent of the module's algebra)."""
    rows, columns = len(counts), len(counts[0])
    hidden = [(r, c) for r in range(rows) for c in range(columns) if not table.cells[r][c].shown]
    shown_total = table.total.value
    ceiling = shown_total if shown_total is not None else sum(map(sum, counts)) + 10
    found: dict[tuple[int, int], set[int]] = {cell: set() for cell in hidden}

    def consistent(grid) -> bool:
        for r in range(rows):
            if table.row_totals[r].shown and sum(grid[r]) != table.row_totals[r].value:
                return False
        for c in range(columns):
            if table.column_totals[c].shown and sum(grid[r][c] for r in range(rows)) != table.column_totals[c].value:
                return False
        return shown_total is None or sum(map(sum, grid)) == shown_total

    def partial_ok(grid, upto: int) -> bool:
        # prune: no row or column may pass its shown total
        for r in range(rows):
            if table.row_totals[r].shown and sum(grid[r]) > table.row_totals[r].value:
                return False
        for c in range(columns):
            if table.column_totals[c].shown and sum(grid[r][c] for r in range(rows)) > table.column_totals[c].value:
                return False
        return True

    grid = [[table.cells[r][c].value if table.cells[r][c].shown else 0 for c in range(columns)] for r in range(rows)]

    last_in_row = {r: max((i for i, (rr, _) in enumerate(hidden) if rr == r), default=None) for r in range(rows)}

    class Enough(Exception):
        pass

    def fill(i: int) -> None:
        if i == len(hidden):
            if consistent(grid):
                for cell in hidden:
                    found[cell].add(grid[cell[0]][cell[1]])
                if all(len(values) > 1 for values in found.values()):
                    raise Enough
            return
        r, c = hidden[i]
        if last_in_row[r] == i and table.row_totals[r].shown:  # the row's total leaves one value
            grid[r][c] = 0
            forced = table.row_totals[r].value - sum(grid[r])
            choices = [forced] if forced >= 0 else []
        else:
            limit = min([ceiling] + [t.value for t in (table.row_totals[r], table.column_totals[c]) if t.shown])
            choices = range(limit + 1)
        for value in choices:
            grid[r][c] = value
            if not partial_ok(grid, i):
                break
            fill(i + 1)
        grid[r][c] = 0

    try:
        fill(0)
    except Enough:
        pass
    return found


def test_a_count_under_five_is_hidden_and_so_is_the_one_that_would_give_it_back():
    table = suppress([[3, 10, 12]])
    assert [f.value for f in table.cells[0]] == [None, None, 12]
    assert table.cells[0][0].reason == FEW
    assert table.cells[0][1].reason == GIVES_AWAY
    assert table.row_totals[0].value == 25


def test_a_small_row_hides_all_of_its_counts_even_zeros():
    table = suppress([[2, 0, 1], [10, 8, 9]])
    assert not any(f.shown for f in table.cells[0])
    assert table.row_totals[0].reason == FEW


def test_large_counts_stay_as_they_are():
    table = suppress([[10, 20], [30, 40]])
    assert table.hidden == 0
    assert table.total.value == 100


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_show_nothing_small_and_give_nothing_away(seed):
    chooser = random.Random(seed)
    rows, columns = chooser.choice([(1, 3), (2, 2), (2, 3), (3, 2), (3, 3), (4, 3)])
    counts = [[chooser.choice([0, 1, 2, 3, 4, 5, 6, 7]) for _ in range(columns)] for _ in range(rows)]
    table = suppress(counts)
    for r, c in itertools.product(range(rows), range(columns)):
        figure = table.cells[r][c]
        if figure.shown:
            assert figure.value == counts[r][c]
            assert figure.value == 0 or figure.value >= MINIMUM
            empty_line = sum(counts[r]) == 0 or sum(row[c] for row in counts) == 0  # zeros about nobody
            assert empty_line or FEW not in (table.row_totals[r].reason, table.column_totals[c].reason)
    for figure in (*table.row_totals, *table.column_totals, table.total):
        assert not figure.shown or figure.value == 0 or figure.value >= MINIMUM
    for cell, values in possible_values(table, counts).items():
        assert len(values) > 1, f"cel {cell} is uit te rekenen in {counts}: {table}"
