from __future__ import annotations

from rerunkernel.core.triggers import IDLE, RUNNING, SCHEDULED, RerunRequests, Trigger


def test_first_request_schedules_and_later_ones_merge():
    requests = RerunRequests()
    assert requests.request(Trigger("widget", parent="p1", clicked={"b1"}))
    assert requests.state == SCHEDULED
    assert not requests.request(Trigger("widget", parent="p2", clicked={"b2"}))
    trigger = requests.begin()
    assert trigger.parent == "p2"
    assert trigger.clicked == {"b1", "b2"}
    assert requests.state == RUNNING
    assert requests.next() is None
    assert requests.state == IDLE


def test_a_request_during_a_run_marks_it_stale_and_is_served_next():
    requests = RerunRequests()
    requests.request(Trigger("widget"))
    requests.begin()
    assert not requests.stale
    assert not requests.request(Trigger("save"))
    assert requests.stale
    assert requests.next().reason == "save"
    assert requests.state == RUNNING and not requests.stale
    assert requests.next() is None


def test_a_run_started_by_a_request_takes_what_was_pending():
    requests = RerunRequests()
    requests.request(Trigger("widget", clicked={"b"}))
    trigger = requests.begin(Trigger("execute", parent="req"))
    assert trigger.reason == "execute" and trigger.clicked == {"b"}
    requests.next()
    # the callback scheduled for the widget finds nothing left to do
    assert requests.begin() is None
    assert requests.state == IDLE
