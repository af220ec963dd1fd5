"""Plain-text summaries printed by the CLI (pure functions of records; no I/O)."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from inputs.config import LIVE_KINDS
from inputs.cross_checks import pin_is_ignored
from inputs.records import KeptRoster, Plan
from outputs.left_out import shortfall_lines, under_hours_by_queue

if TYPE_CHECKING:
    from outputs.report import RosterReport
    from outputs.write import WrittenFiles


def describe_target(queue_kind: str, percent: float | None, seconds: float | None, asa: float | None,
                    abandon: float | None) -> str:
    """Return a target in words, e.g. ``80% in 20 s`` or ``95% in 24 h``."""
    parts: list[str] = []
    if percent is not None and seconds is not None:
        parts.append(f"{percent:g}% in {format_duration(seconds)}")
    if asa is not None:
        parts.append(f"ASA {format_duration(asa)}")
    if abandon is not None:
        parts.append(f"abandon <= {abandon:g}%")
    return ", ".join(parts) or "-"


def format_duration(seconds: float) -> str:
    """Format seconds as ``20 s``, ``5 min`` or ``24 h``."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def plan_summary(plan: Plan) -> str:
    """Return the short summary ``shiftplan validate`` prints for a valid plan.

    Parameters
    ----------
    plan : Plan
        A validated plan.

    Returns
    -------
    str
        Horizon, queues with their targets, agents per site and per skill, history span,
        events and time off. With ``[[open_positions]]``, the queue table's ``open`` column gives the heads that may
        be hired for each queue (the max_heads of the profiles that serve it), and a line lists the profiles.
    """
    cfg = plan.config
    horizon = plan.horizon
    lines = [
        f"Plan '{cfg.plan.name}' is valid.",
        f"Horizon: {horizon.first_day} for {horizon.weeks} week{'s' if horizon.weeks > 1 else ''} "
        f"({horizon.time_zone}), {horizon.interval_minutes}-minute intervals, {horizon.num_intervals:,} intervals.",
    ]
    kinds = Counter(q.kind for q in plan.queues)
    lines.append(f"Queues: {len(plan.queues)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
                 f"{len({q.language for q in plan.queues})} languages.")
    skill_count = Counter(skill for agent in plan.agents for skill in agent.skills(plan.queues))
    positions = cfg.open_positions
    served = {position.profile: [q for q in plan.queues if q.language in position.languages
                                 and q.channel in position.channels] for position in positions}
    heads = Counter({q.key: 0 for q in plan.queues})
    for position in positions:
        heads.update({q.key: position.max_heads for q in served[position.profile]})
    open_header = f" {'open':>5}" if positions else ""
    lines.append(f"  {'queue':<12} {'kind':<7} {'target (model)':<38} {'agents':>6}{open_header}  shrinkage")
    for q in plan.queues:
        target = describe_target(q.kind, q.service_level_percent, q.answer_within_seconds, q.asa_seconds,
                                 q.max_abandon_percent)
        model = (" Erlang A" if q.patience_seconds else " Erlang C") if q.kind in LIVE_KINDS else ""
        windows = len(q.shrinkage_windows)
        shrinkage = f"{q.shrinkage_percent:g}%" + (f", {windows} window{'s' * (windows != 1)}" if windows else "")
        open_heads = f" {heads[q.key]:>5}" if positions else ""
        lines.append(f"  {q.name:<12} {q.kind:<7} {target + model:<38} {skill_count[q.key]:>6}{open_heads}  "
                     f"{shrinkage}")
    sites = Counter(agent.site for agent in plan.agents)
    lines.append(f"Agents: {len(plan.agents)} at {len(sites)} site{'s' if len(sites) != 1 else ''} "
                 f"({', '.join(f'{site} {n}' for site, n in sorted(sites.items()))}); "
                 f"{len({a.skills(plan.queues) for a in plan.agents})} distinct skill sets.")
    if positions:
        total = sum(position.max_heads for position in positions)
        listed = "; ".join(f"'{position.profile}' up to {position.max_heads} "
                           f"({', '.join(q.name for q in served[position.profile])})" for position in positions)
        lines.append(f"Open positions: {len(positions)} profile{'s' if len(positions) != 1 else ''}, up to {total} "
                     f"head{'s' if total != 1 else ''} to hire: {listed}.")
    if plan.history is not None:
        history = plan.history
        total = history.frame["contacts"].sum()
        zone = plan.horizon.time_zone  # first and last day on the plan's clock, both included
        first, last = (history.start_utc.tz_convert(zone),
                       (history.end_utc - pd.Timedelta(microseconds=1)).tz_convert(zone))
        lines.append(f"History: {first:%Y-%m-%d} to {last:%Y-%m-%d} "
                     f"({(history.end_utc - history.start_utc).days} days, {history.interval_minutes}-minute "
                     f"intervals, {total:,.0f} contacts, {history.frame.groupby(['language', 'channel']).ngroups} "
                     "queues).")
    if plan.requirements is not None:
        rows = len(plan.requirements.frame)
        lines.append(f"Requirements: {rows:,} row{'' if rows == 1 else 's'} from the requirements file.")
    ignored = sum(pin_is_ignored(pin, plan.horizon) for pin in plan.pinned)
    pinned = f"{len(plan.pinned) - ignored}" + (f" ({ignored} not planned, see the warnings)" if ignored else "")
    lines.append(f"Events: {len(plan.events)}; time off: {len(plan.time_off)} absences; "
                 f"pinned shifts and days off: {pinned}.")
    if plan.warnings:
        lines.append(f"{len(plan.warnings)} warning{'s' if len(plan.warnings) != 1 else ''}:")
    return "\n".join(lines)


