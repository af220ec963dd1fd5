"""The roster report: everything the workbook, CSV and ICS files show, as plain frames (pure; no file I/O).

:func:`build_report` turns a solve (plan, problem, result, requirements) into a
:class:`RosterReport`; every sheet is then a pure function of the report (:mod:`outputs.sheets`),
and the report is what ``solve`` saves and ``export`` reloads (:mod:`outputs.result_io`), so an
export needs neither the solver nor the staffing math.

The expected service of the roster as built comes from the staffing math
(:func:`forecasting.staffing.evaluate_staffing`), evaluated against the forecast contacts and handle time. The
agents scheduled on a queue less the queue's shrinkage in that interval (its ``shrinkage_windows`` or else its
``shrinkage_percent``) are its productive agents, ``p = scheduled · (1 − shrinkage)``, a fraction
(:func:`productive_agents`): shrinkage is a share of each agent's time away, not whole agents gone, so one agent at
30% is 0.7 productive agents and three are 2.1 (they were ``floor(p)``, 0 and 2: the lone agent's interval showed
0% service). Of each interval, a share ``p − ⌊p⌋`` has ``⌈p⌉`` productive agents and the rest ``⌊p⌋``
(:func:`service_at_productive`):

* Live queues (Erlang C and A, chat slots) are independent from one interval to the next: an interval's service
  level, ASA and abandonment are their values at ``⌊p⌋`` and ``⌈p⌉`` agents mixed in those shares, the linear
  interpolation with weight ``p − ⌊p⌋`` on ``⌈p⌉``, and exactly the value at ``p`` when ``p`` is whole (within
  :data:`WHOLE_AGENT_TOLERANCE`). One Erlang C agent at 30% gives ``0.7 · SL(1)`` (``SL(0) = 0``) and an infinite
  ASA (blank): a call that comes while nobody is there waits without end.
* Deferred queues (e-mail, tickets, social) carry their backlog from one interval to the next, and their fluid
  model sees of an interval only the work its agents can do in it, ``agents × interval``: mixed in those shares,
  exactly ``p × interval``. So they are evaluated once, at that fractional capacity. Their answered share is not
  linear in capacity (it is clipped at 0 and 1, and a contact is answered in later intervals, by their agents), so
  interpolating it between a whole path at ``⌊p⌋`` and one at ``⌈p⌉`` would be another figure, and a worse one: with
  one e-mail agent at 30% all day the ``⌊p⌋`` path has nobody ever, so the interpolation would say 70% answered in
  time however few e-mails 0.7 of an agent has to clear; and an e-mail answered the next hour would be weighed by
  the agents of the hour it came in.

Scheduling exactly the requirement gives at least the service it was computed for: the requirement is
``ceil(n / (1 − shrinkage))`` agents for ``n`` whole productive ones, so ``p ≥ n``; the service only improves with
agents, and a mix of ``⌊p⌋ ≥ n`` and ``⌈p⌉`` agents (a capacity of ``p ≥ n`` agents) meets every target ``n`` meets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.staffing import QueueStaffingSpec, evaluate_staffing
from inputs.config import PINNED_CODE, PINNED_TEMPLATE
from inputs.opening import open_mask, shrinkage_percent_by_interval
from inputs.records import Horizon, Plan
from outputs.changes import roster_changes
from outputs.left_out import profile_queue_facts, unhired_facts, unreachable_facts, unscheduled_facts
from outputs.replan_cut import cut_facts
from outputs.roster_frame import roster_segments
from scheduler.build import breaks_fit, open_position_agents
from scheduler.checker import OBJECTIVE_UNIT, ObjectiveTerms
from scheduler.problem import ProblemData
from scheduler.result import Result

AGENT_COLUMNS = ("employee_id", "name", "site", "time_zone", "contract", "scheduled", "shifts", "paid_minutes",
                 "weekend_shifts", "night_shifts")
COVERAGE_COLUMNS = ("queue", "kind", "date", "start_local", "start_utc", "required", "scheduled", "under", "over",
                    "contacts", "aht_seconds", "productive", "service_level", "asa_seconds", "abandon_rate")
TEMPLATE_COLUMNS = ("template", "code", "is_night")

#: Productive agents within this of a whole number are that number: ``20 × (1 − 0.3)`` is 13.999999999999998.
WHOLE_AGENT_TOLERANCE = 1e-9
#: The service figures :func:`service_at_productive` gives.
SERVICE_COLUMNS = ("service_level", "asa_seconds", "abandon_rate")
#: Deferred queues are evaluated at ``round(p × 2**40)`` agents of ``2**40`` times the work (see
#: :func:`service_at_productive`): a power of two, so whole agents give exactly the figures of the unscaled model,
#: and ``p`` is rounded by at most half a 2**40th (a two-trillionth) of an agent.
_CAPACITY_SCALE = 2**40


def productive_agents(scheduled: np.ndarray, shrinkage_percent: np.ndarray) -> np.ndarray:
    """The productive agents of scheduled ones, ``scheduled × (1 − shrinkage / 100)``, as fractions.

    Parameters
    ----------
    scheduled : numpy.ndarray
        Agents scheduled on a queue per interval.
    shrinkage_percent : numpy.ndarray
        The queue's shrinkage in each interval, in percent.

    Returns
    -------
    numpy.ndarray
        Float productive agents; a value within :data:`WHOLE_AGENT_TOLERANCE` of a whole number is that number.
    """
    productive = np.asarray(scheduled, dtype=float) * (1.0 - np.asarray(shrinkage_percent, dtype=float) / 100.0)
    whole = np.round(productive)
    return np.where(np.abs(productive - whole) <= WHOLE_AGENT_TOLERANCE, whole, productive)


def whole_agents_around(productive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The whole agent counts either side of fractional productive agents ``p``, and the weight of the upper one.

    Parameters
    ----------
    productive : numpy.ndarray
        Productive agents ``p`` (not negative, finite).

    Returns
    -------
    tuple of numpy.ndarray
        ``(fewer, more, weight)``: ``⌊p⌋`` and ``⌈p⌉`` (int64; both ``p`` when it is whole within
        :data:`WHOLE_AGENT_TOLERANCE`) and ``p − ⌊p⌋`` (0 when ``p`` is whole).
    """
    p = np.asarray(productive, dtype=float)
    fewer = np.floor(p + WHOLE_AGENT_TOLERANCE)
    more = np.ceil(p - WHOLE_AGENT_TOLERANCE)
    weight = np.where(more > fewer, p - fewer, 0.0)
    return fewer.astype(np.int64), more.astype(np.int64), weight


