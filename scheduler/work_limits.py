"""Work limits: the solve's stages stop on counted work, not on the clock, so a run can be repeated.

A stage that stops when the wall clock says so gives a roster that depends on the machine's speed and
load at that moment; one that stops after a fixed amount of counted work gives the same roster every time.
Every stage of a large solve therefore has a *nominal* budget in seconds, turned into work by the rates
below, and the wall clock only as a safety net (:data:`WALL_SAFETY` times the nominal budget, or the time
limit), which a machine as fast as this one does not reach.

The rates were measured on the development machine (2 cores) on the seeded benchmarks of
``benchmarks/scheduler/generate.py`` and the bundled example (2026-12-02, least squares over the runs):

- local search: 4.2 µs per demand value asked for, 0.98 µs per skill group for each value computed (not
  memoised, :class:`scheduler.breaks.CoverValue`: the matching walks the groups) and 15.2 µs per shift option
  placed (:mod:`scheduler.local_search`), fitted on 2026-12-03 to 8 runs of 8 to 30 s on the four plans (7 to 45
  skill groups) after that day's speed-ups; the estimate was 0.92 to 1.15 of the wall time. The three
  counts move together, so only their sum is well measured, not the split. The same runs repeated minutes
  apart took up to 20% longer (and on some days the machine runs 1.5 to 3 times slower for hours): the
  machine's own speed varies that much, which is what :data:`WALL_SAFETY` and the solve's unplanned share are
  for;
- what comes before the local search (the covering flow, the model, the greedy and its breaks): 11.8 µs per
  model variable, 35 µs per shift option and 0.038 µs per option and interval (2026-12-03, after the greedy's
  speed-up: ``large`` took 14.2 s where the rates of the day before said 26.4 s, ``named500`` 2.1 s for 4.3 s;
  fitted to those two and rounded up by about 8%, so the nominal time stays ahead of the clock);
- a greedy roster and its breaks (:mod:`scheduler.heuristic`, :mod:`scheduler.breaks`): 35 µs per shift option
  and 0.016 µs per option and interval (fitted the same day to ``large``, 8.4 s, and ``named500``, 1.9 s);
- reading the model's LP relaxation: 0.5 µs per non-zero (0.29 to 0.54 measured); checking a roster
  (:mod:`scheduler.checker`, with the roster built from its shifts): 2.5 µs per agent and interval (1.5 to 3.7);
- PDLP: 3.2e8 non-zeros a second through the constraint matrix (one KKT pass is a product with the matrix
  and one with its transpose) with two threads or more, 1.8e8 with one, on matrices of 6.4 million non-zeros
  or more, and faster on smaller ones (in cache), by (6.4 million / non-zeros) ** 0.3; measured 3.3e8 to 3.8e8
  (the example's 6.4 million and ``large``'s 16.7 million), 4.2e8 (``named500``, 3.5 million) and 5.6e8
  (``medium``, 1.2 million).

Re-measured on 2026-12-06 (``benchmarks/BENCHMARKS_scheduler.md``, seventh session), the code of these stages
unchanged since: the local search ran at 0.43 to 0.49 of its rate's estimate on the 80-, 300- and 500-agent plans
and at 0.32 to 0.41 on plans of 10 to 60 agents, the setup and greedy at about 0.5, and a re-timing step cost no
more than its CP-SAT deterministic time, while CP-SAT's deterministic seconds (the group LNS) kept to the wall
clock (6.0 for 6.3 s): the machine ran about twice as fast as on the days of the fits, and a solve stopped at 40
to 50% of its limit.
:data:`RATE_SCALE` brings every rate above to the deterministic second's scale with a margin (0.65: today's
local search at about 0.72 of the new estimate), and :func:`local_search_seconds` counts a small plan's work
cheaper (:data:`CACHE_AGENT_INTERVALS`). PDLP ran at 0.55 (``medium``, 1.2 million non-zeros) and 0.38
(``named500``, 3.5 million) of its estimate: its rate is divided by the same scale. The compact LP's rate (measured
on 2026-12-06) is not scaled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: What the rates of 2026-12-02 and 12-03 below are multiplied by (the re-measurement of 2026-12-06, with a margin).
RATE_SCALE = 0.65
#: The local search of a plan of fewer agents × intervals than this runs faster (its arrays stay in cache):
#: its work counts ``(agents × intervals / this) ** CACHE_EXPONENT`` of the rate (2026-12-06: 0.32 of the old
#: rate at 3,360 agent-intervals, 0.36 at 13,440, 0.44 at 53,760, 0.46 to 0.49 at 168,000 and more).
CACHE_AGENT_INTERVALS = 150_000
CACHE_EXPONENT = 0.1
#: Seconds of local search per demand value asked for, per value computed and skill group, and per option placed.
SECONDS_PER_COVER_LOOKUP = 4.2e-6
SECONDS_PER_COVER_COMPUTE_GROUP = 0.98e-6
SECONDS_PER_OPTION_PLACED = 15.2e-6
#: Seconds of work before the local search, per model variable, shift option, and option × interval.
SECONDS_PER_VARIABLE = 11.8e-6
SECONDS_PER_OPTION = 35e-6
SECONDS_PER_OPTION_INTERVAL = 0.038e-6
#: Building the whole CP-SAT model and reading its LP relaxation, per shift option: 17 s and 9 s for the 111,361
#: options of the 300-agent, 4-week benchmark.
SECONDS_PER_OPTION_LP_SETUP = 233e-6
#: Seconds of a greedy roster with its breaks, per shift option and per option × interval.
SECONDS_PER_GREEDY_OPTION = 35e-6
SECONDS_PER_GREEDY_OPTION_INTERVAL = 0.016e-6
#: Seconds of reading the LP relaxation per non-zero, and of checking a roster per agent × interval.
SECONDS_PER_RELAXATION_NONZERO = 0.5e-6
SECONDS_PER_CHECK_AGENT_INTERVAL = 2.5e-6
#: PDLP's matrix non-zeros per second through one KKT pass, with one thread and with two or more.
PDLP_NONZEROS_PER_SECOND = {1: 1.8e8, 2: 3.2e8}
#: ... on matrices of at least this many non-zeros; smaller ones go faster by (this / non-zeros) ** the exponent.
PDLP_CACHE_NONZEROS = 6.4e6
PDLP_CACHE_EXPONENT = 0.3
#: PDLP runs on one thread below this many non-zeros, whatever the workers. Measured on 2026-12-06 (4 nominal
#: seconds, the wall clock far away): with two threads a matrix of 82,124 to 705,505 non-zeros (the plans of 10 to
#: 30 agents) took 1.44 to 2.16 times its nominal time, so the clock (:data:`WALL_SAFETY`) cut it and its duals and
#: primal point changed from run to run, and it went no faster than one thread (5.4e8 to 8.4e8 non-zeros a second
#: against 6.4e8 to 1.17e9); one thread kept within 0.61 to 0.88 of its nominal time. From 1.2 million non-zeros
#: two threads pay (8.8e8 against 7.3e8 on ``medium``, 9.9e8 against 6.9e8 on ``named500``) and keep within 0.6
#: to 0.92 of theirs.
PDLP_PARALLEL_NONZEROS = 1_000_000
#: Wall seconds a CP-SAT search of a whole plan's model takes per deterministic second, at most: two workers,
#: measured 2026-12-06 on the 10- to 25-agent benchmark plans at 0.68 to 1.44 (``small10`` 3.63 s for 4.5,
#: ``small25`` 6.49 s for 4.5 and 12.31 s for 9.32). A search that ends a solve gets its nominal seconds divided
#: by this (:func:`cpsat_deterministic_seconds`), so its deterministic limit, not the clock, ends it: ``small20``'s
#: last search at 30 s was given 9.35 deterministic seconds with 11.02 s of the limit left, and the clock cut it.
CPSAT_WALL_PER_DETERMINISTIC = 1.5
#: HiGHS's interior point with crossover on the LP relaxation of the compact roster MIP (:mod:`scheduler.roster_mip`),
#: its building included, as ``a · non-zeros ** b``, two threads: 10.5 s for the 273,636 non-zeros of the 80-agent
#: benchmark and 29.6 s for the 552,170 of the 500-agent one (2026-12-06).
COMPACT_LP_SCALE = 10.5 / 273_636 ** 1.477
COMPACT_LP_EXPONENT = 1.477
#: A stage still running at this multiple of its nominal budget on the wall clock stops there: the run is then
#: not reproducible, but it keeps to its time.
WALL_SAFETY = 1.25
#: ... and the compact LP's multiple. HiGHS counts no work a solve could stop it on, so the clock is its only limit,
#: and losing it changes the whole path (no LP team, no guided start). It ran at 0.73 to 1.06 of its nominal time on
#: 2026-12-06 (``thin20w4`` 13.2 s for 12.4): at :data:`WALL_SAFETY` a day 20% slower would have cut it and made the
#: roster depend on the machine. Its nominal time is at most a quarter of the limit
#: (:data:`scheduler.solve.COMPACT_LP_SHARE`), so twice that is half, inside the third a solve leaves unplanned.
COMPACT_LP_WALL_SAFETY = 2.0


#: The stages the wall clock ended during the current :func:`clock_stops` block (None outside one).
_CLOCK_STOPS: ContextVar[Counter[str] | None] = ContextVar("clock_stops", default=None)
#: The stage name :func:`note_clock_stop` gives PDLP: its stop changes the bound, not the roster.
BOUND_STAGE = "the LP bound's PDLP"


@contextmanager
def clock_stops() -> Iterator[Counter[str]]:
    """Collect, by stage name, every stop of a stage by the wall clock before its counted work inside the block.

    A stage that its counted work ends does the same on every run; one the clock ends (:data:`WALL_SAFETY`, a
    deadline, or the time left on the clock) depends on the machine's speed at that moment, so the solve's answer
    may differ between runs. :func:`scheduler.solve.solve` says so when this collects anything.

    Yields
    ------
    collections.Counter
        Stage name -> number of stops, filled as the block runs.
    """
    stops: Counter[str] = Counter()
    token = _CLOCK_STOPS.set(stops)
    try:
        yield stops
    finally:
        _CLOCK_STOPS.reset(token)


def note_clock_stop(stage: str) -> None:
    """Record that the wall clock, not its counted work, ended ``stage`` (nothing outside :func:`clock_stops`)."""
    stops = _CLOCK_STOPS.get()
    if stops is not None:
        stops[stage] += 1


def local_search_seconds(cover_lookups: int, cover_computes: int, options_placed: int, num_groups: int,
                         agent_intervals: int = CACHE_AGENT_INTERVALS) -> float:
    """Nominal seconds of the local-search work counted so far.

    Parameters
    ----------
    cover_lookups : int
        Demand values asked for.
    cover_computes : int
        Demand values computed (not memoised).
    options_placed : int
        Shift options placed with their breaks.
    num_groups : int
        Skill groups of the plan.
    agent_intervals : int
        The plan's agents times intervals (a small plan's work counts less, :data:`CACHE_AGENT_INTERVALS`).

    Returns
    -------
    float
        Seconds, at this machine's measured rates.
    """
    cache = min(max(agent_intervals, 1) / CACHE_AGENT_INTERVALS, 1.0) ** CACHE_EXPONENT
    return RATE_SCALE * cache * (SECONDS_PER_COVER_LOOKUP * cover_lookups
                                 + SECONDS_PER_COVER_COMPUTE_GROUP * cover_computes * num_groups
                                 + SECONDS_PER_OPTION_PLACED * options_placed)


def setup_seconds(num_variables: int, num_options: int, num_intervals: int) -> float:
    """Nominal seconds from the start of a solve to its local search (model, greedy and breaks).

    Parameters
    ----------
    num_variables : int
        Variables of the CP-SAT model.
    num_options : int
        Shift options of all agents.
    num_intervals : int
        Intervals of the horizon.

    Returns
    -------
    float
        Seconds, at this machine's measured rates.
    """
    return model_seconds(num_variables) + RATE_SCALE * (SECONDS_PER_OPTION * num_options
                                                        + SECONDS_PER_OPTION_INTERVAL * num_options * num_intervals)


def model_seconds(num_variables: int) -> float:
    """Nominal seconds of building a CP-SAT model of ``num_variables`` variables (the share of
    :func:`setup_seconds` a large plan pays only when PDLP needs its model)."""
    return RATE_SCALE * SECONDS_PER_VARIABLE * num_variables


def lp_setup_seconds(num_options: int) -> float:
    """Nominal seconds of building the CP-SAT model of ``num_options`` shift options and reading its LP
    relaxation, estimated before the model exists (:data:`SECONDS_PER_OPTION_LP_SETUP`)."""
    return RATE_SCALE * SECONDS_PER_OPTION_LP_SETUP * num_options


def greedy_seconds(num_options: int, num_intervals: int) -> float:
    """Nominal seconds of one greedy roster with its breaks placed, for ``num_options`` over ``num_intervals``."""
    return RATE_SCALE * (SECONDS_PER_GREEDY_OPTION * num_options
                         + SECONDS_PER_GREEDY_OPTION_INTERVAL * num_options * num_intervals)


def relaxation_seconds(nonzeros: int) -> float:
    """Nominal seconds of reading the model's LP relaxation with ``nonzeros`` non-zeros."""
    return RATE_SCALE * SECONDS_PER_RELAXATION_NONZERO * nonzeros