def roster_summary(report: RosterReport) -> str:
    """Return the fixed-width roster summary ``solve`` and ``export`` print after ``Result.summary()``.

    Parameters
    ----------
    report : outputs.report.RosterReport
        The roster and its figures.

    Returns
    -------
    str
        Headcount, paid hours (the named agents' and the hires' apart when open positions are allowed, as on the
        Summary sheet; the overtime among them, when allowed or worked), coverage and the expected service per queue
        over the horizon (:func:`outputs.sheets.service_by_queue`: a queue some of whose contacts get no answer has
        no ASA, ``-``, beside the share of its contacts that get none, ``no ans %``). A re-plan whose cut the report
        records (:func:`outputs.replan_cut.report_cut`) gives its coverage, the team verdict and the per-queue figures
        from the cut on, what it could still change, and the whole plan's coverage in one line beside them, with the
        agent-hours under-staffed before the cut (kept as worked).
    """
    from outputs.replan_cut import from_cut, report_cut
    from outputs.sheets import kpi_frame, paid_hours_split, service_by_queue

    kpis = kpi_frame(report)
    value = {row.figure: row.value for row in kpis.itertuples(index=False)}
    cut = report_cut(report.facts)
    since = "" if cut is None else ", from the cut"

    def num(figure: str, digits: int = 1) -> str:
        item = value.get(figure)
        return "-" if item is None or (isinstance(item, float) and item != item) else f"{item:,.{digits}f}"

    def coverage(suffix: str) -> str:
        return (f"{num('coverage (required agent-intervals met)' + suffix)}% of required agent-intervals; under "
                f"{num('under-staffed' + suffix)} agent-h, over {num('over-staffed' + suffix)} agent-h")

    split = paid_hours_split(report)  # with open positions allowed, the named and the hired apart, as on the Summary
    lines = [
        f"{'roster':<14}{value['agents scheduled']} of {value['agents in the plan']} agents, "
        f"{value['shifts']:,} shifts, {num('paid hours')} paid hours"
        + ("" if split is None else f" ({split[0]:,.1f} named, {split[1]:,.1f} hired)"),
        f"{'coverage':<14}{coverage(since)}" if cut is None else
        f"{'coverage':<14}{cut.heading} on, what the re-plan could still change: {coverage(since)}",
    ]
    if cut is not None:  # the whole plan's, secondary: the days before the cut are worked or under way
        lines.append(f"  whole plan, the days before the cut included: {coverage('')} (under "
                     f"{num('under-staffed before the cut')} agent-h before the cut, kept as worked)")
    overtime = kpis[(kpis["section"] == "roster") & (kpis["figure"] == "overtime")]
    if len(overtime):  # allowed for this run, or worked: the hours payroll pays at a premium, and by how many
        lines.append(f"{'overtime':<14}{overtime['value'].iloc[0]:,.1f} {overtime['unit'].iloc[0]}")
    coverage_rows = report.coverage if cut is None else from_cut(report.coverage, cut)
    lines += shortfall_lines(report.facts, under_hours=float(value["under-staffed" + since]),
                             all_scheduled=value["agents scheduled"] == value["agents in the plan"],
                             under_by_queue=under_hours_by_queue(coverage_rows, int(report.facts["interval_minutes"])))
    if cut is not None:
        lines.append(f"  per queue {cut.heading} on:")
    lines.append(f"  {'queue':<12}{'required h':>11}{'scheduled h':>12}{'under h':>9}{'SL %':>7}{'ASA s':>7}"
                 f"{'aband %':>8}{'no ans %':>9}")

    def cell(number: float, width: int) -> str:
        return f"{'-' if number != number else f'{number:.1f}':>{width}}"

    queues = service_by_queue(report, None if cut is None else coverage_rows)
    for row in queues.itertuples(index=False):
        # hours to the tenth: a 30- or 15-minute grid gives half and quarter hours, which whole hours would round
        # to even (1,480.5 -> 1,480) and leave a row looking an hour off its sheet
        lines.append(f"  {row.queue:<12}{row.required_hours:>11,.1f}{row.scheduled_hours:>12,.1f}"
                     f"{row.under_hours:>9,.1f}{cell(row.service_level_percent, 7)}{cell(row.asa_seconds, 7)}"
                     f"{cell(row.abandon_percent, 8)}{cell(row.no_answer_percent, 9)}")
    if (queues["no_answer_percent"] > 0).any():
        lines += ["  no ans %: contacts of a phone or chat queue that get no answer (no productive agent, or too few",
                  "  for the load); with any, ASA s is '-': an average answer time would leave them out"]
    return "\n".join(lines)