def service_at_productive(frame: pd.DataFrame, specs: Mapping[tuple[str, str], QueueStaffingSpec],
                          interval_minutes: int, productive: np.ndarray) -> pd.DataFrame:
    """The expected service level, ASA and abandonment at fractional productive agents (see the module docstring).

    Live queues: the figures at ``⌊p⌋`` and ``⌈p⌉`` agents (:func:`whole_agents_around`), interpolated with weight
    ``p − ⌊p⌋`` on ``⌈p⌉`` (an infinite ASA at either count is an infinite ASA). Deferred queues: the backlog's
    fluid model at a capacity of ``p`` agents. :func:`~forecasting.staffing.evaluate_staffing` takes whole agents,
    and every figure of that model depends on the work and the capacity only through their ratio, so ``p`` agents
    are given as ``round(p × 2**40)`` agents with ``2**40`` times the handle time (a power of two: whole agents give
    the unscaled figures to the last bit, and ``p`` is rounded by at most a two-trillionth of an agent, never below a
    whole number it is at least).

    Parameters
    ----------
    frame : pandas.DataFrame
        As :func:`~forecasting.staffing.evaluate_staffing` takes it (``interval_start``, ``language``, ``channel``,
        ``contacts``, ``aht_seconds``, optional ``is_open``); each deferred queue with all its intervals.
    specs : mapping
        Staffing parameters per ``(language, channel)``.
    interval_minutes : int
        The grid.
    productive : numpy.ndarray
        Productive agents ``p`` per row of ``frame`` (:func:`productive_agents`).

    Returns
    -------
    pandas.DataFrame
        :data:`SERVICE_COLUMNS` on ``frame``'s index: fractions, seconds (``inf`` where a contact may wait without
        end) and fractions; abandonment is 0 where it is not modelled (Erlang C, deferred), ASA NaN on deferred
        queues.
    """
    agents_column = "_productive_agents"
    p = np.asarray(productive, dtype=float)
    live = np.array([specs[key].is_live for key in zip(frame["language"], frame["channel"], strict=True)],
                    dtype=bool)
    values = {column: np.full(len(frame), np.nan) for column in SERVICE_COLUMNS}
    if live.any():
        rows = frame[live]
        fewer, more, weight = whole_agents_around(p[live])
        at_fewer = evaluate_staffing(rows.assign(**{agents_column: fewer}), specs, interval_minutes,
                                     agents_column=agents_column)
        between = weight > 0
        at_more = evaluate_staffing(rows[between].assign(**{agents_column: more[between]}), specs, interval_minutes,
                                    agents_column=agents_column) if between.any() else None
        for column in SERVICE_COLUMNS:
            mixed = at_fewer[column].to_numpy(dtype=float).copy()
            if at_more is not None:
                w = weight[between]  # in (0, 1): an infinite ASA at ⌊p⌋ stays infinite
                mixed[between] = (1.0 - w) * mixed[between] + w * at_more[column].to_numpy(dtype=float)
            values[column][live] = mixed
    if (~live).any():
        rows = frame[~live]
        scaled = rows.assign(**{agents_column: np.round(p[~live] * _CAPACITY_SCALE),
                                "aht_seconds": rows["aht_seconds"].to_numpy(dtype=float) * _CAPACITY_SCALE})
        at_p = evaluate_staffing(scaled, specs, interval_minutes, agents_column=agents_column)
        for column in SERVICE_COLUMNS:
            values[column][~live] = at_p[column].to_numpy(dtype=float)
    return pd.DataFrame(values, index=frame.index)