def compact_lp_seconds(nonzeros: int) -> float:
    """Nominal seconds of the compact roster MIP's LP relaxation with ``nonzeros`` non-zeros (built and solved)."""
    return COMPACT_LP_SCALE * nonzeros ** COMPACT_LP_EXPONENT


def check_seconds(num_agents: int, num_intervals: int) -> float:
    """Nominal seconds of building and checking one roster of ``num_agents`` over ``num_intervals``."""
    return RATE_SCALE * SECONDS_PER_CHECK_AGENT_INTERVAL * num_agents * num_intervals


def cpsat_deterministic_seconds(nominal_seconds: float) -> float:
    """CP-SAT's deterministic limit for a search of a whole plan's model given ``nominal_seconds`` of the time limit.

    Parameters
    ----------
    nominal_seconds : float
        The share of the limit the search may take.

    Returns
    -------
    float
        ``nominal_seconds / CPSAT_WALL_PER_DETERMINISTIC``.
    """
    return nominal_seconds / CPSAT_WALL_PER_DETERMINISTIC


def pdlp_threads(nonzeros: int, threads: int) -> int:
    """PDLP's threads on a matrix of ``nonzeros``: one below :data:`PDLP_PARALLEL_NONZEROS`, else ``threads``.

    Parameters
    ----------
    nonzeros : int
        Non-zeros of the constraint matrix.
    threads : int
        The workers the solve may use.

    Returns
    -------
    int
        At least 1.
    """
    return 1 if nonzeros < PDLP_PARALLEL_NONZEROS else max(1, threads)


def pdlp_pass_limit(seconds: float, nonzeros: int, threads: int) -> float:
    """KKT passes PDLP makes in ``seconds`` on a matrix with ``nonzeros`` non-zeros.

    Parameters
    ----------
    seconds : float
        Nominal budget.
    nonzeros : int
        Non-zeros of the constraint matrix.
    threads : int
        PDLP threads.

    Returns
    -------
    float
        The pass limit (at least one pass).
    """
    nonzeros = max(nonzeros, 1)
    rate = PDLP_NONZEROS_PER_SECOND[1 if threads <= 1 else 2] / RATE_SCALE * max(PDLP_CACHE_NONZEROS / nonzeros,
                                                                               1.0) ** PDLP_CACHE_EXPONENT
    return max(1.0, seconds * rate / nonzeros)