def files_summary(files: WrittenFiles) -> str:
    """Return where the roster files went, one per line."""
    lines = [f"{'workbook':<14}{files.workbook} ({files.segments:,} segments)", f"{'HR CSV':<14}{files.csv}",
             f"{'shifts CSV':<14}{files.shifts} (a later plan's [files] roster or hint_roster)",
             f"{'calendars':<14}{files.calendars}{os.sep}"]
    if files.result is not None:
        lines.append(f"{'result':<14}{files.result} (for 'shiftplan export')")
    return "\n".join(lines)


STAGE_NAMES = {"plan": "the plan", "requirements": "requirements", "model": "the model", "solve": "the solve",
               "report": "the report", "files": "the files"}


def wall_time_line(stage_seconds: dict[str, float], total_seconds: float) -> str:
    """Return the command's wall time with each stage's share, e.g.
    ``wall time     13.6 s in all: the plan 0.4 s, requirements 4.1 s, ...``.

    The solver's own runtime (and its time limit) covers the solve only; this line shows where the rest went:
    reading the plan, the forecast and staffing behind the requirements, building the model, the report and the
    files.

    Parameters
    ----------
    stage_seconds : dict of str to float
        Wall seconds per stage, keyed by the names of ``STAGE_NAMES``, in the order they ran.
    total_seconds : float
        Wall seconds of the whole command.
    """
    parts = [f"{STAGE_NAMES.get(stage, stage)} {seconds:.1f} s" for stage, seconds in stage_seconds.items()]
    return f"{'wall time':<14}{total_seconds:.1f} s in all" + (f": {', '.join(parts)}" if parts else "")


def count_of(n: int, one: str, many: str) -> str:
    """``n`` with its noun, e.g. ``1 shift`` or ``1,204 shifts``."""
    return f"{n:,} {one if n == 1 else many}"


def kept_line(kept: KeptRoster, change_weight: float) -> str:
    """What a re-plan keeps, and what a change from the published roster costs, in one line."""
    cost = (f"each agent-day that differs from its {count_of(kept.num_published, 'later row', 'later rows')} costs "
            f"{change_weight:g} ([objective] roster_changes)" if change_weight else
            "a change from its later rows costs nothing ([objective] roster_changes = 0)")
    breaks = f" (with the breaks of {kept.breaks_from.name})" if kept.breaks_from is not None else ""
    held = "dated before it" if kept.from_time is None else "dated before it or under way by then"
    cuts = []
    if kept.num_cut:
        cuts.append(f"{count_of(kept.num_cut, 'shift', 'shifts')} cut short where a time off starts during it")
    if kept.num_away:
        cuts.append(f"{count_of(kept.num_away, 'shift', 'shifts')} with time off during it that the agent came back "
                    "from, kept as time off")
    if kept.num_late:
        cuts.append(f"{count_of(kept.num_late, 'shift', 'shifts')} the agent came in late to, kept from its start "
                    "with the time off before the agent came in")
    if kept.num_not_worked:
        cuts.append(f"{count_of(kept.num_not_worked, 'shift', 'shifts')} left out as not worked, covered whole by "
                    "time off")
    if kept.num_cut_before:
        cuts.append(f"{count_of(kept.num_cut_before, 'shift', 'shifts')} cut short by an earlier re-plan")
    if cuts:
        held += f" ({'; '.join(cuts)})"
    return (f"re-planning from {kept.label}: kept {count_of(kept.num_shifts, 'shift', 'shifts')} and "
            f"{count_of(kept.num_days_off, 'day off', 'days off')} {held} from {kept.path}; its "
            f"{count_of(kept.num_hints, 'later shift starts', 'later shifts start')} the search{breaks}, and {cost}")


#: At most this many changed agent-days are named in a re-plan's summary line (the workbook's Changes sheet
#: lists them all).
CHANGES_NAMED = 12