@dataclass(frozen=True)
class RosterReport:
    """A solved roster with everything its outputs show.

    Attributes
    ----------
    segments : pandas.DataFrame
        One row per shift segment and time off (:data:`outputs.roster_frame.COLUMNS`).
    agents : pandas.DataFrame
        Every agent of the plan, scheduled or not (:data:`AGENT_COLUMNS`); ``paid_minutes`` over the
        horizon, weekend and night shifts for the fairness figures.
    coverage : pandas.DataFrame
        Per queue and interval (:data:`COVERAGE_COLUMNS`), queues in plan order then time: agents
        required and scheduled, under and over, forecast contacts and handle time, the productive agents
        (``scheduled × (1 − shrinkage)``, a fraction; whole numbers in a result saved before they were) and the
        expected service level (fraction), ASA (seconds) and abandonment (fraction) at them (module docstring; NaN
        when the requirements came without a forecast).
    templates : pandas.DataFrame
        Shift templates (:data:`TEMPLATE_COLUMNS`), the grid's shift families.
    facts : dict
        The plan's horizon (``plan_name``, ``first_day``, ``weeks``, ``time_zone``,
        ``interval_minutes``) and the solve (``status``, ``objective``, ``lower_bound``, ``lp_bound``,
        ``solver_bound``, ``gap``, ``runtime_seconds``, ``seed``, ``workers``, ``time_limit_seconds``,
        ``terms`` in plan units, ``penalties`` as ``[rule, subject, amount]``, ``explanation``: how the roster was
        found and which bound is reported, or why there is none, in words), ``unscheduled``: each named agent
        without a shift and why (:data:`outputs.left_out.UNSCHEDULED_COLUMNS`), ``unreachable``: per queue the
        required agent-hours no shift reaches, and when (:data:`outputs.left_out.UNREACHED_COLUMNS`), and with open
        positions ``unhired``: per profile the heads not hired and why (:data:`outputs.left_out.UNHIRED_COLUMNS`),
        and ``profile_queues``: per profile the queues its heads serve (:func:`outputs.left_out.profile_queue_facts`);
        for a re-plan ``replan``, its cut (:func:`outputs.replan_cut.cut_facts`), and ``changes``, the agent-days it
        changed (:func:`outputs.changes.roster_changes`); ``requirements_notes``, the lines the solve printed while
        making the requirements (the events a forecast applied); ``overtime_allowed``, the run's ``[rules]
        overtime_hours_per_week`` and ``overtime_days_per_week`` when either is above 0; a result saved before these
        were written has none of them.
    manifest : dict
        Versions, input hashes and timestamps (see :mod:`outputs.manifest`).
    roster : list of dict
        The raw assignments (agent id, day, option, breaks, queues), for reloading.
    """

    segments: pd.DataFrame
    agents: pd.DataFrame
    coverage: pd.DataFrame
    templates: pd.DataFrame
    facts: dict[str, object]
    manifest: dict[str, object] = field(default_factory=dict)
    roster: list[dict[str, object]] = field(default_factory=list)

    @property
    def first_day(self) -> dt.date:
        """First local day of the horizon."""
        return dt.date.fromisoformat(str(self.facts["first_day"]))

    @property
    def days(self) -> list[dt.date]:
        """Local days of the horizon."""
        return [self.first_day + dt.timedelta(days=d) for d in range(7 * int(self.facts["weeks"]))]

    def shift_starts_utc(self) -> dict[str, list[tuple[pd.Timestamp, bool]]]:
        """Employee id -> the naive UTC start of each of the roster's shifts (:attr:`roster`), in time order, and
        whether it is the worked part of a kept shift cut short (its record's whole shift, ``cut_from``, is longer).

        A shift's start is that of its first interval; a late arrival's first work segment starts later.
        """
        horizon = Horizon(self.first_day, int(self.facts["weeks"]), str(self.facts["time_zone"]),
                          int(self.facts["interval_minutes"]))
        start = horizon.start_utc.tz_localize(None)
        step = pd.Timedelta(minutes=horizon.interval_minutes)
        starts: dict[str, list[tuple[pd.Timestamp, bool]]] = {}
        for record in self.roster:
            whole = record.get("cut_from")
            cut = isinstance(whole, dict) and whole.get("length") != record["length"]
            starts.setdefault(str(record["employee_id"]), []).append(
                (start + int(record["start_interval"]) * step, cut))
        return {employee: sorted(times) for employee, times in starts.items()}

    def shift_start_times(self) -> dict[str, list[pd.Timestamp]]:
        """Employee id -> the naive UTC start of each of the roster's shifts, in time order (empty for a report
        without raw assignments): what :func:`outputs.roster_frame.shift_numbers` tells shifts apart by."""
        if not self.roster:
            return {}
        return {employee: [start for start, _ in starts] for employee, starts in self.shift_starts_utc().items()}


