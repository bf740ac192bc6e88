"""wfm.simulation's multi-contact features (issue 12): chat concurrency, lines and redials,
outbound blending work, checked against wfm.queueing's models within the 95 % intervals."""
import pickle

import numpy as np
import pytest

import wfm
from wfm import simulation as sim


def stationary(**kw):
    args = dict(interval_length=200000.0, arrival_rate=np.array([120.0 / 3600.0]),
                handle_time=sim.Distribution.exponential(mean=300.0),
                patience=sim.Distribution.exponential(mean=120.0), agents=np.array([6]),
                replications=20, seed=12, threads=2, warmup=5000.0, target_times=[60.0])
    args.update(kw)
    return sim.simulate(**args)


def test_chat_agrees_with_the_chat_model():
    # The worked example of chat_concurrency.hpp: 120 chats/h, 300/420/540 s, patience 120 s.
    res = stationary(handle_time_factors=np.array([1.0, 1.4, 1.8]))
    assert res.multi_contact
    model = wfm.queueing.ChatConcurrency(arrival_rate=120.0 / 3600.0,
                                         handle_time_by_concurrency=[300.0, 420.0, 540.0],
                                         patience=120.0)
    sl = res.total.service_level[0]
    assert abs(sl.value - model.service_level(6, target_time=60.0)) <= 2 * sl.half_width
    assert sl.half_width < 0.02
    ab = res.total.abandon_rate
    assert abs(ab.value - model.abandon_probability(6)) <= 2 * ab.half_width


def test_lines_and_redials_give_the_erlang_x_columns():
    res = stationary(handle_time_factors=None, lines=8, redial_probability=0.5,
                     redial_delay=sim.Distribution.exponential(mean=1800.0),
                     arrival_rate=np.array([5.0 / 180.0]),
                     handle_time=sim.Distribution.exponential(mean=180.0), agents=np.array([5]),
                     target_times=[20.0])
    df = sim.to_frame(res)
    for name in ("blocking_rate", "effective_arrival_rate", "lost_rate",
                 "customer_service_level", "outbound_throughput"):
        assert {name, name + "_lower", name + "_upper"} <= set(df.columns)
    assert all(wfm.in_vocabulary(c) for c in df.columns)
    t = res.total
    assert 0.0 < t.blocking_rate.value < 1.0 and 0.0 < t.lost_rate.value < 1.0
    assert t.effective_arrival_rate.value > 5.0 / 180.0  # redials add attempts
    assert t.outbound_throughput.value == 0.0


def test_outbound_work_and_sums_pickle():
    res = stationary(handle_time=sim.Distribution.exponential(mean=180.0),
                     arrival_rate=np.array([7.0 / 180.0]), agents=np.array([10]),
                     patience=sim.Distribution.exponential(mean=300.0),
                     outbound_handle_time=sim.Distribution.exponential(mean=300.0), reserve=3,
                     keep_sums=True)
    assert res.total.outbound_throughput.value > 0.0
    back = pickle.loads(pickle.dumps(res.sums))
    assert back.contact
    merged = sim.merge([back])
    assert merged.total.outbound_throughput.value == res.total.outbound_throughput.value


def test_classic_scenarios_carry_no_multi_contact_columns():
    res = stationary(replications=3, interval_length=3600.0)
    assert not res.multi_contact
    assert "blocking_rate" not in sim.to_frame(res).columns


@pytest.mark.parametrize("kw", [dict(redial_probability=1.0), dict(lines=-1), dict(reserve=-1),
                                dict(handle_time_factors=np.array([1.0, -2.0])),
                                dict(handle_time_factors=np.array([1.0, 2.0]),
                                     outbound_handle_time=sim.Distribution.exponential(mean=60.0))])
def test_bad_multi_contact_input_raises_value_error(kw):
    with pytest.raises(ValueError):
        stationary(replications=2, interval_length=3600.0, **kw)
