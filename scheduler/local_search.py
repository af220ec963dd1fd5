"""Local search on a roster: re-pick one agent's shift on one day, exactly, against everyone else.

A move takes one agent and one local day, lifts the agent's shift of that day (if any) and puts
back the best of: no shift, or any of the agent's options of that day with its breaks placed
where they cost least. "Best" is the exact change of the objective: the demand one more agent
of the group meets in each interval comes from :class:`scheduler.breaks.CoverValue` (so chains
of multi-skill agents moving over are counted), and paid time, surplus, contract hours,
headcount, preferences and the fairness maxima are recomputed for the agent. Every hard rule
of the agent (one shift a day, rest, weekly minimum and maximum, days per week, consecutive
days, pins, the small-team break rule) is checked before a move is taken, and a move is taken
only when it lowers the objective, so the search never makes the roster worse. The final
roster still goes through the independent checker.

When no single move helps, a ruin-and-recreate phase lifts a few agents at once (two who could
work an under-staffed interval, or a random busy one, and two colleagues sharing a queue with them,
on the same day) and puts each back at their best in a random order; the step is kept only when the
whole change lowers the objective and every rule holds, otherwise everything is restored exactly. Half the
steps drawn around an under-staffed interval are *day swaps*: an agent off that day because their week is
full (days or hours at the maximum) takes it, and gives up one of their other days of the week, which a
colleague may take over (on the 300-agent benchmark the day moves leave most missed quarter-hours there).

No day move can hire or release an agent (a scheduled agent keeps their weekly minimum, which one
shift rarely reaches), so after ruin and recreate the search ends with rounds of headcount moves. A
*hire* schedules an unscheduled agent day by day, each day the option that lowers the objective most
(then the cheapest up to the weekly minimums). A *release* lifts every shift of one agent at once and lets the
colleagues who share a queue with them re-pick their shifts on those days against the gap (one
sweep of day moves, then ruin and recreate around what is still missed). Either is kept only when
the whole change, head, paid time, contract hours and coverage, lowers the objective, otherwise
everything is restored exactly. Agents are released cheapest first (what lifting them alone would
cost). On the seeded 80-agent benchmark the releases took 79 heads to 74 (15,345 -> 14,248). A
*replacement* is a release that first hires an idle colleague into the gap (a part-timer whose short shifts
follow the demand better than a full-timer's): on the same benchmark, 14,248 -> 14,137 at the same head count.

Reproducible: agents, intervals and orders are drawn from a seeded generator, and no phase stops on the
clock. The day moves stop after a pass without an improving move or when the counted work
(:mod:`scheduler.work_limits`: demand values asked for and computed, options placed) reaches half the budget; ruin and
recreate after a fixed number of steps, a run of steps without a gain, or the whole budget's work; the
headcount rounds after a round without a hire or release, or the budget's work. The same plan and seed give
the same roster, unless the machine is so much slower than the measured rates that the wall-clock safety net
(:data:`scheduler.work_limits.WALL_SAFETY` times the budget) ends a phase first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

import numpy as np

from scheduler.breaks import CoverValue
from scheduler.heuristic import fits
from scheduler.problem import TIME_AWAY, AgentData, ProblemData, ShiftOption, change_share
from scheduler.work_limits import WALL_SAFETY, local_search_seconds, note_clock_stop

MAX_PASSES = 20  # passes over every agent and day (a pass without a move ends the search earlier)
#: Ruin-and-recreate steps per second of budget: a work limit that ends the search before the clock on this
#: machine (250 to 400 steps a second on the benchmarks), so the same plan and seed give the same roster.
RUIN_TRIES_PER_SECOND = 150
RUIN_STALL_TRIES = 2000  # ruin and recreate stops after this many steps in a row without an improvement
DAY_MOVES_SHARE = 0.5  # the day moves stop at this share of the budget, leaving the rest to ruin and recreate
UNDER_SHARE = 0.8  # share of steps drawn around an under-staffed interval, while there is one
#: Share of the steps drawn around an under-staffed interval that are day swaps (:meth:`_Neighbourhoods.swap`).
SWAP_SHARE = 0.5
#: Rounds of headcount moves (each tries to hire every unscheduled agent, then to release every scheduled one,
#: cheapest first; a round without a hire or release ends it).
MAX_RELEASE_ROUNDS = 4
#: Ruin-and-recreate steps around what a release leaves missed, before the release is judged.
RELEASE_REPAIR_STEPS = 30
#: Unscheduled colleagues a replacement (:meth:`_Headcount.replace`) tries to hire, until one is hired.
REPLACE_TRIES = 3


@dataclass(frozen=True)
class SearchOutcome:
    """What the day-move search did.

    Attributes
    ----------
    chosen : dict
        Agent index -> option indices worked.
    offsets : dict
        (agent, option) -> break start offsets, one per break rule of the option's template.
    moves : int
        Improving moves taken.
    passes : int
        Passes over all agents and days started.
    saving : float
        Total predicted objective decrease (model units).
    work_seconds : float
        Nominal seconds of the work done (:func:`scheduler.work_limits.local_search_seconds`).
    """

    chosen: dict[int, list[int]]
    offsets: dict[tuple[int, int], list[int]]
    moves: int
    passes: int
    saving: float
    work_seconds: float


class _Window(NamedTuple):
    """One group's intervals ``[lo, hi)`` of a day, read once for every option of the day.

    Attributes
    ----------
    lo : int
        First interval.
    values : list of int
        Per interval, the objective change of one more agent of the group on duty (model units).
    prefix : list of int
        ``prefix[k]``: the sum of the first ``k`` values, so a span's value is one subtraction.
    closed : list of int
        ``closed[k]``: how many of the first ``k`` intervals have the group on shift all on break (where
        none of its agents may start a break).
    """

    lo: int
    values: list[int]
    prefix: list[int]
    closed: list[int]

    def total(self, begin: int, end: int) -> int:
        """Sum of the values of intervals ``[begin, end)`` (inside the window; 0 when empty)."""
        return self.prefix[end - self.lo] - self.prefix[begin - self.lo] if end > begin else 0


class _Roster:
    """The roster being improved: per-group counts per interval and each agent's shifts and hours."""

    def __init__(self, problem: ProblemData, chosen: dict[int, list[int]],
                 offsets: dict[tuple[int, int], list[int]]) -> None:
        self.problem = problem
        num_groups = len(problem.groups)
        self.on_shift = np.zeros((num_groups, problem.num_intervals), dtype=np.int64)
        self.on_break = np.zeros_like(self.on_shift)
        self.on_duty = np.zeros_like(self.on_shift)
        # templates with time away during a kept shift: off duty, but no break for the team rule
        self.away_templates = {i for i, t in enumerate(problem.templates)
                               if any(spec.kind == TIME_AWAY for spec in t.breaks)}
        self.day_shift: list[dict[int, tuple[int, tuple[int, ...]]]] = [{} for _ in problem.agents]
        self.week_minutes = np.zeros((len(problem.agents), problem.num_weeks), dtype=np.int64)
        self.weekends = np.zeros(len(problem.agents), dtype=np.int64)
        self.nights = np.zeros(len(problem.agents), dtype=np.int64)
        self.version = 0  # bumped by every change, for caches of derived values
        for a, picks in chosen.items():
            for o in picks:
                self.add(a, o, tuple(offsets[a, o]))

    def spans(self, a: int, o: int, offsets: tuple[int, ...]) -> tuple[range, list[int]]:
        """The option's intervals in the horizon, and its break intervals in the horizon."""
        option = self.problem.agents[a].options[o]
        span = range(max(option.start, 0), min(option.end, self.problem.num_intervals))
        breaks = [t for t in self.problem.break_intervals(option, offsets) if span.start <= t < span.stop]
        return span, breaks

    def add(self, a: int, o: int, offsets: tuple[int, ...], sign: int = 1) -> None:
        """Count (or with ``sign=-1`` uncount) agent ``a`` working option ``o`` with these break offsets."""
        agent = self.problem.agents[a]
        option = agent.options[o]
        g = agent.group
        span, breaks = self.spans(a, o, offsets)
        self.on_shift[g, span.start:span.stop] += sign
        self.on_duty[g, span.start:span.stop] += sign
        resting = (set(self.problem.break_intervals(option, offsets, time_away=False))
                   if option.template in self.away_templates else None)
        for t in breaks:
            if resting is None or t in resting:
                self.on_break[g, t] += sign
            self.on_duty[g, t] -= sign
        if sign > 0:
            self.day_shift[a][option.day] = (o, offsets)
        else:
            del self.day_shift[a][option.day]
        self.version += 1
        self.week_minutes[a, option.day // 7] += sign * option.paid_minutes
        self.weekends[a] += sign * option.is_weekend
        self.nights[a] += sign * (option.template >= 0 and self.problem.templates[option.template].is_night)


class _Costs:
    """Objective weights in model units (those of :func:`scheduler.checker.objective_terms`)."""

    def __init__(self, problem: ProblemData) -> None:
        w = problem.weights
        self.under = 60 * w.under_staffing  # per priority unit of demand met
        self.over = 6000 * w.over_staffing
        self.paid_minute = 100 * w.paid_hour
        self.deviation_minute = 100 * w.contract_deviation_hour
        self.overtime_minute = 100 * w.overtime_hour
        self.preference = 6000 * w.preference
        self.weekend = 6000 * w.weekend_fairness
        self.night = 6000 * w.night_fairness
        self.head = 6000 * w.headcount
        self.open_position = 6000 * w.open_position
        self.change = 6000 * w.roster_change


def improve_by_day_moves(problem: ProblemData, chosen: dict[int, list[int]],
                         offsets: dict[tuple[int, int], list[int]], *, time_budget_seconds: float,
                         seed: int = 0, max_ruin_steps: int | None = None,
                         wall_seconds: float | None = None) -> SearchOutcome:
    """Improve a feasible roster by exact one-agent, one-day moves until none helps or time runs out.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    chosen : dict
        Agent index -> option indices worked (feasible for every hard rule).
    offsets : dict
        (agent, option) -> break offsets of each worked shift (feasible for the small-team rule).
    time_budget_seconds : float
        Nominal budget: the search stops when its counted work reaches it
        (:func:`scheduler.work_limits.local_search_seconds`), or on the wall clock at
        :data:`scheduler.work_limits.WALL_SAFETY` times it.
    seed : int
        Seed of the visiting order.
    max_ruin_steps : int, optional
        Work limit of ruin and recreate (default: :data:`RUIN_TRIES_PER_SECOND` per second of budget). Give
        one that does not depend on the clock for the same roster on every run.
    wall_seconds : float, optional
        Wall-clock safety net (default :data:`scheduler.work_limits.WALL_SAFETY` times the budget).

    Returns
    -------
    SearchOutcome
        The improved shifts and break offsets.
    """
    started = time.perf_counter()
    state = _Roster(problem, chosen, offsets)
    search = _DayMoves(problem, state)
    wall = WALL_SAFETY * time_budget_seconds if wall_seconds is None else wall_seconds

    clocked = False  # whether the clock, before the counted work, ended a phase (said once)

    def spent(share: float) -> bool:  # the counted work reached this share of the budget (or the clock its limit)
        nonlocal clocked
        if search.work_seconds() > share * time_budget_seconds:
            return True
        if time.perf_counter() - started > share * wall:
            if not clocked:
                clocked = True
                note_clock_stop("the local search")
            return True
        return False

    rng = np.random.default_rng(seed)
    moves, passes, saving = 0, 0, 0.0

    def day_pass(share: float) -> bool:
        """One pass of day moves over every agent and day, within ``share`` of the budget; whether one helped."""
        nonlocal moves, passes, saving
        passes += 1
        improved = False
        for a in rng.permutation(len(problem.agents)).tolist():
            for day in range(problem.num_days):
                if spent(share):
                    break
                gain = search.move(a, day)
                if gain > 0:
                    moves, saving, improved = moves + 1, saving + gain, True
        return improved

    for _ in range(MAX_PASSES):
        if not day_pass(DAY_MOVES_SHARE) or spent(DAY_MOVES_SHARE):
            break
    # then ruin and recreate: a few agents around an under-staffed interval (or a random busy one) at once
    chooser = _Neighbourhoods(problem, state, search, rng)
    headcount = _Headcount(problem, state, search, chooser, rng)

    def take(steps: list[tuple[Callable[[int], float], int]]) -> int:
        """Run headcount steps in order while the budget lasts; return how many lowered the objective."""
        nonlocal moves, saving
        taken = 0
        for step, a in steps:
            if spent(1.0):
                break
            gain = step(a)
            if gain > 0:
                moves, saving, taken = moves + 1, saving + gain, taken + 1
        return taken

    # where demand is missed, idle agents are hired first, before the ruin steps spend the budget (the bundled
    # example's plan across the clock change left a 40-hour agent idle, 3,250 agent-hours short: the hire round
    # after them never ran)
    hires = [(headcount.hire, a) for a in range(len(problem.agents))]
    take(hires if MAX_RELEASE_ROUNDS and chooser._under() else [])
    # then surplus hires of the greedy start (it hires a head for any demand it still sees, then tops the head up to
    # its weekly minimum): released, the last of each profile back, where colleagues can take over their days
    released = take([(headcount.release, a) for a in headcount.hires_last_first()])
    if released:  # the heads kept took over the released days: their own days may now meet nothing
        day_pass(1.0)
    tries = since_last = 0
    steps = RUIN_TRIES_PER_SECOND * time_budget_seconds if max_ruin_steps is None else max_ruin_steps
    while not spent(1.0) and since_last < RUIN_STALL_TRIES and tries < steps:
        tries += 1
        since_last += 1
        members, order = chooser.pick()
        if not members:  # nobody can work the interval drawn: draw again
            continue
        gain = search.ruin_and_recreate(members, rng.permutation(len(members)).tolist() if order is None else order)
        if gain > 0:
            moves += 1
            saving += gain
            since_last = 0
            chooser.changed()
    # then hire whole agents where demand is missed, and release those whose colleagues can take over
    for _ in range(MAX_RELEASE_ROUNDS):
        if spent(1.0):  # (the order alone values every scheduled agent's days: 6 s on a 6-week, 15-minute plan)
            break
        order = headcount.order()
        changed = take(hires + [(headcount.release, a) for a in order] + [(headcount.replace, a) for a in order])
        if not changed or spent(1.0):
            break
    return _outcome(state, moves, passes, saving, search.work_seconds())


class _Headcount:
    """Headcount moves: hire an unscheduled agent where demand is missed, or release one whose shifts the
    colleagues sharing a queue take over."""

    def __init__(self, problem: ProblemData, state: _Roster, search: _DayMoves, chooser: _Neighbourhoods,
                 rng: np.random.Generator) -> None:
        self.problem, self.state, self.search, self.chooser, self.rng = problem, state, search, chooser, rng
        self.colleagues = [sorted(b for h in chooser.sharing[g] for b in chooser.members.get(h, []))
                           for g in range(len(problem.groups))]

    def order(self) -> list[int]:
        """Scheduled agents who may be released (no pins), cheapest to lift first; of the open positions hired, those
        of each profile from the last hired back (:meth:`last_hire`)."""
        state, search = self.state, self.search
        losses = []
        for a in self.rng.permutation(len(self.problem.agents)).tolist():
            agent = self.problem.agents[a]
            if not state.day_shift[a] or agent.pinned:
                continue
            loss = 0.0
            for day, (o, offsets) in list(state.day_shift[a].items()):
                lo, hi = search.window(a, day)
                state.add(a, o, offsets, sign=-1)  # the value of one more agent, measured without this one
                loss -= search._duty_value(a, o, offsets, search._interval_values(agent.group, lo, hi))
                state.add(a, o, offsets)
            losses.append((loss, a))
        named = [a for _, a in sorted(losses, key=lambda pair: pair[0]) if not self.problem.agents[a].is_open_position]
        return named + self.hires_last_first()

    def hires_last_first(self) -> list[int]:
        """The open positions hired, the last of each profile first (the order :meth:`release` can take them in)."""
        return [a for a in range(len(self.problem.agents) - 1, -1, -1)
                if self.problem.agents[a].is_open_position and self.state.day_shift[a]]

    def last_hire(self, a: int) -> bool:
        """Whether open position ``a`` is the last hired of its profile (no later one is scheduled): releasing it
        keeps the profile's heads hired in order, as the CP-SAT model's symmetry rule has them (#2 only if #1)."""
        agents = self.problem.agents
        return not any(self.state.day_shift[b] and agents[b].is_open_position and agents[b].profile == agents[a].profile
                       for b in range(a + 1, len(agents)))

    def release(self, a: int) -> float:
        """Lift every shift of ``a``, let colleagues re-pick on those days; keep it if the objective went down
        (return the decrease), else restore exactly (0)."""
        return self._release(a, replace=False)

    def replace(self, a: int) -> float:
        """A release that first hires an unscheduled colleague sharing a queue with ``a`` into the gap
        (:meth:`hire`, against the roster without ``a``): a part-timer whose shorter shifts follow the
        demand better than a full-timer's, say. Kept if the whole exchange lowers the objective (return the
        decrease), else restored exactly (0); 0 at once when no unscheduled colleague exists."""
        return self._release(a, replace=True)

    def _release(self, a: int, replace: bool) -> float:
        state, search, problem = self.state, self.search, self.problem
        if not state.day_shift[a] or (problem.agents[a].is_open_position and not self.last_hire(a)):
            return 0.0
        group = problem.agents[a].group
        idle = [b for b in self.colleagues[group] if b != a and not state.day_shift[b]
                and not problem.agents[b].is_open_position] if replace else []
        if replace and not idle:
            return 0.0
        days = sorted(state.day_shift[a])
        candidates = [b for b in self.colleagues[group] if b != a and state.day_shift[b]]
        before = {b: dict(state.day_shift[b]) for b in candidates}
        before[a] = dict(state.day_shift[a])
        delta = 0.0
        spans = []
        for day in days:
            option = problem.agents[a].options[state.day_shift[a][day][0]]
            spans.append((day, option.start, option.end))
            delta += search.lift(a, day)
        for b in self.rng.permutation(idle).tolist()[:REPLACE_TRIES]:
            before[b] = {}
            gain = self.hire(b)
            if gain > 0:
                delta -= gain
                candidates.append(b)
                break
        # one sweep: on the 80-agent benchmark a second one never turned a failed release into a kept one
        for day, first, stop in spans:
            for b in self.rng.permutation(candidates).tolist():
                if day not in search.by_day[b] or not self._may_change(b, day):
                    continue
                lo, hi = search.window(b, day)
                if hi <= first or lo >= stop:  # b's day cannot reach the gap
                    continue
                delta -= search.move(b, day)
        # then ruin and recreate around what is still missed where ``a`` worked
        horizon = problem.num_intervals
        gap = [t for _, first, stop in spans for t in self.chooser.missed(range(max(first, 0), min(stop, horizon)))]
        for _ in range(RELEASE_REPAIR_STEPS):
            if not gap or delta < -1e-9:
                break
            members = self.chooser.around(int(self.rng.choice(gap)))
            for b, _ in members:
                before.setdefault(b, dict(state.day_shift[b]))
            gain = search.ruin_and_recreate(members, self.rng.permutation(len(members)).tolist()) if members else 0.0
            if gain > 0:
                delta -= gain
                still = set(self.chooser.missed(range(min(gap), max(gap) + 1)))
                gap = [t for t in gap if t in still]
        if delta < -1e-9 and not any(search._all_on_break(group, *search.window(a, day)) for day in days):
            self.chooser.changed()
            return -delta
        for b, shifts in before.items():  # restore exactly: lift what is new, put back what was
            now = state.day_shift[b]
            for day in [d for d in now if now[d] != shifts.get(d)]:
                state.add(b, now[day][0], now[day][1], sign=-1)
            for day, (o, offsets) in shifts.items():
                if day not in now:
                    state.add(b, o, offsets)
        return 0.0

    def hire(self, a: int) -> float:
        """Schedule the unscheduled agent ``a``: day by day (most missed demand first) the option that lowers
        the objective most, within every rule; kept if the whole agent (head, paid time, contract hours
        included) lowers the objective and the weekly minimums hold (return the decrease), else undone (0)."""
        state, search, problem = self.state, self.search, self.problem
        agent = problem.agents[a]
        if state.day_shift[a] or agent.is_open_position or any(o >= 0 for o in agent.pinned.values()):
            return 0.0
        before = search._cost(a, -1, 0.0, False, check=False)
        scores = []
        for day in search.by_day[a]:
            if day in agent.pinned:
                continue
            lo, hi = search.window(a, day)
            window = search._interval_values(agent.group, lo, hi)
            scores.append((float(sum(v for v in window.values if v < 0)), day))
        taken: list[ShiftOption] = []
        delta = 0.0
        for top_up in (False, True):  # the shifts that pay for themselves, then the cheapest up to the minimums
            for score, day in sorted(scores):
                if (score >= 0 and not top_up) or day in state.day_shift[a]:
                    continue
                if top_up and all(state.week_minutes[a, w] >= agent.min_week_minutes[w]
                                  for w in range(problem.num_weeks)):
                    break
                if top_up and state.week_minutes[a, day // 7] >= agent.min_week_minutes[day // 7]:
                    continue
                lo, hi = search.window(a, day)
                window = search._interval_values(agent.group, lo, hi)
                needed = self._still_needed(a, day)
                best = None
                for o in search.by_day[a][day]:
                    option = agent.options[o]
                    if option.paid_minutes < needed or not fits(problem, agent, taken, option):
                        continue
                    placed = search._place(a, o, window, set())
                    if placed is None:
                        continue
                    cost = placed[1] + search.option_cost(agent, o)
                    if (cost < 0 or top_up) and (best is None or cost < best[0]):
                        best = (cost, o, placed[0])
                if best is not None:
                    state.add(a, best[1], best[2])
                    taken.append(agent.options[best[1]])
                    delta += best[0]
            if not taken:
                break
        if taken:
            after = search._cost(a, -1, 0.0, True, check=False)  # the agent's terms beyond their shifts
            delta += after - before
        minutes_ok = all(agent.min_week_minutes[w] <= state.week_minutes[a, w] <= agent.max_week_minutes[w]
                         for w in range(problem.num_weeks))
        if taken and minutes_ok and delta < -1e-9 and not any(
                search._all_on_break(agent.group, *search.window(a, o.day)) for o in taken):
            self.chooser.changed()
            return -delta
        for day in list(state.day_shift[a]):
            o, offsets = state.day_shift[a][day]
            state.add(a, o, offsets, sign=-1)
        return 0.0

    def _still_needed(self, a: int, day: int) -> int:
        """The fewest paid minutes a shift of ``a`` on ``day`` may have while the week's minimum stays within reach:
        the minimum, less the week's minutes so far and the longest shift of each day still open to them, as many
        days as their week allows (a contract of exactly 40 hours over at most 5 days takes 8-hour shifts only; the
        hire took the 7.5-hour ones that cost less, fell short of the minimum and was undone, so an agent stayed
        idle while their queues were short)."""
        agent, state = self.problem.agents[a], self.state
        week = day // 7
        need = agent.min_week_minutes[week] - int(state.week_minutes[a, week])
        if need <= 0:
            return 0
        worked = sum(1 for d in state.day_shift[a] if d // 7 == week)
        open_days = sorted((max(agent.options[o].paid_minutes for o in options)
                            for d, options in self.search.by_day[a].items()
                            if d // 7 == week and d != day and d not in state.day_shift[a] and d not in agent.pinned
                            and options), reverse=True)
        return need - sum(open_days[:max(agent.max_days_in_week(week) - worked - 1, 0)])

    def _may_change(self, b: int, day: int) -> bool:
        """Whether a day move of ``b`` on ``day`` can do anything: they work it, or have room for one more day."""
        if day in self.state.day_shift[b]:
            return day not in self.problem.agents[b].pinned
        agent = self.problem.agents[b]
        week = day // 7
        worked = sum(1 for d in self.state.day_shift[b] if d // 7 == week)
        return worked < agent.max_days_in_week(week) and self.state.week_minutes[b, week] < agent.max_week_minutes[week]


class _Neighbourhoods:
    """Draws the agents a ruin-and-recreate step lifts: around an under-staffed interval when there is one."""

    def __init__(self, problem: ProblemData, state: _Roster, search: _DayMoves, rng: np.random.Generator) -> None:
        self.problem, self.state, self.cover, self.rng = problem, state, search.cover, rng
        self.days = search.by_day  # agent -> {local day: options}: who may work which day
        self.members: dict[int, list[int]] = {}
        for a, agent in enumerate(problem.agents):
            self.members.setdefault(agent.group, []).append(a)
        skills = [set(queues) for queues in problem.groups]
        self.sharing = [[h for h in range(len(skills)) if skills[h] & skills[g]] for g in range(len(skills))]
        self.full = np.array([self.cover.full(t) for t in range(problem.num_intervals)], dtype=np.int64)
        self.busy = np.flatnonzero(self.full > 0)
        self.starts = [np.array([o.start for o in agent.options], dtype=np.int64) for agent in problem.agents]
        self.ends = [np.array([o.end for o in agent.options], dtype=np.int64) for agent in problem.agents]
        self.covering: dict[int, list[tuple[int, int]]] = {}
        self.under: list[int] | None = None

    def _covering(self, t: int) -> list[tuple[int, int]]:
        """(agent, local day) for every agent with an option covering interval ``t`` (one day each, cached)."""
        found = self.covering.get(t)
        if found is None:
            found = []
            for a in range(len(self.problem.agents)):
                hits = np.flatnonzero((self.starts[a] <= t) & (self.ends[a] > t))
                if len(hits):
                    found.append((a, self.problem.agents[a].options[int(hits[0])].day))
            self.covering[t] = found
        return found

    def changed(self) -> None:
        """The roster changed: recompute the under-staffed intervals when next needed."""
        self.under = None

    def _under(self) -> list[int]:
        if self.under is None:
            on_duty = self.state.on_duty
            self.under = [int(t) for t in self.busy
                          if self.cover.value(int(t), tuple(on_duty[:, t].tolist())) < self.full[t]]
        return self.under

    def pick(self) -> tuple[list[tuple[int, int]], list[int] | None]:
        """The (agent, day) pairs of one ruin-and-recreate step and the order to put them back (None: random).

        Around an interval ``t`` (under-staffed, while there is one, with probability :data:`UNDER_SHARE`): up to
        two agents who could work it and two colleagues sharing a queue who may work that day; or, with
        probability :data:`SWAP_SHARE` when ``t`` is under-staffed, a day swap (:meth:`swap`).
        """
        if not len(self.busy):
            return [], None
        under = self._under()
        rng = self.rng
        if under and rng.random() < UNDER_SHARE:
            t = int(rng.choice(under))
            if rng.random() < SWAP_SHARE:
                members = self.swap(t)
                if members:
                    return members, list(range(len(members)))
            return self.around(t), None
        return self.around(int(rng.choice(self.busy)), bool(under)), None

    def _helping(self, t: int) -> set[int]:
        """The skill groups one more agent of which would meet more demand in interval ``t``."""
        counts = self.state.on_duty[:, t].tolist()
        return {g for g in range(len(self.problem.groups)) if self.cover.gain(t, counts, g) > 0}

    def swap(self, t: int) -> list[tuple[int, int]]:
        """A day swap towards the under-staffed interval ``t``: an agent who could work ``t`` but is off that day
        (their week full: days or hours at the maximum), the day itself first, then one of their working days of
        the same week, and a colleague sharing a queue who may work that other day (to take over what it
        loses); empty when no such agent exists.

        Put back in this order, the agent takes the best shift of the day off while the lifted day frees their
        week, then the colleague and the agent re-pick the other day: moving a shift from a day that has enough
        to one that misses demand, which no move of one agent on one day can.
        """
        rng, state = self.rng, self.state
        wanted = self._helping(t)
        candidates = []
        for a, day in self._covering(t):
            agent = self.problem.agents[a]
            if day in state.day_shift[a] or day in agent.pinned or agent.group not in wanted:
                continue
            worked = [d for d in state.day_shift[a] if d // 7 == day // 7 and d not in agent.pinned]
            if worked:
                candidates.append((a, day, worked))
        if not candidates:
            return []
        a, day, worked = candidates[int(rng.integers(len(candidates)))]
        other = int(worked[int(rng.integers(len(worked)))])
        members = [(a, day)]
        group = self.problem.agents[a].group
        colleagues = sorted({b for h in self.sharing[group] for b in self.members.get(h, [])
                             if b != a and other in self.days[b]})
        if colleagues:
            members.append((colleagues[int(rng.integers(len(colleagues)))], other))
        members.append((a, other))
        return members

    def around(self, t: int, under: bool = True) -> list[tuple[int, int]]:
        """Up to two agents who could work interval ``t`` (of a group that would meet more demand there,
        when ``under``) and two colleagues sharing a queue with them who may work that day (working it or
        not), each with that day."""
        rng = self.rng
        wanted = self._helping(t) if under else set(range(len(self.problem.groups)))
        first = [(a, day) for a, day in self._covering(t) if self.problem.agents[a].group in wanted]
        if not first:
            return []
        picked = [first[i] for i in rng.choice(len(first), size=min(2, len(first)), replace=False)]
        chosen_agents = {a for a, _ in picked}
        day = picked[0][1]
        colleagues = [a for a0, _ in picked for h in self.sharing[self.problem.agents[a0].group]
                      for a in self.members.get(h, []) if a not in chosen_agents and day in self.days[a]]
        colleagues = sorted(set(colleagues))
        if colleagues:
            extra = rng.choice(len(colleagues), size=min(2, len(colleagues)), replace=False)
            picked += [(colleagues[i], day) for i in extra]
        return picked

    def missed(self, intervals: range) -> list[int]:
        """The intervals of ``intervals`` where demand is not met."""
        on_duty = self.state.on_duty
        return [t for t in intervals if self.full[t] > 0
                and self.cover.value(t, tuple(on_duty[:, t].tolist())) < self.full[t]]


def _outcome(state: _Roster, moves: int, passes: int, saving: float, work_seconds: float) -> SearchOutcome:
    chosen: dict[int, list[int]] = {}
    offsets: dict[tuple[int, int], list[int]] = {}
    for a, shifts in enumerate(state.day_shift):
        for o, breaks in shifts.values():
            chosen.setdefault(a, []).append(o)
            offsets[a, o] = list(breaks)
    for a in chosen:
        chosen[a].sort(key=lambda o, a=a: state.problem.agents[a].options[o].start)
    return SearchOutcome(chosen, offsets, moves, passes, saving, work_seconds)


class _DayMoves:
    """Evaluates and applies the best re-pick of one agent's day."""

    def __init__(self, problem: ProblemData, state: _Roster) -> None:
        self.problem = problem
        self.state = state
        self.cover = CoverValue(problem)
        self.costs = _Costs(problem)
        self._most_key: tuple[int, int] | None = None
        self._most = (0, 0)
        self.placed = 0  # options placed: with the cover's values computed, the work done
        self._windows: dict[tuple[int, int], tuple[int, int]] = {}
        self.by_day: list[dict[int, list[int]]] = []
        for agent in problem.agents:
            days: dict[int, list[int]] = {}
            for o, option in enumerate(agent.options):
                days.setdefault(option.day, []).append(o)
            self.by_day.append(days)

    def move(self, a: int, day: int) -> float:
        """Re-pick agent ``a``'s shift on ``day``; return the objective decrease (0 when nothing changed)."""
        agent = self.problem.agents[a]
        current = self.state.day_shift[a].get(day)
        if day in agent.pinned or (day not in self.by_day[a] and current is None):
            return 0.0
        was_scheduled = bool(self.state.day_shift[a])
        if current is not None:
            self.state.add(a, current[0], current[1], sign=-1)
        lo, hi = self.window(a, day)
        window = self._interval_values(agent.group, lo, hi)
        best = self._best_choice(a, day, lo, hi, window, was_scheduled)
        if current is not None:
            current_cost = self._cost(a, current[0], self._duty_value(a, current[0], current[1], window),
                                      was_scheduled)
        else:
            current_cost = self._cost(a, -1, 0.0, was_scheduled)
        if best is None or current_cost is None or best[0] >= current_cost - 1e-9:
            if current is not None:
                self.state.add(a, current[0], current[1])
            return 0.0
        if best[1] >= 0:
            self.state.add(a, best[1], best[2])
        return float(current_cost - best[0])

    def work_seconds(self) -> float:
        """Nominal seconds of the work done so far (:func:`scheduler.work_limits.local_search_seconds`)."""
        return local_search_seconds(self.cover.lookups, self.cover.computes, self.placed, len(self.problem.groups),
                                    len(self.problem.agents) * self.problem.num_intervals)

    def window(self, a: int, day: int) -> tuple[int, int]:
        """Intervals ``[lo, hi)`` any of the agent's options of ``day`` covers (clipped to the horizon; cached)."""
        found = self._windows.get((a, day))
        if found is None:
            options = [self.problem.agents[a].options[o] for o in self.by_day[a].get(day, [])]
            lo = min([max(o.start, 0) for o in options] or [0])
            hi = max([min(o.end, self.problem.num_intervals) for o in options] or [0])
            found = self._windows[a, day] = (lo, hi)
        return found

    def _best_choice(self, a: int, day: int, lo: int, hi: int, window: _Window,
                     was_scheduled: bool) -> tuple[float, int, tuple[int, ...]] | None:
        """The cheapest feasible (cost, option or -1 for none, break offsets) for the agent's lifted day."""
        must_work = self._all_on_break(self.problem.agents[a].group, lo, hi)
        best: tuple[float, int, tuple[int, ...]] | None = None
        for o in [-1, *self.by_day[a].get(day, [])]:
            # a day off only when lifting the shift leaves no group member alone on break
            placed = self._place(a, o, window, must_work) if o >= 0 else (None if must_work else ((), 0.0))
            cost = None if placed is None else self._cost(a, o, placed[1], was_scheduled)
            if cost is not None and (best is None or cost < best[0] - 1e-9):
                best = (cost, o, placed[0])
        return best

    def lift(self, a: int, day: int, was_scheduled: bool = True) -> float:
        """Take agent ``a``'s shift of ``day`` out of the roster, rules unchecked; return the objective change."""
        o, offsets = self.state.day_shift[a][day]
        self.state.add(a, o, offsets, sign=-1)
        lo, hi = self.window(a, day)
        window = self._interval_values(self.problem.agents[a].group, lo, hi)
        worked = self._cost(a, o, self._duty_value(a, o, offsets, window), was_scheduled, check=False)
        return self._cost(a, -1, 0.0, was_scheduled, check=False) - worked

    def option_cost(self, agent: AgentData, o: int) -> float:
        """Option ``o``'s own terms: its paid time, the preferences it misses and, in a re-plan, its share of the
        changes from the published roster (:func:`scheduler.problem.change_share`)."""
        costs = self.costs
        option = agent.options[o]
        cost = costs.paid_minute * option.paid_minutes + costs.preference * (
            (option.day in agent.preferred_days_off)
            + bool(agent.preferred_templates and option.template not in agent.preferred_templates))
        if costs.change and agent.published:
            cost += costs.change * change_share(agent, o)
        return cost

    def ruin_and_recreate(self, members: list[tuple[int, int]], order: list[int]) -> float:
        """Lift the shifts of ``members`` (distinct (agent, day) pairs; an agent may come with several days),
        put each back at its best in ``order``; keep the result if the objective went down (return the
        decrease), else restore (0)."""
        state = self.state
        delta = 0.0
        lifted: list[tuple[int, int, tuple[int, tuple[int, ...]] | None, bool]] = []
        for a, day in members:
            if day in self.problem.agents[a].pinned:
                continue
            current = state.day_shift[a].get(day)
            was_scheduled = bool(state.day_shift[a])
            lifted.append((a, day, current, was_scheduled))
            if current is None:
                continue
            delta += self.lift(a, day, was_scheduled)
        inserted: list[tuple[int, int, tuple[int, ...]]] = []
        feasible = True
        for k in order:
            if k >= len(lifted):
                continue
            a, day, _, was_scheduled = lifted[k]
            lo, hi = self.window(a, day)
            best = self._best_choice(a, day, lo, hi, self._interval_values(self.problem.agents[a].group, lo, hi),
                                     was_scheduled)
            if best is None:
                feasible = False
                break
            delta += best[0] - self._cost(a, -1, 0.0, was_scheduled, check=False)
            if best[1] >= 0:
                state.add(a, best[1], best[2])
                inserted.append((a, best[1], best[2]))
        if feasible and delta < -1e-9 and not any(
                self._all_on_break(self.problem.agents[a].group, *self.window(a, day)) for a, day, _, _ in lifted):
            return -delta
        for a, o, offsets in inserted:
            state.add(a, o, offsets, sign=-1)
        for a, _, current, _ in lifted:
            if current is not None:
                state.add(a, current[0], current[1])
        return 0.0

    def _all_on_break(self, g: int, lo: int, hi: int) -> set[int]:
        """Intervals of ``[lo, hi)`` where a skill group of two or more on shift is all on break (a rule
        broken until an agent of the group works there)."""
        shift, rest = self.state.on_shift[g, lo:hi], self.state.on_break[g, lo:hi]
        return {lo + int(k) for k in np.flatnonzero((shift >= 2) & (rest == shift))}

    def _interval_values(self, g: int, lo: int, hi: int) -> _Window:
        """Cost of one more agent of group ``g`` on duty in each interval of ``[lo, hi)``, and where the group
        is all on break (plain ints, read once: every option of the day sums spans of them)."""
        state, gain_of = self.state, self.cover.gain
        under, over = self.cover.unit_cost, self.costs.over  # (a queue's first agent is dearer: CoverValue)
        values: list[int] = []
        for t, counts in enumerate(state.on_duty[:, lo:hi].T.tolist(), start=lo):
            gain = gain_of(t, counts, g)
            values.append(-under * gain + (over if gain == 0 else 0))
        shift, rest = state.on_shift[g, lo:hi], state.on_break[g, lo:hi]
        closed = ((shift > 0) & (rest >= shift)).tolist()
        return _Window(lo, values, list(accumulate(values, initial=0)), list(accumulate(closed, initial=0)))

    def _place(self, a: int, o: int, window: _Window,
               must_work: set[int]) -> tuple[tuple[int, ...], float] | None:
        """Best break offsets for option ``o`` and the cost of its intervals on duty; None if not placeable."""
        option = self.problem.agents[a].options[o]
        self.placed += 1
        first, stop = max(option.start, 0), min(option.end, self.problem.num_intervals)
        if any(not first <= t < stop for t in must_work):
            return None
        total = window.total(first, stop)
        if option.template < 0:
            return ((), total)
        lo, prefix, closed = window.lo, window.prefix, window.closed
        start = option.start
        chosen: list[int] = []
        for spec in self.problem.templates[option.template].breaks:
            best_offset, best_saving = None, -np.inf
            length = spec.length
            for offset in spec.offsets:
                begin = start + offset
                end = begin + length
                if begin < first:
                    begin = first
                if end > stop:
                    end = stop
                if end > begin:
                    if closed[end - lo] > closed[begin - lo]:
                        continue  # never all of a group on break at once (``must_work`` lies in these too)
                    saving = prefix[end - lo] - prefix[begin - lo]
                else:
                    saving = 0
                if saving > best_saving + 1e-9:
                    best_offset, best_saving = offset, saving
            if best_offset is None:
                return None
            chosen.append(best_offset)
            total -= best_saving
        return tuple(chosen), total

    def _duty_value(self, a: int, o: int, offsets: tuple[int, ...], window: _Window) -> float:
        span, breaks = self.state.spans(a, o, offsets)
        values, lo = window.values, window.lo
        return float(window.total(span.start, span.stop) - sum(values[t - lo] for t in breaks))

    def _cost(self, a: int, o: int, duty_cost: float, was_scheduled: bool, check: bool = True) -> float | None:
        """The agent's part of the objective with option ``o`` (-1: none) on the lifted day; None if infeasible.

        With ``check=False`` the hard rules are not checked (the cost of a state a ruin step passes through).
        """
        problem, state, costs = self.problem, self.state, self.costs
        agent = problem.agents[a]
        option = agent.options[o] if o >= 0 else None
        others = [agent.options[p] for p, _ in state.day_shift[a].values()]
        minutes = state.week_minutes[a].tolist()
        if option is not None:
            if check and not fits(problem, agent, others, option):
                return None
            minutes[option.day // 7] += option.paid_minutes
        scheduled = bool(others) or option is not None
        if check and agent.is_open_position and scheduled != was_scheduled:
            return None  # open positions are hired in order; the search does not hire or release
        if check and scheduled:
            for worked, least, most in zip(minutes, agent.min_week_minutes, agent.max_week_minutes, strict=True):
                if worked < least or worked > most:
                    return None
        cost = duty_cost
        if option is not None:
            cost += self.option_cost(agent, o)
        if scheduled:
            cost += costs.open_position if agent.is_open_position else costs.head
            if agent.target_week_minutes:
                short = zip(agent.target_week_minutes, minutes, strict=True)
                cost += costs.deviation_minute * sum(max(target - worked, 0) for target, worked in short)
            if agent.overtime_from_minutes and costs.overtime_minute:
                cost += costs.overtime_minute * sum(agent.overtime_minutes(week, worked)
                                                    for week, worked in enumerate(minutes))
        weekends = state.weekends[a] + (option is not None and option.is_weekend)
        nights = state.nights[a] + (option is not None and option.template >= 0
                                    and problem.templates[option.template].is_night)
        most_weekends, most_nights = self._most_of_others(a)
        cost += costs.weekend * max(weekends, most_weekends)
        cost += costs.night * max(nights, most_nights)
        return cost

    def _most_of_others(self, a: int) -> tuple[int, int]:
        """The most weekend and night shifts of any other agent (cached while the roster is unchanged)."""
        key = (a, self.state.version)
        if self._most_key != key:
            self._most_key = key
            self._most = (_max_other(self.state.weekends, a), _max_other(self.state.nights, a))
        return self._most


def _max_other(counts: np.ndarray, a: int) -> int:
    if len(counts) <= 1:
        return 0
    top = int(counts.max())
    if counts[a] < top:
        return top
    return int(np.partition(counts, -2)[-2])
