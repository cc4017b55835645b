"""The workers' shares of connections: who takes the next one."""

import os

from carnet.service.shares import STALE_S, ConnectionShares


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_least_loaded_accepts_and_equals_all_do():
    clock = Clock()
    shares = ConnectionShares(3, clock)
    for slot, connections in enumerate([4, 5, 4]):
        shares.report(slot, connections)
    assert [shares.may_accept(slot) for slot in range(3)] == [True, False, True]
    shares.report(0, 5)
    assert [shares.may_accept(slot) for slot in range(3)] == [False, False, True]


def test_a_worker_alone_always_accepts():
    shares = ConnectionShares(1, Clock())
    shares.report(0, 150)
    assert shares.may_accept(0)


def test_a_silent_or_gone_worker_holds_nobody_back():
    clock = Clock()
    shares = ConnectionShares(2, clock)
    shares.report(0, 3)
    shares.report(1, 0)
    assert not shares.may_accept(0)
    clock.now += STALE_S + 0.1  # worker 1 is stuck
    shares.report(0, 3)
    assert shares.may_accept(0)
    shares.report(1, 0)
    assert not shares.may_accept(0)
    shares.leave(1)  # it stopped
    assert shares.may_accept(0)


def test_a_starting_worker_counts_before_its_first_report():
    clock = Clock()
    shares = ConnectionShares(2, clock)
    shares.report(0, 1)
    assert shares.may_accept(0)  # the other has not started
    shares.expect(1)
    assert not shares.may_accept(0)
    assert shares.may_accept(1)
    clock.now += STALE_S + 0.1  # it never came up
    shares.report(0, 1)
    assert shares.may_accept(0)


def test_forked_workers_see_each_other():
    shares = ConnectionShares(2, Clock())
    shares.report(0, 2)
    pid = os.fork()
    if pid == 0:
        shares.report(1, 7)
        os._exit(0)
    os.waitpid(pid, 0)
    assert shares.may_accept(0)
    assert not shares.may_accept(1)


def test_a_worker_leaving_the_socket_wakes_the_others_not_itself():
    shares = ConnectionShares(3, Clock())
    shares.wake_others(1)
    for slot, woken in [(0, True), (1, False), (2, True)]:
        try:
            said = os.read(shares.wake_end(slot), 16)
        except BlockingIOError:
            said = b""
        assert bool(said) is woken, slot
    for _ in range(100_000):  # a worker that does not read its pipe never blocks the others
        shares.wake_others(1)
