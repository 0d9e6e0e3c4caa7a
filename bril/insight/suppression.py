"""Hide every number about fewer than five people, and whatever would give a hidden number away.

Insight shows tables of counts with their totals: how many chose option A, B or C at a step, per
quarter, or per role. A count of 1 to 4 is about so few people that a colleague may know who they are,
so it is hidden (primary suppression). But a total and the other counts of its row would give it back
by subtraction, so more counts are hidden until no hidden count can be worked out from what is shown
(complementary suppression). A hidden count is "worked out" when the shown counts and totals leave it
one possible value: either by linear algebra alone (it is a combination of the equations the totals
give) or by its bounds (no count is negative, so `x + y = 3` with `y` at most 3 still leaves four values
for `x`, but `x + y = 0` leaves one).

The table is a grid of cells with a total per row, per column and overall; a total of 1 to 4 hides its
whole row or column. Each hidden figure carries its reason in Dutch, which the page shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import gcd

MINIMUM = 5  # the fewest people a shown number may rest on
TRIED = 4  # candidates tried for each number hidden to protect another

FEW = f"minder dan {MINIMUM} mensen"
GIVES_AWAY = f"verborgen, omdat je anders een getal over minder dan {MINIMUM} mensen kunt uitrekenen"


@dataclass(frozen=True)
class Figure:
    """One number as the page shows it: the value, or None with the reason it is hidden."""

    value: int | None
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Table:
    """A suppressed table: cells per row, a total per row and per column, and the grand total."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    total: Figure

    @property
    def hidden(self) -> int:
        figures = [f for row in self.cells for f in row] + [*self.row_totals, *self.column_totals, self.total]
        return sum(not f.shown for f in figures)


