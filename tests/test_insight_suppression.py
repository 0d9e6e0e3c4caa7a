"""Suppression: no shown number about fewer than five people, no hidden number that can be worked out."""
from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from bril.insight.suppression import FEW, GIVES_AWAY, MINIMUM, Figure, suppress


def derivable_cells(table, counts) -> list[tuple[int, int]]:
    """The hidden cells that can be worked out from what the table shows: no other table of non-negative
    counts with the same shown cells and totals gives them another value than their true one (a search
    over tables, independent of the module's algebra)."""
    rows, columns = len(counts), len(counts[0])
    hidden = [(r, c) for r in range(rows) for c in range(columns) if not table.cells[r][c].shown]
    shown_total = table.total.value
    ceiling = shown_total if shown_total is not None else sum(map(sum, counts)) + 10
    row_total = [t.value if t.shown else None for t in table.row_totals]
    column_total = [t.value if t.shown else None for t in table.column_totals]

    def another_table(target: tuple[int, int]) -> bool:
        """Is there a table that shows the same and gives `target` another value than its true one?"""
        order = [target] + [cell for cell in hidden if cell != target]
        grid = [[table.cells[r][c].value if table.cells[r][c].shown else 0 for c in range(columns)]
                for r in range(rows)]
        # The last hidden cell of a row or column with a shown total has one possible value: it is forced.
        last_of_row = {r: max(i for i, cell in enumerate(order) if cell[0] == r) for r, _ in order}
        last_of_column = {c: max(i for i, cell in enumerate(order) if cell[1] == c) for _, c in order}

        def room(r: int, c: int) -> int:
            limits = [ceiling - sum(map(sum, grid))]
            if row_total[r] is not None:
                limits.append(row_total[r] - sum(grid[r]))
            if column_total[c] is not None:
                limits.append(column_total[c] - sum(grid[x][c] for x in range(rows)))
            return min(limits)

        def fill(i: int) -> bool:
            if i == len(order):
                return shown_total is None or sum(map(sum, grid)) == shown_total
            r, c = order[i]
            most = room(r, c)
            if most < 0:
                return False
            forced = []
            if last_of_row[r] == i and row_total[r] is not None:
                forced.append(row_total[r] - sum(grid[r]))
            if last_of_column[c] == i and column_total[c] is not None:
                forced.append(column_total[c] - sum(grid[x][c] for x in range(rows)))
            if i == len(order) - 1 and shown_total is not None:
                forced.append(shown_total - sum(map(sum, grid)))
            if forced:
                choices = [forced[0]] if len(set(forced)) == 1 and 0 <= forced[0] <= most else []
            else:
                choices = range(most + 1)
            if i == 0:
                choices = [value for value in choices if value != counts[r][c]]
            for value in choices:
                grid[r][c] = value
                if fill(i + 1):
                    return True
            grid[r][c] = 0
            return False

        return fill(0)

    return [cell for cell in hidden if not another_table(cell)]


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
    assert derivable_cells(table, counts) == [], f"uit te rekenen in {counts}: {table}"


def test_the_search_finds_a_hidden_number_that_the_shown_ones_give_away():
    """The check above can fail: show the number hidden to protect the 3, and the 3 follows from the total."""
    table = suppress([[3, 10, 12]])
    revealed = dataclasses.replace(table, cells=((table.cells[0][0], Figure(10), table.cells[0][2]),))
    assert derivable_cells(revealed, [[3, 10, 12]]) == [(0, 0)]
    assert derivable_cells(table, [[3, 10, 12]]) == []
