"""shiftplan inputs: the typed vocabulary of a plan and the validating door into it.

The only entry most code needs is :func:`load_plan`, which returns a validated :class:`Plan`
or raises :class:`PlanError` with every problem found.
"""

from inputs.config import LabourRules, PlanConfig, Queue, ShiftTemplate
from inputs.plan_loader import load_plan
from inputs.problems import PlanError, Problem
from inputs.records import Agent, Event, History, Horizon, PinnedShift, Plan, Requirements, TimeOff

__all__ = [
    "Agent", "Event", "History", "Horizon", "LabourRules", "PinnedShift", "Plan", "PlanConfig", "PlanError",
    "Problem", "Queue", "Requirements", "ShiftTemplate", "TimeOff", "load_plan",
]