def suppress(counts: list[list[int]], minimum: int = MINIMUM, hidden_totals: frozenset = frozenset()) -> Table:
    """The table of `counts` (rows of equal length) with every small or revealing number hidden.

    `hidden_totals` (`("rij", r)`, `("kolom", c)`, `("totaal",)`) are hidden from the start: a total that another
    table of the same people hides must be hidden here too, else this table would give it back."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    grid = Grid(counts)
    for name in grid.names:
        if 0 < grid.value(name) < minimum:
            grid.hide(name, FEW)
    # A small row or column: every count in it is about those few people. But a row or column of nobody (a total
    # of 0) tells nothing about anyone: its zeros stay, and hiding them would only hide more of the rest.
    empty_rows = {r for r in range(rows) if grid.value(grid.row_name(r)) == 0}
    empty_columns = {c for c in range(columns) if grid.value(grid.column_name(c)) == 0}
    for r in range(rows):
        if not grid.shown(grid.row_name(r)):
            for c in set(range(columns)) - empty_columns:
                grid.hide(("cel", r, c), FEW)
    for c in range(columns):
        if not grid.shown(grid.column_name(c)):
            for r in set(range(rows)) - empty_rows:
                grid.hide(("cel", r, c), FEW)
    for name in hidden_totals:  # a total of nobody stays: it is about no one, and its cells are zeros for certain
        if grid.values.get(name):
            grid.hide(name, GIVES_AWAY)
    while (exposed := grid.first_exposed()) is not None:
        grid.hide(grid.partner_for(exposed), GIVES_AWAY)
    return Table(
        cells=tuple(tuple(grid.figure(("cel", r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=tuple(grid.figure(grid.row_name(r)) for r in range(rows)),
        column_totals=tuple(grid.figure(grid.column_name(c)) for c in range(columns)),
        total=grid.figure(("totaal",)))


class Grid:
    """The counts and totals of a table as unknowns tied by equations: each total is the sum of its line."""

    def __init__(self, counts: list[list[int]]) -> None:
        self.values: dict[tuple, int] = {}
        for r, row in enumerate(counts):
            for c, n in enumerate(row):
                self.values[("cel", r, c)] = n
            self.values[("rij", r)] = sum(row)
        for c in range(len(counts[0]) if counts else 0):
            self.values[("kolom", c)] = sum(row[c] for row in counts)
        self.values[("totaal",)] = sum(map(sum, counts))
        self.names = list(self.values)
        rows, columns = len(counts), len(counts[0]) if counts else 0
        # A table of one row has no column totals of its own (each is its one cell), nor one column row totals.
        if rows == 1:
            for c in range(columns):
                del self.values[("kolom", c)]
        if columns == 1:
            for r in range(rows):
                del self.values[("rij", r)]
        self.names = list(self.values)
        # Each equation: names whose sum is zero, with a sign per name.
        self.equations: list[dict[tuple, int]] = []
        row_name = (lambda r: ("rij", r)) if columns > 1 else (lambda r: ("cel", r, 0))
        column_name = (lambda c: ("kolom", c)) if rows > 1 else (lambda c: ("cel", 0, c))
        if columns > 1:
            for r in range(rows):
                self.equations.append({**{("cel", r, c): 1 for c in range(columns)}, ("rij", r): -1})
        if rows > 1:
            for c in range(columns):
                self.equations.append({**{("cel", r, c): 1 for r in range(rows)}, ("kolom", c): -1})
        self.equations.append({**{row_name(r): 1 for r in range(rows)}, ("totaal",): -1})
        if rows > 1 and columns > 1:
            self.equations.append({**{column_name(c): 1 for c in range(columns)}, ("totaal",): -1})
        self.row_name, self.column_name = row_name, column_name
        self.reasons: dict[tuple, str] = {}
        # Counts in a row or column of nobody: zeros for certain, so hiding one protects nothing.
        self.nobody = {("cel", r, c) for r in range(rows) for c in range(columns)
                       if self.values[row_name(r)] == 0 or self.values[column_name(c)] == 0}

    def value(self, name: tuple) -> int:
        return self.values[name]

    def shown(self, name: tuple) -> bool:
        return name not in self.reasons

    def hide(self, name: tuple, reason: str) -> None:
        self.reasons.setdefault(name, reason)

    def figure(self, name: tuple) -> Figure:
        if self.shown(name):
            return Figure(self.values[name])
        return Figure(None, self.reasons[name])

    def first_exposed(self) -> tuple | None:
        """A hidden number that the shown ones give away, or None."""
        return next(iter(self.exposed()), None)

    def exposed(self) -> list[tuple]:
        """Every hidden number that the shown ones give away."""
        hidden = [name for name in self.names if not self.shown(name)]
        if not hidden:
            return []
        determined = set(determined_by_algebra(self, hidden)) | set(determined_by_bounds(self, hidden))
        return [name for name in hidden if name in determined]

    def partner_for(self, exposed: tuple) -> tuple:
        """The shown number to hide so that the fewest hidden numbers stay exposed.

        Candidates are the shown numbers in an equation with an exposed one; among equally good ones a
        count before a total (the table keeps its totals where it can), a non-zero count before a zero,
        the smallest first.
        """
        exposed_now = self.exposed() or [exposed]
        candidates = {name for equation in self.equations if any(e in equation for e in exposed_now)
                      for name in equation if self.shown(name) and name not in self.nobody}
        if not candidates:  # cannot happen: an exposed number always has a shown partner in some equation
            raise ValueError(f"geen getal om naast {exposed} te verbergen")

        def preference(name: tuple) -> tuple:
            return name[0] != "cel", self.values[name] == 0, self.values[name], name

        def left_exposed(name: tuple) -> int:
            self.reasons[name] = GIVES_AWAY
            try:
                return len(self.exposed())
            finally:
                del self.reasons[name]

        # Trying every candidate would cost a solve each: the few most preferred counts and totals are tried.
        ranked = sorted(candidates, key=preference)
        tried = [n for n in ranked if n[0] == "cel"][:TRIED] + [n for n in ranked if n[0] != "cel"][:TRIED]
        return min(tried, key=lambda name: (left_exposed(name), preference(name)))


def determined_by_algebra(grid: Grid, hidden: list[tuple]) -> list[tuple]:
    """Hidden names whose value follows from the equations alone (shown values moved to the right)."""
    index = {name: i for i, name in enumerate(hidden)}
    matrix = [[0] * len(hidden) for _ in grid.equations]
    for row, equation in zip(matrix, grid.equations):
        for name, sign in equation.items():
            if name in index:
                row[index[name]] = sign
    reduced = row_echelon(matrix)
    # A name is determined when some combination of the equations holds it alone: after reduction to
    # reduced row echelon form, a row with exactly one non-zero entry.
    return [hidden[next(i for i, v in enumerate(row) if v)] for row in reduced if sum(1 for v in row if v) == 1]


def row_echelon(matrix: list[list[int]]) -> list[list[int]]:
    """Reduced row echelon form up to a factor per row, in whole numbers (Gauss-Jordan without fractions: a row
    minus another is taken as `lead * row - factor * pivot row`, then divided by its greatest common divisor, so
    the numbers stay small and exact, and which entries are zero is what it is over the fractions); rows of zeros
    are left out."""
    rows = [row[:] for row in matrix]
    pivot_row = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead_row = rows[pivot_row]
        lead = lead_row[column]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column]:
                factor = rows[r][column]
                combined = [lead * a - factor * b for a, b in zip(rows[r], lead_row)]
                divisor = gcd(*combined)
                rows[r] = [v // divisor for v in combined] if divisor > 1 else combined
        pivot_row += 1
    return [row for row in rows if any(row)]


def determined_by_bounds(grid: Grid, hidden: list[tuple]) -> list[tuple]:
    """Hidden names pinned to one value by the equations and by no count being negative."""
    ceiling = grid.values[("totaal",)] if grid.shown(("totaal",)) else 10 ** 9  # what a reader could know
    low = {name: 0 for name in hidden}
    high = {name: ceiling for name in hidden}
    changed = True
    while changed:
        changed = False
        for equation in grid.equations:
            unknown = [name for name in equation if name in low]
            if not unknown:
                continue
            known = sum(sign * grid.values[name] for name, sign in equation.items() if name not in low)
            for name in unknown:
                sign = equation[name]
                # sign * x = -(known + sum of the other unknowns' signed values)
                others_low = sum(min(equation[o] * low[o], equation[o] * high[o]) for o in unknown if o != name)
                others_high = sum(max(equation[o] * low[o], equation[o] * high[o]) for o in unknown if o != name)
                lowest, highest = -(known + others_high), -(known + others_low)
                if sign < 0:
                    lowest, highest = -highest, -lowest
                if lowest > low[name]:
                    low[name], changed = lowest, True
                if highest < high[name]:
                    high[name], changed = highest, True
    return [name for name in hidden if low[name] == high[name]]
