"""The concurrent parts of the benchmark pace their sessions as analysts, not in lock step."""

from __future__ import annotations

from dashboard.bench.common import Options, Pacing


def test_no_think_time_means_back_to_back():
    pacing = Pacing(Options(think_seconds=0.0), 3)
    assert pacing.start() == 0.0 and pacing.pause() == 0.0


def test_sessions_start_apart_and_pause_around_the_think_time():
    options = Options(think_seconds=10.0)
    starts = [Pacing(options, n).start() for n in range(20)]
    assert all(0.0 <= s <= 10.0 for s in starts)
    assert max(starts) - min(starts) > 5.0  # spread over the first pause, not all at once
    pacings = [Pacing(options, n) for n in range(20)]
    pauses = [p.pause() for p in pacings for _ in range(50)]
    assert all(5.0 <= p <= 15.0 for p in pauses)
    assert 9.0 < sum(pauses) / len(pauses) < 11.0
    # seeded per session: the same run after run
    a, b = Pacing(options, 7), Pacing(options, 7)
    assert [a.start(), a.pause(), a.pause()] == [b.start(), b.pause(), b.pause()]