def solve_facts(plan: Plan, result: Result, *, time_limit_seconds: float) -> dict[str, object]:
    """The horizon and the solver's figures, as plain JSON-ready values."""
    terms = {} if result.terms is None else {name: value / OBJECTIVE_UNIT for name, value in vars(result.terms).items()}
    horizon = plan.horizon
    return {
        "plan_name": plan.config.plan.name, "first_day": horizon.first_day.isoformat(), "weeks": horizon.weeks,
        "time_zone": horizon.time_zone, "interval_minutes": horizon.interval_minutes,
        "status": result.status, "objective": result.objective, "lower_bound": result.lower_bound,
        "lp_bound": result.lp_bound, "solver_bound": result.solver_bound, "gap": result.gap,
        "runtime_seconds": result.runtime_seconds, "seed": result.seed, "workers": result.workers,
        "time_limit_seconds": time_limit_seconds, "num_agents": result.num_agents,
        "num_agents_used": result.num_agents_used, "terms": terms,
        "penalties": [[rule, subject, int(amount)] for rule, subject, amount in result.penalties],
        "hires": [[profile, hired, allowed] for profile, hired, allowed in result.hires],
        "explanation": list(result.explanation),
    }


def result_from_facts(facts: Mapping[str, object]) -> Result:
    """A :class:`~scheduler.result.Result` without roster rebuilt from saved facts (for its ``summary()``)."""
    terms = dict(facts.get("terms") or {})
    return Result(
        status=str(facts["status"]), objective=facts["objective"], lower_bound=float(facts["lower_bound"]),
        lp_bound=facts["lp_bound"], solver_bound=facts["solver_bound"],
        runtime_seconds=float(facts["runtime_seconds"]),
        terms=ObjectiveTerms(**{k: round(v * OBJECTIVE_UNIT) for k, v in terms.items()}) if terms else None,
        penalties=[tuple(p) for p in facts.get("penalties", [])], num_agents_used=int(facts["num_agents_used"]),
        num_agents=int(facts["num_agents"]), seed=int(facts["seed"]), workers=int(facts["workers"]),
        hires=tuple((str(p), int(h), int(m)) for p, h, m in facts.get("hires", [])),
        explanation=[str(line) for line in facts.get("explanation", [])])


