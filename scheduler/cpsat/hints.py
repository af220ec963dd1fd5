"""Hints for CP-SAT: start the search from a complete, feasible solution."""

from __future__ import annotations

import numpy as np

from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.model import ModelVars, small_team_threshold
from scheduler.heuristic import greedy_counts
from scheduler.problem import ProblemData


def add_hints(problem: ProblemData, backend: CpSatBackend, mv: ModelVars, chosen: dict[int, list[int]],
              offsets: dict[tuple[int, int], list[int]] | None = None) -> None:
    """Hint the search: the agents' own hints (an earlier roster) where given, the greedy roster elsewhere.

    The hint is complete (shifts, break and queue counts, under- and over-staffing), so CP-SAT
    starts from a whole solution instead of having to complete one; it is feasible when it comes
    from the greedy alone, and CP-SAT repairs it when an earlier roster breaks a rule of this one.
    """
    picks_of: dict[int, set[int]] = {}
    for a, agent in enumerate(problem.agents):
        if agent.hint:
            picks_of[a] = set(agent.hint.values()) | {o for o in agent.pinned.values() if o >= 0}
        else:
            picks_of[a] = set(chosen.get(a, []))
    chosen = {a: sorted(picks) for a, picks in picks_of.items() if picks}
    for a, agent in enumerate(problem.agents):
        picks = picks_of[a]
        if a in mv.used:
            backend.model.add_hint(mv.used[a], bool(picks))
        for o in range(len(agent.options)):
            backend.model.add_hint(mv.x[a, o], o in picks)
    if not chosen:
        return
    known = offsets is not None and all((a, o) in offsets for a, picks in chosen.items() for o in picks)
    breaks, queues = greedy_counts(problem, chosen, offsets=offsets if known else None)
    for key, var in mv.brk.items():
        backend.model.add_hint(var, breaks.get(key, 0))
    coverage = np.zeros((problem.num_queues, problem.num_intervals), dtype=np.int64)
    for key, var in mv.z.items():
        value = queues.get(key, 0)
        backend.model.add_hint(var, value)
        coverage[key[1], key[2]] += value
    for (q, t), var in mv.under.items():
        backend.model.add_hint(var, max(0, int(problem.demand[q, t] - coverage[q, t])))
    for (q, t), var in mv.dark.items():
        backend.model.add_hint(var, int(coverage[q, t] <= 0))
    for (q, t), var in mv.over.items():
        backend.model.add_hint(var, max(0, int(coverage[q, t] - problem.demand[q, t])))
    on_shift = np.zeros((len(problem.groups), problem.num_intervals), dtype=np.int64)
    weekends: list[int] = [0]
    nights: list[int] = [0]
    for a, picks in chosen.items():
        agent = problem.agents[a]
        options = [agent.options[o] for o in picks]
        for option in options:
            on_shift[agent.group, max(option.start, 0):min(option.end, problem.num_intervals)] += 1
        for week, target in enumerate(agent.target_week_minutes):
            if (a, week) in mv.deviation:
                worked = sum(o.paid_minutes for o in options if week * 7 <= o.day < week * 7 + 7)
                backend.model.add_hint(mv.deviation[a, week], max(0, target - worked))
        for week in range(len(agent.overtime_from_minutes)):
            if (a, week) in mv.overtime:
                worked = sum(o.paid_minutes for o in options if week * 7 <= o.day < week * 7 + 7)
                backend.model.add_hint(mv.overtime[a, week], agent.overtime_minutes(week, worked))
        weekends.append(sum(o.is_weekend for o in options))
        nights.append(sum(problem.templates[o.template].is_night for o in options if o.template >= 0))
    for (g, t), var in mv.several.items():
        backend.model.add_hint(var, int(on_shift[g, t] >= small_team_threshold(problem, g, t)))
    for name, var in mv.most.items():
        backend.model.add_hint(var, max(weekends) if name == "max_weekend" else max(nights))