def changes_line(changes: Iterable[Sequence[str]], num_published: int | None = None) -> str:
    """The agent-days a re-plan changed from the published roster, in one line (the agents to tell), soonest first.

    Each change is named by when it takes effect (the earlier of the published and the new shift's start,
    :func:`outputs.changes.takes_effect`, on the plan's clock), the agent and the kind of change: ``Wed 02 Dec 15:00
    E1095 added``; the first :data:`CHANGES_NAMED`, then how many more there are. Changes of a result saved before
    their starts were written are named by agent and local date, in its order.

    Parameters
    ----------
    changes : iterable of rows
        The report's ``facts["changes"]`` (:data:`outputs.changes.CHANGE_FIELDS`: employee id, name, date, ...).
    num_published : int, optional
        The published agent-days the re-plan could change (``KeptRoster.num_published``); not said when None (an
        export, which has only the result).
    """
    from outputs.changes import CHANGE_COLUMNS, TIME_OFF_CHANGES, in_time_order, takes_effect

    kind = CHANGE_COLUMNS.index("change")
    rows = in_time_order(changes)

    def name(row: Sequence[str], *, with_kind: bool) -> str:
        when = takes_effect(row)
        if when is None:  # a result saved before the starts were written: the agent's local date
            return f"{row[0]} {dt.date.fromisoformat(row[2]):%a %d %b}"
        return f"{when:%a %d %b %H:%M} {row[0]}" + (f" {row[kind]}" if with_kind else "")

    def named(items: Sequence[Sequence[str]], *, with_kind: bool) -> str:
        more = len(items) - CHANGES_NAMED
        return ", ".join(name(row, with_kind=with_kind) for row in items[:CHANGES_NAMED]) + (
            f", and {more:,} more" if more > 0 else "")

    changed = [row for row in rows if row[kind] not in TIME_OFF_CHANGES]
    ended = [row for row in rows if row[kind] in TIME_OFF_CHANGES]
    timed = any(takes_effect(row) is not None for row in rows)
    order = ", soonest first (when each takes effect, on the plan's clock)" if timed else ""
    total = "" if num_published is None else " of the " + count_of(num_published, "published agent-day",
                                                                   "published agent-days")
    sheet = " (all of them, with the published and the new shift, on the workbook's Changes sheet)"
    if not changed:
        line = f"changed none{total or ' of the published agent-days'}"
    else:
        what = total if total else f" published agent-day{'' if len(changed) == 1 else 's'}"
        line = f"changed {len(changed):,}{what}{order}: {named(changed, with_kind=True)}"
    if ended:  # kept shifts a time off ended: facts of the day, which HR needs too
        kinds = Counter(row[kind] for row in ended)
        said = " and ".join(f"{count_of(kinds[k], 'kept shift', 'kept shifts')} {k.replace(': ', ' for ')}"
                            for k in TIME_OFF_CHANGES if kinds[k])
        line += f"; {said}: {named(ended, with_kind=False)}"
    return line + (sheet if rows else "")


def forecast_models(metadata: dict[str, object]) -> str:
    """Return which model forecast each queue and how accurate it was in backtest, from a forecast's metadata.

    One line per queue: the chosen model, its backtest WAPE and bias in percent, the runner-up and its WAPE, and
    why a model was replaced (a fallback or the bias guard); then the holiday calendars the forecast used (none is
    said out loud: public holidays then move nothing unless the events file gives them).

    Parameters
    ----------
    metadata : dict
        The forecast's ``metadata.json``.

    Returns
    -------
    str
        The lines, for the forecast command's output (and the cron mail).
    """
    series = list(metadata.get("series") or [])
    method = str(metadata.get("method", "")).split(";")[0]
    lines = [f"models per queue ({method}):",
             f"  {'queue':<12}{'model':<24}{'WAPE %':>7}{'bias %':>8}  runner-up (WAPE %)"]
    for row in series:
        def percent(value: object) -> str:
            return "-" if not isinstance(value, int | float) or value != value else f"{100 * value:.1f}"
        runner = f"{row['runner_up']} ({percent(row.get('runner_up_wape'))})" if row.get("runner_up") else "-"
        notes = [str(row["fallback_reason"])] if row.get("fallback_reason") else []
        if row.get("bias_guarded"):
            notes.append(f"chosen over {row['bias_guarded']}, whose backtest bias was beyond [forecast] max_bias")
        note = "; ".join(notes)
        lines.append(f"  {row['language'] + '/' + row['channel']:<12}{row['model']:<24}{percent(row.get('wape')):>7}"
                     f"{percent(row.get('bias')):>8}  {runner}{f'  ({note})' if note else ''}")
    markets = list(metadata.get("holiday_markets") or [])
    lines.append(f"holiday calendars: {', '.join(markets)}" if markets else
                 "holiday calendars: none (the plan's time zone names no country; set [forecast] holiday_countries, "
                 'e.g. ["CN", "KR", "US"]): public holidays move the forecast only where the events file gives them')
    return "\n".join(lines)