def agents_frame(plan: Plan, problem: ProblemData, result: Result) -> pd.DataFrame:
    """Every agent with shifts, paid minutes, weekend and night shifts (:data:`AGENT_COLUMNS`)."""
    per_agent = result.roster.by_agent() if result.roster is not None else {}
    index = {agent.employee_id: a for a, agent in enumerate(problem.agents)}
    rows = []
    heads = open_position_agents(plan)
    for agent in (*plan.agents, *(head for _, head in heads.values())):
        a = index.get(agent.employee_id)
        options = [problem.agents[a].options[i.option] for i in per_agent.get(a, [])] if a is not None else []
        if agent.employee_id in heads and not options:
            continue  # an open position nobody was hired for is not an agent of the roster
        rows.append({
            "employee_id": agent.employee_id, "name": agent.name, "site": agent.site, "time_zone": agent.time_zone,
            "contract": agent.contract, "scheduled": bool(options), "shifts": len(options),
            "paid_minutes": sum(o.paid_minutes for o in options),
            "weekend_shifts": sum(o.is_weekend for o in options),
            "night_shifts": sum(problem.templates[o.template].is_night for o in options if o.template >= 0)})
    return pd.DataFrame(rows, columns=list(AGENT_COLUMNS))


def coverage_frame(plan: Plan, problem: ProblemData, scheduled: np.ndarray, requirements: pd.DataFrame,
                   specs: Mapping[tuple[str, str], QueueStaffingSpec]) -> pd.DataFrame:
    """Required vs scheduled agents and the expected service per queue and interval.

    Parameters
    ----------
    plan : Plan
        The plan (horizon, queues).
    problem : ProblemData
        The problem (its ``demand`` is the requirement the solver saw).
    scheduled : numpy.ndarray
        Agents serving each queue in each interval, ``(num_queues, num_intervals)``.
    requirements : pandas.DataFrame
        ``start``, ``language``, ``channel`` and, when made from a forecast or a requirements file that has them,
        ``contacts`` (NaN where a file's cell is blank: that queue's service is NaN) and ``aht_seconds`` (NaN or
        absent: the queue's); without ``contacts`` the expected service is NaN.
    specs : mapping
        Staffing parameters per ``(language, channel)``.

    Returns
    -------
    pandas.DataFrame
        :data:`COVERAGE_COLUMNS`, one row per queue and interval, queues in plan order then time; ``productive``
        is fractional (:func:`productive_agents`), the service is at it (:func:`service_at_productive`).
    """
    horizon = plan.horizon
    starts = horizon.intervals_utc
    local = starts.tz_convert(horizon.time_zone)
    n = len(starts)
    parts = []
    for q, queue in enumerate(plan.queues):
        parts.append(pd.DataFrame({
            "queue": queue.name, "language": queue.language, "channel": queue.channel, "kind": queue.kind,
            "date": local.date, "start_local": local.tz_localize(None), "start_utc": starts.tz_localize(None),
            "interval_start": starts, "required": problem.demand[q, :n].astype(np.int64),
            "scheduled": scheduled[q, :n].astype(np.int64),
            "shrinkage_percent": shrinkage_percent_by_interval(queue, starts, horizon.time_zone)}))
    frame = pd.concat(parts, ignore_index=True)
    frame["under"] = (frame["required"] - frame["scheduled"]).clip(lower=0)
    frame["over"] = (frame["scheduled"] - frame["required"]).clip(lower=0)
    if "contacts" in requirements.columns:
        extra = [c for c in ("contacts", "aht_seconds") if c in requirements.columns]
        given = requirements[["start", "language", "channel", *extra]].rename(columns={"start": "interval_start"})
        frame = frame.merge(given, on=["interval_start", "language", "channel"], how="left", indicator=True)
        # a queue with a row whose contacts are unknown (a blank cell of a requirements file) gets no service: its
        # deferred backlog runs through every interval; an interval without a row has no contacts
        unknown = (frame["contacts"].isna() & (frame.pop("_merge") == "both")).groupby(frame["queue"]).transform("any")
        frame["contacts"] = frame["contacts"].fillna(0.0)
        default_aht = {q.name: q.aht_seconds for q in plan.queues}
        if "aht_seconds" not in frame.columns:
            frame["aht_seconds"] = np.nan
        frame["aht_seconds"] = frame["aht_seconds"].fillna(frame["queue"].map(default_aht))
        frame["is_open"] = np.concatenate([open_mask(queue, starts, horizon.time_zone) for queue in plan.queues])
        frame["productive"] = productive_agents(frame["scheduled"].to_numpy(), frame["shrinkage_percent"].to_numpy())
        evaluated = service_at_productive(frame, specs, horizon.interval_minutes, frame["productive"].to_numpy())
        for column in SERVICE_COLUMNS:
            frame[column] = evaluated[column].where(~unknown.to_numpy()).to_numpy()
        frame.loc[unknown.to_numpy(), ["contacts", "productive"]] = np.nan
        # abandonment is modelled only where a queue has a patience (Erlang A): elsewhere it is not known, not 0
        # (the horizon's 'expected abandonment' of the example averaged its phone queues' 25.6% with chat, e-mail
        # and social contacts at 0: 2.25%)
        modelled = {queue.name for queue in plan.queues if specs[queue.key].patience_seconds is not None}
        frame.loc[~frame["queue"].isin(modelled), "abandon_rate"] = np.nan
    else:
        frame["contacts"] = np.nan
        frame["aht_seconds"] = np.nan
        frame["productive"] = np.nan
        for column in ("service_level", "asa_seconds", "abandon_rate"):
            frame[column] = np.nan
    frame["asa_seconds"] = frame["asa_seconds"].replace([np.inf, -np.inf], np.nan)
    return frame[list(COVERAGE_COLUMNS)]


