"""The mode switches are per thread and per asyncio task: no_grad, enable_grad, name_scope and
detect_anomaly in one never change what another builds."""

import asyncio
import threading

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value


def test_no_grad_in_one_thread_leaves_another_recording():
    inside, entered, done = threading.Barrier(2), threading.Event(), threading.Event()
    seen = {}

    def quiet():
        with tg.no_grad():
            entered.set()
            inside.wait(timeout=10)  # the other thread builds while we are inside
            seen["quiet"] = (Value(2.0) * 3).requires_grad
            done.wait(timeout=10)

    def busy():
        entered.wait(timeout=10)
        inside.wait(timeout=10)
        seen["busy"] = (Value(2.0) * 3).requires_grad
        seen["busy_enabled"] = tg.is_grad_enabled()
        done.set()

    threads = [threading.Thread(target=quiet), threading.Thread(target=busy)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert seen == {"quiet": False, "busy": True, "busy_enabled": True}


def test_a_decorated_predict_in_one_thread_does_not_stop_training_in_another():
    @tg.no_grad()
    def predict(x, ready, go):
        ready.set()
        go.wait(timeout=10)
        return (x * 2).requires_grad

    ready, go = threading.Event(), threading.Event()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("predict", predict(Value(1.0), ready, go)))
    t.start()
    ready.wait(timeout=10)
    w = Value(np.ones((2, 1)))
    J = (w * w).sum()  # built while the other thread sits inside no_grad
    J.backward()
    go.set()
    t.join(timeout=10)
    assert result == {"predict": False} and np.array_equal(w.grad, 2 * np.ones((2, 1)))


def test_asyncio_tasks_have_their_own_scope_and_grad_mode():
    async def scoped(name, gate, out):
        with tg.name_scope(name), tg.no_grad() if name == "quiet" else tg.enable_grad():
            await gate.wait()
            v = Value(1.0) + 1.0
            out[name] = (v.scope, v.requires_grad)

    async def main():
        gate, out = asyncio.Event(), {}
        tasks = [asyncio.create_task(scoped(n, gate, out)) for n in ("quiet", "layer 1")]
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(*tasks)
        return out

    assert asyncio.run(main()) == {"quiet": ("quiet", False), "layer 1": ("layer 1", True)}


def test_nesting_restores_and_decorators_work():
    assert tg.is_grad_enabled()
    with tg.no_grad():
        with tg.enable_grad():
            assert (Value(1.0) * 2).requires_grad
        assert not tg.is_grad_enabled()
    assert tg.is_grad_enabled()
    with tg.name_scope("layer 1"):
        with tg.name_scope("cost"):
            assert Value(1.0).scope == "cost"
        assert (Value(1.0) * 2).scope == "layer 1"
    assert Value(1.0).scope is None
    with pytest.raises(TypeError, match="name_scope"):
        tg.name_scope(3)

    @tg.no_grad()
    def f():
        return (Value(1.0) * 2).requires_grad

    assert f() is False and f() is False and tg.is_grad_enabled()
