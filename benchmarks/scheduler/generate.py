"""Seeded instance generator for the scheduler benchmarks of issue 5.

Builds :class:`~scheduler.problem.ProblemData` directly (no plan folder), deterministic given
the seed. Two families:

* **Named rosters** (:func:`named_instance`): ``medium`` (80 agents, 2 weeks, 30-minute grid,
  2 languages x 4 channels = 8 queues), ``large`` (300 agents, 4 weeks, 15-minute grid, 6
  languages x 4 channels = 24 queues, 20 skill sets, breaks, every rule, a night template
  for the 24/7 English phone queue, a few agents one hour ahead of the plan's clock) and
  ``named500`` (500 agents, 1 week, 30-minute grid, 6 languages x 2 channels, 11-hour rest
  with early and late templates for the same agents so the rest rule binds).
  Demand follows a daily curve per channel (two humps for phone, a later peak for chat, flat
  for e-mail and social) and a weekly curve (Monday high, weekend low); each queue's total is
  the capacity of the agents who can serve it (each agent's productive time split equally
  over their queues) divided by ``capacity_ratio`` (1.1), then capped at what a *witness roster* covers
  (:func:`witness_roster`: every hard rule kept, checked by the checker), so the agents provably
  can cover it; thin languages get thin demand.
* **Covering grids** (:func:`covering_grid`) for the side-by-side runs with pyworkforce:
  one queue, a 24/7 requirement per interval, shift lengths and hourly starts; and
  :func:`covering_problem`, the same grid as shiftplan ``ProblemData`` (anonymous agents of
  one skill, no breaks, generous weekly limits, no rest beyond no overlap).

Run ``.venv/bin/python benchmarks/scheduler/generate.py`` to print a description of each.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np

from scheduler.problem import AgentData, BreakSpec, ProblemData, ShiftOption, TemplateData, Weights
from scheduler.roster import OFF_QUEUE, Assignment, Roster

MINUTES_PER_DAY = 24 * 60
LEGAL_WEEKLY_MAX_MINUTES = 48 * 60  # a contract below this has a weekly target (as in scheduler.build)
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.5)  # Monday .. Sunday; the horizon starts on a Monday


@dataclass(frozen=True)
class BreakRule:
    """A break in minutes: kind, length, paid, earliest and latest start after the shift start."""

    kind: str
    minutes: int
    paid: bool
    earliest: int
    latest: int


@dataclass(frozen=True)
class TemplateRule:
    """A shift template in local minutes: start window, start step, lengths and breaks."""

    name: str
    code: str
    first_start: int
    last_start: int
    step: int
    lengths: tuple[int, ...]
    breaks: tuple[BreakRule, ...]
    is_night: bool = False

    def paid_minutes(self, length: int, with_breaks: bool) -> int:
        """Paid minutes of a shift of ``length`` minutes (unpaid breaks removed)."""
        if not with_breaks:
            return length
        return length - sum(b.minutes for b in self.breaks if not b.paid)


_B15 = BreakRule("break", 15, True, 90, 150)
_LUNCH30 = BreakRule("lunch", 30, False, 210, 300)
_B15_LATE = BreakRule("break", 15, True, 360, 420)
_LUNCH60 = BreakRule("lunch", 60, False, 240, 330)
_B15_NIGHT = BreakRule("break", 15, True, 400, 460)

#: Templates by name; full-time shifts are 8.5 h with a 30-minute unpaid lunch (8 h paid).
TEMPLATES: dict[str, TemplateRule] = {
    "early": TemplateRule("early", "E", 6 * 60, 8 * 60, 30, (510,), (_B15, _LUNCH30, _B15_LATE)),
    "day": TemplateRule("day", "D", 8 * 60, 10 * 60 + 30, 30, (510,), (_B15, _LUNCH30, _B15_LATE)),
    "late": TemplateRule("late", "L", 12 * 60, 14 * 60 + 30, 30, (510,), (_B15, _LUNCH30, _B15_LATE)),
    "night": TemplateRule("night", "N", 21 * 60, 22 * 60, 60, (540,), (_B15, _LUNCH60, _B15_NIGHT), True),
    "part": TemplateRule("part", "P", 9 * 60, 17 * 60, 60, (240, 360), (_B15,)),
}


@dataclass(frozen=True)
class InstanceSpec:
    """Size and rules of a named-roster instance.

    Attributes
    ----------
    name : str
        Instance name.
    num_agents, num_weeks, interval_minutes : int
        Size.
    languages : tuple of (str, float)
        Languages and their share of the agents (and hence of the demand).
    channels : tuple of str
        Channels; queues are every language x channel.
    bilingual_sets : int
        Skill sets with English plus another language, on top of three per language.
    breaks : bool
        Whether templates have breaks and lunch.
    rest_hours : float
        Minimum rest between shifts.
    max_consecutive_days : int
        Most working days in a row.
    part_time_share, time_off_share, other_zone_share, weekend_off_share : float
        Shares of agents that are part-time (restricted availability), have a block of time
        off, work one hour ahead of the plan's clock, prefer weekends off.
    night : bool
        Whether the English phone queue is open 24/7 with night-shift agents.
    full_time_templates : tuple of tuple of str
        Template pairs a full-time agent may be eligible for (one drawn per agent).
    capacity_ratio : float
        Agents' productive capacity over expected demand, per queue (before the witness cap).
    """

    name: str
    num_agents: int
    num_weeks: int
    interval_minutes: int
    languages: tuple[tuple[str, float], ...]
    channels: tuple[str, ...]
    bilingual_sets: int
    breaks: bool = True
    rest_hours: float = 11.0
    max_consecutive_days: int = 6
    part_time_share: float = 0.25
    time_off_share: float = 0.1
    other_zone_share: float = 0.0
    weekend_off_share: float = 0.2
    night: bool = False
    full_time_templates: tuple[tuple[str, ...], ...] = (("early", "day", "late"), ("early", "day"), ("day", "late"))
    capacity_ratio: float = 1.1


SIX_LANGUAGES = (("en", 0.34), ("es", 0.2), ("de", 0.15), ("fr", 0.13), ("tr", 0.1), ("ko", 0.08))
FOUR_CHANNELS = ("phone", "chat", "email", "social")

SPECS: dict[str, InstanceSpec] = {
    "medium": InstanceSpec("medium", 80, 2, 30, (("en", 0.7), ("de", 0.3)), FOUR_CHANNELS, 1),
    "large": InstanceSpec("large", 300, 4, 15, SIX_LANGUAGES, FOUR_CHANNELS, 2, other_zone_share=0.05, night=True),
    "named500": InstanceSpec("named500", 500, 1, 30, SIX_LANGUAGES, ("phone", "chat"), 2, time_off_share=0.05,
                             full_time_templates=(("early", "late"), ("early", "day", "late"), ("day", "late"))),
    # thin teams: plans below the large size (CP-SAT runs on the whole model), one week, English and German on
    # phone and chat
    **{f"small{n}": InstanceSpec(f"small{n}", n, 1, 30, (("en", 0.7), ("de", 0.3)), ("phone", "chat"), 1)
       for n in (10, 15, 20, 25)},
    # the same thin teams over several weeks: above the large size (the stages, then the group LNS)
    **{f"thin{n}w{weeks}": InstanceSpec(f"thin{n}w{weeks}", n, weeks, 30, (("en", 0.7), ("de", 0.3)),
                                        ("phone", "chat"), 1) for n, weeks in ((20, 2), (30, 2), (20, 4))},
}


def _channel_curve(channel: str, hours: np.ndarray, open_all_day: bool) -> np.ndarray:
    """Relative demand by hour of day (0 when closed)."""
    if channel == "phone":
        curve = 0.25 + np.exp(-((hours - 10.5) / 2.2) ** 2) + 0.8 * np.exp(-((hours - 15.0) / 2.5) ** 2)
    elif channel == "chat":
        curve = 0.35 + 0.7 * np.exp(-((hours - 11.0) / 3.0) ** 2) + 0.8 * np.exp(-((hours - 18.0) / 2.5) ** 2)
    else:
        curve = np.full_like(hours, 0.8)
    first, last = (8, 20) if channel in ("email", "social") else (7, 22)
    is_open = (hours >= first) & (hours < last)
    if open_all_day:
        return np.where(is_open, curve, 0.12)
    return np.where(is_open, curve, 0.0)


def _skill_sets(spec: InstanceSpec) -> list[tuple[tuple[str, ...], tuple[str, ...], float]]:
    """Skill sets as (languages, channels, weight): three per language, then English bilinguals."""
    channels = spec.channels
    half = max(1, len(channels) // 2)
    combos = [(channels, 0.45), (channels[:half], 0.35), (channels[half:] or channels[:1], 0.2)]
    sets: list[tuple[tuple[str, ...], tuple[str, ...], float]] = []
    for language, share in spec.languages:
        for combo, weight in combos:
            sets.append(((language,), combo, share * weight))
    others = [language for language, _ in spec.languages[1:]]
    for language in others[: spec.bilingual_sets]:
        share = dict(spec.languages)[language]
        sets.append((("en", language), channels[:half], 0.3 * share))
    return sets


def _template_data(rule: TemplateRule, interval: int, with_breaks: bool) -> TemplateData:
    """A template's breaks placed on the grid (windows rounded inwards, never overlapping)."""
    specs: list[BreakSpec] = []
    earliest_free = 0
    for b in rule.breaks if with_breaks else ():
        length = math.ceil(b.minutes / interval)
        first = max(math.ceil(b.earliest / interval), earliest_free)
        last = max(b.latest // interval, first)
        specs.append(BreakSpec(b.kind, b.minutes, b.paid, length, tuple(range(first, last + 1))))
        earliest_free = last + length
    return TemplateData(rule.name, rule.code, tuple(specs), rule.is_night)


def _options(spec: InstanceSpec, template_names: list[str], chosen: tuple[str, ...], weekdays: set[int],
             days_off: set[int], zone_minutes: int) -> list[ShiftOption]:
    """Every option of one agent: eligible templates, available weekdays, not on time off."""
    interval = spec.interval_minutes
    num_intervals = spec.num_weeks * 7 * MINUTES_PER_DAY // interval
    options: list[ShiftOption] = []
    for day in range(spec.num_weeks * 7):
        if day % 7 not in weekdays or day in days_off:
            continue
        for name in chosen:
            rule = TEMPLATES[name]
            t_index = template_names.index(name)
            for local in range(rule.first_start, rule.last_start + 1, rule.step):
                start = (day * MINUTES_PER_DAY + local - zone_minutes) // interval
                for length in rule.lengths:
                    steps = math.ceil(length / interval)
                    if start + steps <= 0 or start >= num_intervals:
                        continue
                    options.append(ShiftOption(day, t_index, start, steps, rule.paid_minutes(length, spec.breaks),
                                               day % 7 >= 5))
    return sorted(set(options), key=lambda o: (o.day, o.start, o.length, o.template))


def named_instance(name: str, seed: int = 1) -> tuple[ProblemData, Roster]:
    """Build a named-roster instance.

    Parameters
    ----------
    name : str
        ``medium``, ``large`` or ``named500`` (see :data:`SPECS`).
    seed : int
        Random seed; the same seed gives the same instance.

    Returns
    -------
    tuple
        The problem (agents grouped by skill set, demand sized to ``capacity_ratio`` and never
        above the witness's coverage) and the witness roster (every hard rule kept, no
        under-staffing: an upper reference for the objective).
    """
    spec = SPECS[name]
    rng = np.random.default_rng(seed)
    interval = spec.interval_minutes
    num_days = spec.num_weeks * 7
    per_day = MINUTES_PER_DAY // interval
    num_intervals = num_days * per_day
    queues = [(language, channel) for language, _ in spec.languages for channel in spec.channels]
    queue_index = {q: i for i, q in enumerate(queues)}
    template_names = [n for n in TEMPLATES if spec.night or n != "night"]
    templates = tuple(_template_data(TEMPLATES[n], interval, spec.breaks) for n in template_names)

    sets = _skill_sets(spec)
    weights = np.array([w for _, _, w in sets])
    draw = list(range(len(sets))) + list(rng.choice(len(sets), spec.num_agents - len(sets), p=weights / weights.sum()))
    groups: list[tuple[int, ...]] = []
    agents: list[AgentData] = []
    capacity = np.zeros(len(queues))
    for a, s in enumerate(draw):
        languages, channels, _ = sets[s]
        skills = tuple(sorted(queue_index[(lang, ch)] for lang in languages for ch in channels))
        if skills not in groups:
            groups.append(skills)
        part_time = rng.random() < spec.part_time_share
        night_worker = spec.night and not part_time and ("en", "phone") in {
            (lang, ch) for lang in languages for ch in channels} and rng.random() < 0.05
        if night_worker:
            chosen: tuple[str, ...] = ("night",)
        elif part_time:
            chosen = ("part", "day")
        else:
            chosen = spec.full_time_templates[rng.integers(len(spec.full_time_templates))]
        weekdays = set(range(7))
        if part_time:
            weekdays = set(rng.choice(7, size=int(rng.integers(4, 6)), replace=False).tolist())
        days_off: set[int] = set()
        if rng.random() < spec.time_off_share:
            first = int(rng.integers(0, num_days))
            days_off = set(range(first, min(num_days, first + int(rng.integers(2, 6)))))
        zone_minutes = 60 if rng.random() < spec.other_zone_share else 0
        max_minutes = (24 if part_time else 40) * 60
        min_minutes = (16 if part_time else 32) * 60
        max_days = 5
        lost = [sum(1 for d in days_off if w * 7 <= d < w * 7 + 7 and d % 7 in weekdays)
                for w in range(spec.num_weeks)]
        share = [max(0.0, 1 - n / max_days) for n in lost]
        prefers_weekend_off = rng.random() < spec.weekend_off_share
        options = _options(spec, template_names, chosen, weekdays, days_off, zone_minutes)
        agents.append(AgentData(
            f"A{a + 1:04d}", f"Agent {a + 1}", groups.index(skills), tuple(options),
            tuple(int(min_minutes * s) for s in share), (max_minutes,) * spec.num_weeks, max_days,
            preferred_days_off=frozenset(d for d in range(num_days) if d % 7 >= 5) if prefers_weekend_off
            else frozenset(),
            time_zone="Europe/Berlin" if zone_minutes else "UTC",
            target_week_minutes=tuple(int(max_minutes * s) for s in share)
            if max_minutes < LEGAL_WEEKLY_MAX_MINUTES else ()))
        rule = TEMPLATES[chosen[0]]
        length = rule.lengths[-1]
        steps = math.ceil(length / interval)
        taken = sum(math.ceil(b.minutes / interval) for b in rule.breaks) if spec.breaks else 0
        productive = (steps - taken) / steps * length / rule.paid_minutes(length, spec.breaks)
        agent_capacity = sum(max_minutes * s for s in share) * productive / interval
        capacity[list(skills)] += agent_capacity / len(skills)

    hours = (np.arange(per_day) * interval) / 60 + interval / 120
    expected = np.zeros((len(queues), num_intervals))
    rounded = np.zeros((len(queues), num_intervals), dtype=np.int64)
    for q, (language, channel) in enumerate(queues):
        daily = _channel_curve(channel, hours, spec.night and (language, channel) == ("en", "phone"))
        curve = np.concatenate([daily * WEEKDAY_FACTOR[d % 7] for d in range(num_days)])
        curve = curve * rng.lognormal(0.0, 0.08, curve.size)
        expected[q] = curve / curve.sum() * capacity[q] / spec.capacity_ratio
        rounded[q] = np.floor(expected[q] + rng.random(curve.size)).astype(np.int64)  # thin queues stay thin
    problem = ProblemData(
        interval_minutes=interval, num_intervals=num_intervals, num_days=num_days, start_utc=None,
        queue_names=tuple(f"{lang}/{ch}" for lang, ch in queues),
        queue_priority=tuple(200 if ch == "phone" else 100 for _, ch in queues),
        demand=rounded, groups=tuple(groups), agents=tuple(agents), templates=templates,
        min_rest_intervals=math.ceil(spec.rest_hours * 60 / interval),
        # uncovered_queue 0 (the objectives measured since the first benchmarks stay comparable)
        max_consecutive_days=spec.max_consecutive_days, weights=Weights(uncovered_queue=0),
        day_of_interval=np.repeat(np.arange(num_days), per_day),
    )
    roster = witness_roster(problem, expected)
    # demand never above what the witness covers: the agents can cover it, provably
    demand = np.minimum(rounded, roster.coverage(problem))
    return replace(problem, demand=demand), roster


def witness_roster(problem: ProblemData, expected: np.ndarray) -> Roster:
    """A roster that keeps every hard rule, built greedily against the expected demand.

    Each agent (specialists first) works one shift shape (template, local start, length) on a
    fixed set of weekdays every week, so rest (same start every day), days per week and
    consecutive days (a weekly pattern of at most 5 days) hold by construction; the shape and
    the weekdays are those that meet the most remaining demand. Weekly hours are checked and an
    agent who misses their minimum is left out. Breaks are placed so that no two agents of a
    skill group on shift are all on break at once. Each working interval serves the agent's
    queue with the most remaining demand.

    Parameters
    ----------
    problem : ProblemData
        The problem (its demand is not used).
    expected : numpy.ndarray
        ``(num_queues, num_intervals)`` expected demand to follow.

    Returns
    -------
    Roster
        The witness roster.
    """
    per_day = problem.num_intervals // problem.num_days
    residual = expected.astype(float).copy()
    on_shift = np.zeros((len(problem.groups), problem.num_intervals), dtype=np.int64)
    on_break = np.zeros_like(on_shift)
    order = sorted(range(len(problem.agents)), key=lambda a: (len(problem.groups[problem.agents[a].group]), a))
    assignments: list[Assignment] = []
    for a in order:
        agent = problem.agents[a]
        skills = list(problem.groups[agent.group])
        gain = np.concatenate([[0.0], np.cumsum(np.clip(residual[skills].max(axis=0), 0, 1))])
        shapes: dict[tuple[int, int, int], dict[int, int]] = {}
        for o, option in enumerate(agent.options):
            shape = (option.template, option.start - option.day * per_day, option.length)
            shapes.setdefault(shape, {})[option.day] = o
        best: tuple[float, list[int]] = (-1.0, [])
        for by_day in shapes.values():
            paid = agent.options[next(iter(by_day.values()))].paid_minutes
            days = max(0, min(agent.max_days_per_week, min(agent.max_week_minutes) // max(paid, 1)))
            weekday_value = np.zeros(7)
            for day, o in by_day.items():
                option = agent.options[o]
                first, last = max(option.start, 0), min(option.end, problem.num_intervals)
                weekday_value[day % 7] += gain[last] - gain[first]
            weekdays = set(np.argsort(-weekday_value, kind="stable")[:days].tolist())
            value = sum(weekday_value[w] for w in weekdays)
            if value > best[0]:
                best = (value, [o for day, o in sorted(by_day.items()) if day % 7 in weekdays])
        picks = best[1]
        worked = [sum(agent.options[o].paid_minutes for o in picks if w * 7 <= agent.options[o].day < w * 7 + 7)
                  for w in range(problem.num_weeks)]
        if not picks or any(m < low or m > high for m, low, high in
                            zip(worked, agent.min_week_minutes, agent.max_week_minutes, strict=True)):
            continue
        for o in picks:
            assignments.append(_witness_shift(problem, a, o, residual, on_shift, on_break, skills))
    return Roster(tuple(sorted(assignments, key=lambda item: (item.agent, item.option))))


def _witness_shift(problem: ProblemData, a: int, o: int, residual: np.ndarray, on_shift: np.ndarray,
                   on_break: np.ndarray, skills: list[int]) -> Assignment:
    """Place one witness shift: breaks that never leave a group all on break, queues by need."""
    option = problem.agents[a].options[o]
    g = problem.agents[a].group
    specs = problem.templates[option.template].breaks
    num_t = problem.num_intervals
    chosen: tuple[int, ...] = tuple(spec.offsets[0] for spec in specs)
    combos = itertools.product(*[spec.offsets[a % len(spec.offsets):] + spec.offsets[:a % len(spec.offsets)]
                                 for spec in specs])
    for combo in combos:
        taken = [option.start + k for k in _break_steps(specs, combo) if 0 <= option.start + k < num_t]
        if all(on_shift[g, t] == 0 or on_break[g, t] < on_shift[g, t] for t in taken):
            chosen = combo
            break
    steps = set(_break_steps(specs, chosen))
    queues: list[int] = []
    for k in range(option.length):
        t = option.start + k
        if not 0 <= t < num_t or k in steps:
            queues.append(OFF_QUEUE)
            if 0 <= t < num_t:
                on_shift[g, t] += 1
                on_break[g, t] += 1
            continue
        q = max(skills, key=lambda q, t=t: residual[q, t])
        residual[q, t] -= 1
        on_shift[g, t] += 1
        queues.append(q)
    return Assignment(a, o, chosen, tuple(queues))


def _break_steps(specs: tuple[BreakSpec, ...], offsets: tuple[int, ...]) -> list[int]:
    """Steps after the shift start that the breaks take."""
    return [p + k for spec, p in zip(specs, offsets, strict=True) for k in range(spec.length)]


@dataclass(frozen=True)
class CoveringGrid:
    """A 24/7 single-queue requirement grid and the shifts allowed on it (both solvers get the same).

    Attributes
    ----------
    name : str
        Instance name.
    interval_minutes : int
        Grid step.
    num_days : int
        Days in the horizon.
    demand : numpy.ndarray
        ``(num_days * intervals_per_day,)`` agents required on the real clock.
    lengths_minutes : tuple of int
        Shift lengths.
    start_step_minutes : int
        A shift may start every this many minutes, every day.
    """

    name: str
    interval_minutes: int
    num_days: int
    demand: np.ndarray
    lengths_minutes: tuple[int, ...]
    start_step_minutes: int

    @property
    def intervals_per_day(self) -> int:
        """Intervals in a day."""
        return MINUTES_PER_DAY // self.interval_minutes

    def shifts(self) -> list[tuple[int, int]]:
        """Shift types of a day as (start interval within the day, length in intervals)."""
        step = self.start_step_minutes // self.interval_minutes
        return [(start, length // self.interval_minutes) for start in range(0, self.intervals_per_day, step)
                for length in self.lengths_minutes]

    def coverage(self, counts: dict[tuple[int, int], int]) -> np.ndarray:
        """Agents on duty per interval on the real clock, from shift counts ``(day, shift index) -> n``.

        A shift that runs past midnight covers the next day's first intervals; past the horizon's
        end it covers nothing.
        """
        on_duty = np.zeros(self.demand.size, dtype=np.int64)
        shifts = self.shifts()
        for (day, s), n in counts.items():
            start, length = shifts[s]
            first = day * self.intervals_per_day + start
            on_duty[first: min(first + length, on_duty.size)] += n
        return on_duty


COVERING = {
    "pyworkforce_a": ("a: 1 week, 60 min, 8 h shifts starting each hour", 60, 7, (480,), 60, 24.0),
    "pyworkforce_b": ("b: 4 weeks, 15 min, 6/8/10 h shifts starting each hour", 15, 28, (360, 480, 600), 60, 12.0),
}


def covering_grid(name: str, seed: int = 1) -> CoveringGrid:
    """Build a covering grid for the pyworkforce comparison.

    Parameters
    ----------
    name : str
        ``pyworkforce_a`` (one week of hourly requirements, 8-hour shifts starting each hour) or
        ``pyworkforce_b`` (4 weeks of 15-minute requirements, 6/8/10-hour shifts starting each hour), or a
        :data:`NAMED_GRID` name.
    seed : int
        Random seed.

    Returns
    -------
    CoveringGrid
        Requirements open 24/7 (a night floor, two daytime humps, a weekly curve).
    """
    _, interval, num_days, lengths, step, peak = COVERING[name] if name in COVERING else NAMED_GRID[name]
    rng = np.random.default_rng(seed)
    per_day = MINUTES_PER_DAY // interval
    hours = (np.arange(per_day) * interval) / 60 + interval / 120
    daily = 0.15 + np.exp(-((hours - 10.5) / 2.5) ** 2) + 0.8 * np.exp(-((hours - 16.0) / 3.0) ** 2)
    curve = np.concatenate([daily * WEEKDAY_FACTOR[d % 7] for d in range(num_days)])
    curve = curve * rng.lognormal(0.0, 0.1, curve.size)
    demand = np.maximum(1, np.rint(peak * curve / curve.max())).astype(np.int64)
    return CoveringGrid(name, interval, num_days, demand, lengths, step)


def covering_problem(grid: CoveringGrid) -> ProblemData:
    """The covering grid as a shiftplan problem: anonymous one-skill agents, no breaks, loose limits.

    Every agent may work any shift of any day (one a day, no overlap, no rest rule, up to 7 days
    and 7 x 10 hours a week); there are enough agents that headcount never binds. Weights:
    under-staffing 1000 per agent-interval, paid hours 1 per hour, everything else 0, so with
    full coverage the objective is the paid agent-hours.

    Parameters
    ----------
    grid : CoveringGrid
        The requirement grid.

    Returns
    -------
    ProblemData
        The problem.
    """
    per_day = grid.intervals_per_day
    num_intervals = grid.num_days * per_day
    shifts = grid.shifts()
    options = tuple(ShiftOption(day, 0, day * per_day + start, length, length * grid.interval_minutes, day % 7 >= 5)
                    for day in range(grid.num_days) for start, length in shifts)
    daily_hours = grid.demand.reshape(grid.num_days, per_day).sum(axis=1) * grid.interval_minutes / 60
    shortest = min(grid.lengths_minutes) / 60
    num_agents = math.ceil(1.25 * daily_hours.max() / shortest) + 5
    weeks = (grid.num_days + 6) // 7
    most = 7 * max(grid.lengths_minutes)
    agents = tuple(AgentData(f"X{a:03d}", f"anonymous {a}", 0, options, (0,) * weeks, (most,) * weeks, 7)
                   for a in range(num_agents))
    weights = Weights(under_staffing=100_000, over_staffing=0, headcount=0, paid_hour=100,
                      contract_deviation_hour=0, preference=0, weekend_fairness=0, night_fairness=0,
                      uncovered_queue=0)
    return ProblemData(
        interval_minutes=grid.interval_minutes, num_intervals=num_intervals, num_days=grid.num_days, start_utc=None,
        queue_names=("all/phone",), queue_priority=(100,), demand=grid.demand[None, :].astype(np.int64),
        groups=((0,),), agents=agents, templates=(TemplateData("any", "A", ()),), min_rest_intervals=0,
        max_consecutive_days=grid.num_days, weights=weights,
        day_of_interval=np.repeat(np.arange(grid.num_days), per_day),
    )


#: The literal reading of bar (c) of issue 5, "a named roster of about 500 agents for a week with an 11-hour rest
#: rule", on a requirement grid of the pyworkforce kind (one queue open 24/7, hourly, 8-hour shifts starting each
#: hour; peak 240 agents, so the agents' contract capacity is 1.36 times the demand, as 1.34 on ``named500``).
NAMED_GRID = {"named500_grid": ("c: 500 named agents, 1 week, 60 min, 8 h shifts starting each hour", 60, 7, (480,),
                                60, 240.0)}


def named_grid_instance(name: str, seed: int = 1) -> ProblemData:
    """Build the named roster on a requirement grid (:data:`NAMED_GRID`).

    500 named agents: 400 full-timers (32 to 40 hours, at most 5 days a week) and 100 part-timers (16 to 24 hours,
    at most 3 days); one agent in five has one day of time off (no option that day); 11 hours of rest between shifts,
    at most 6 days in a row. Weights: under-staffing 1,000 an agent-hour, a head 100, a paid hour 1, nothing else.

    Parameters
    ----------
    name : str
        ``named500_grid``.
    seed : int
        Random seed of the grid's noise and the days off.

    Returns
    -------
    ProblemData
        The problem (one queue, no breaks, no witness roster).
    """
    interval, num_days = NAMED_GRID[name][1:3]
    grid = covering_grid(name, seed)
    base = covering_problem(grid)
    options = base.agents[0].options
    rng = np.random.default_rng(seed + 1000)
    agents = []
    for a in range(500):
        full = a < 400
        off = int(rng.integers(num_days)) if rng.random() < 0.2 else -1
        agents.append(AgentData(f"E{a:04d}", f"agent {a}", 0, tuple(o for o in options if o.day != off),
                                ((32 if full else 16) * 60,), ((40 if full else 24) * 60,), 5 if full else 3))
    weights = Weights(under_staffing=100_000, over_staffing=0, headcount=10_000, paid_hour=100,
                      contract_deviation_hour=0, preference=0, weekend_fairness=0, night_fairness=0,
                      uncovered_queue=0)
    return replace(base, agents=tuple(agents), min_rest_intervals=11 * 60 // interval, max_consecutive_days=6,
                   weights=weights)


def describe(problem: ProblemData) -> str:
    """One line: agents, groups, queues, intervals, options, demand vs capacity in agent-hours."""
    hours = problem.interval_minutes / 60
    demand_hours = int(problem.demand.sum() * hours)
    capacity_hours = sum(sum(a.max_week_minutes) for a in problem.agents) / 60
    options = sum(len(a.options) for a in problem.agents)
    return (f"{len(problem.agents)} agents, {len(problem.groups)} skill sets, {problem.num_queues} queues, "
            f"{problem.num_intervals} intervals, {options} options, demand {demand_hours} agent-h, "
            f"paid capacity {capacity_hours:.0f} h ({capacity_hours / max(demand_hours, 1):.2f}x)")


if __name__ == "__main__":
    from scheduler.checker import OBJECTIVE_UNIT, check_roster

    for instance in SPECS:
        data, witness = named_instance(instance)
        report = check_roster(data, witness)
        print(f"{instance:<10}", describe(data), f"witness: feasible {report.feasible}, "
              f"{len(witness.by_agent())} agents, objective {report.terms.total / OBJECTIVE_UNIT:,.0f}",
              report.violations[:3])
    for instance in COVERING:
        print(f"{instance:<10}", describe(covering_problem(covering_grid(instance))))
    for instance in NAMED_GRID:
        print(f"{instance:<10}", describe(named_grid_instance(instance)))