def templates_frame(problem: ProblemData) -> pd.DataFrame:
    """Shift templates and their grid codes (:data:`TEMPLATE_COLUMNS`), plus ``pinned``."""
    # a kept shift cut short or with time away has a template of its own, named as its whole shift's (or as pinned
    # shifts are): one row per name
    rows: list[dict[str, object]] = []
    for t in problem.templates:
        if t.name != PINNED_TEMPLATE and all(row["template"] != t.name for row in rows):
            rows.append({"template": t.name, "code": t.code, "is_night": t.is_night})
    rows.append({"template": PINNED_TEMPLATE, "code": PINNED_CODE, "is_night": False})
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))


def roster_records(problem: ProblemData, result: Result, plan: Plan | None = None) -> list[dict[str, object]]:
    """The raw assignments as JSON-ready records (agent by employee id).

    A kept shift cut short (``plan``'s pins) also records the whole shift it was cut from (``cut_from``: its end,
    template, length, day and published break offsets), so a later re-plan that keeps this roster keeps it as the
    worked part of that shift.
    """
    if result.roster is None:
        return []
    cuts = _cut_records(plan) if plan is not None else {}
    records = []
    for item in result.roster.assignments:
        agent = problem.agents[item.agent]
        option = agent.options[item.option]
        record = {"employee_id": agent.employee_id, "day": option.day, "option": item.option,
                  "start_interval": option.start, "length": option.length,
                  "break_offsets": list(item.break_offsets), "queues": list(item.queues)}
        whole = cuts.get((agent.employee_id, option.start, option.length))
        if whole is not None:
            record["cut_from"] = {**whole, "break_offsets": _whole_break_offsets(problem, whole, option.template,
                                                                                 item.break_offsets)}
        records.append(record)
    return records


