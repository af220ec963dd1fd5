"""The bundled example's calibration (:mod:`inputs.example_generator`): what the solve's staffing math asks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inputs.example_generator import HORIZON_START, QUEUES, VolumeModel, load_config_text, pipeline_need
from inputs.opening import open_mask


def test_with_no_contacts_the_example_asks_two_scheduled_agents_in_every_open_hour_of_a_live_queue() -> None:
    """Tests the calibration's floor against hand figures: with no contacts, a live queue asks its
    ``min_agents_open`` = 1 productive agent while open, ceil(1 / (1 - 0.3)) = 2 to schedule; e-mail and social ask
    nothing. Open hours a week: en and zh phone and en, zh and es chat 168 each; ko phone 45 (Mon-Fri 09-18), es
    phone 55 (09-20), tr and vi phone 40 (09-17); ko chat 119 (07-24), tr chat 112 (08-24), vi chat 84 (09-21).
    In all 1,335 open hours, 2,670 agent-hours a week."""
    config = load_config_text()
    hours = pd.date_range(HORIZON_START, periods=7 * 24, freq="h")
    is_open = np.column_stack([open_mask(config.queue(lang, chan), hours, config.plan.time_zone)
                               for lang, chan in QUEUES])
    quiet = VolumeModel(hours, np.zeros((len(hours), len(QUEUES))), np.full((len(hours), len(QUEUES)), 300.0),
                        is_open)
    need = pipeline_need(quiet, config)
    open_hours = {("en", "phone"): 168, ("zh", "phone"): 168, ("ko", "phone"): 45, ("es", "phone"): 55,
                  ("tr", "phone"): 40, ("vi", "phone"): 40, ("en", "chat"): 168, ("zh", "chat"): 168,
                  ("es", "chat"): 168, ("ko", "chat"): 119, ("tr", "chat"): 112, ("vi", "chat"): 84}
    assert need == pytest.approx({key: 2.0 * open_hours.get(key, 0) for key in QUEUES})
    assert sum(need.values()) == pytest.approx(2670.0)