def _whole_break_offsets(problem: ProblemData, whole: dict[str, object], part: int,
                         offsets: tuple[int, ...]) -> list[int] | None:
    """The break times of a worked part's whole shift as this roster has them: the part's breaks (``offsets``, of
    the part's template ``part``) where it has them, the whole shift's published ones (``whole``) for the rest (not
    taken: after the cut); each where its window allows when neither gives it. None when they do not fit the whole
    shift's template, as its published ones then (a part outside every template)."""
    published = whole["break_offsets"]
    if part < 0 or problem.templates[part].name == PINNED_TEMPLATE:
        return published
    worked = problem.templates[part]
    template = next(t for t in problem.templates if t.name == worked.name)  # the plan's, before any worked part's
    times = list(published) if published is not None and len(published) == len(template.breaks) else [
        max(spec.offsets) for spec in template.breaks]
    for r, offset in zip(worked.whole_breaks, offsets[:len(worked.whole_breaks)], strict=True):
        times[r] = offset
    return times if breaks_fit(tuple(times), template.breaks, int(whole["length"])) else published


def _cut_records(plan: Plan) -> dict[tuple[str, int, int], dict[str, object]]:
    """(employee id, first interval, length) of each kept shift cut short -> the whole shift's record."""
    horizon = plan.horizon
    cuts: dict[tuple[str, int, int], dict[str, object]] = {}
    for pin in plan.pinned:
        whole = pin.cut_from
        if whole is None or pin.start_utc is None:
            continue
        start, part_length = horizon.grid_span(pin.start_utc, pin.end_utc)
        day = (pin.day - horizon.first_day).days
        _, length = horizon.grid_span(whole.start_utc, whole.end_utc)
        offsets = plan.whole_shift_breaks((pin.employee_id, day, start, length))
        cuts[pin.employee_id, start, part_length] = {
            "end_utc": whole.end_utc.isoformat(), "template": whole.template, "length": length, "day": day,
            "break_offsets": None if offsets is None else list(offsets)}
    return cuts


def build_report(plan: Plan, problem: ProblemData, result: Result, requirements: pd.DataFrame,
                 specs: Mapping[tuple[str, str], QueueStaffingSpec], *, time_limit_seconds: float,
                 manifest: dict[str, object] | None = None,
                 requirements_notes: Sequence[str] = ()) -> RosterReport:
    """Collect a solve into a :class:`RosterReport`.

    Parameters
    ----------
    plan, problem, result : Plan, ProblemData, Result
        The plan, the problem and the solve's result (which must hold a roster).
    requirements : pandas.DataFrame
        The requirements the problem was built from (with ``contacts`` and ``aht_seconds`` when made
        from a forecast).
    specs : mapping
        Staffing parameters per ``(language, channel)`` for the expected service.
    time_limit_seconds : float
        The solve's time limit, for the record.
    manifest : dict, optional
        The run manifest (:func:`outputs.manifest.run_manifest`).
    requirements_notes : sequence of str
        The lines ``solve`` printed while making the requirements (the events a forecast applied, its closed hours,
        warnings, where the requirements came from), for the workbook's Summary: ``facts["requirements_notes"]``
        when there are any.

    Returns
    -------
    RosterReport
        The report.
    """
    if result.roster is None:
        raise ValueError(f"the solve ended {result.status} without a roster")
    scheduled = result.coverage if result.coverage is not None else result.roster.coverage(problem)
    facts = solve_facts(plan, result, time_limit_seconds=time_limit_seconds)
    if plan.kept is not None:
        facts["replan"] = cut_facts(plan)
        facts["changes"] = roster_changes(plan, problem, result)
    if requirements_notes:
        facts["requirements_notes"] = [str(line) for line in requirements_notes]
    rules = plan.config.rules
    if rules.overtime_hours_per_week or rules.overtime_days_per_week:
        facts["overtime_allowed"] = [rules.overtime_hours_per_week, rules.overtime_days_per_week]
    facts["unscheduled"] = unscheduled_facts(plan, problem, result)
    facts["unreachable"] = unreachable_facts(plan, problem)
    if result.hires:
        facts["unhired"] = unhired_facts(problem, result, plan)
    if plan.config.open_positions:
        facts["profile_queues"] = profile_queue_facts(plan)
    return RosterReport(
        segments=roster_segments(plan, problem, result.roster), agents=agents_frame(plan, problem, result),
        coverage=coverage_frame(plan, problem, scheduled, requirements, specs), templates=templates_frame(problem),
        facts=facts, manifest=manifest or {}, roster=roster_records(problem, result, plan))
