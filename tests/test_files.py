"""Issue "trust at the edges", nn and its files: load changes nothing unless all fits (checked
from the archive's headers), save keeps permissions and never touches the umask, a killed save
leaves nothing that is not cleaned, datasets never touch numpy's global random state."""

import io
import os
import signal
import stat
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import nn
from tinygrad_cn.files import atomic_open


def model():
    return nn.TwoLayerNet(2, 4, 1, seed=1)


def test_load_refuses_before_changing_anything(tmp_path):
    m = model()
    before = m.state_dict()
    good = {k: v.copy() for k, v in before.items()}
    cases = {
        "string": {**good, "W2": np.array([["a", "b", "c", "d"]])},
        "complex": {**good, "b1": np.zeros((4, 1), dtype=complex)},
        "dates": {**good, "b2": np.array([["2020-01-01"]], dtype="M8[D]")},
        "bools": {**good, "b2": np.array([[True]])},
        "object": {**good, "W1": np.empty((4, 2), dtype=object)},
    }
    for name, state in cases.items():
        path = tmp_path / f"{name}.npz"
        np.savez(path, **state)  # np.savez pickles object arrays; load never unpickles
        with pytest.raises(ValueError, match="real numbers|dtype"):
            m.load(path)
        for k, v in before.items():
            np.testing.assert_array_equal(getattr(m, k).data, v)


def test_a_small_archive_cannot_force_a_huge_allocation(tmp_path):
    """A compressed .npz whose header claims (30000, 30000) float64 (7 GB) is refused from its header."""
    path = tmp_path / "bomb.npz"
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": (30000, 30000)})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in model().state_dict().items():
            if k == "W1":
                continue
            b = io.BytesIO()
            np.save(b, v)
            z.writestr(f"{k}.npy", b.getvalue())
        z.writestr("W1.npy", buf.getvalue() + b"\0" * 1_000_000)  # far too little data for its shape anyway
    assert path.stat().st_size < 3_000_000
    with pytest.raises(ValueError, match=r"W1 should have shape \(4, 2\)"):
        model().load(path)


def test_wrong_files_are_clear_errors(tmp_path):
    np.save(tmp_path / "x.npy", np.ones(3))
    (tmp_path / "t.npz").write_text("hello")
    good = tmp_path / "good.npz"
    model().save(good)
    (tmp_path / "cut.npz").write_bytes(good.read_bytes()[:200])
    for name in ("x.npy", "t.npz", "cut.npz"):
        with pytest.raises(ValueError, match="npz"):
            model().load(tmp_path / name)
    with pytest.raises(FileNotFoundError, match="no such file") as e:
        model().load(tmp_path / "missing.npz")
    assert isinstance(e.value, ValueError)
    with pytest.raises(ValueError, match="folder"):
        model().load(tmp_path)
    with pytest.raises(TypeError):
        model().load_state_dict([1, 2])


def test_save_keeps_permissions_and_never_touches_the_umask(tmp_path, monkeypatch):
    def no_umask(*a):
        raise AssertionError("os.umask must not be called: it is process-wide")

    monkeypatch.setattr(os, "umask", no_umask)
    path = tmp_path / "m.npz"
    model().save(path)
    assert os.listdir(tmp_path) == ["m.npz"]
    os.chmod(path, 0o640)
    model().save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and os.listdir(tmp_path) == ["m.npz"]


def test_save_refuses_bad_targets_without_writing(tmp_path):
    with pytest.raises(ValueError, match="no such folder"):
        model().save(tmp_path / "nope" / "m.npz")
    with pytest.raises(ValueError, match="folder"):
        model().save(tmp_path)
    with pytest.raises(ValueError, match="cannot write"):
        model().save(tmp_path / ("x" * 300 + ".npz"))
    assert os.listdir(tmp_path) == []


KILLED_SAVER = """
import sys, numpy as np
from tinygrad_cn.files import atomic_open
with atomic_open(sys.argv[1]) as f:
    f.write(b"partial")
    f.flush()
    print("writing", flush=True)
    import time; time.sleep(60)
"""


def test_a_killed_save_leaves_the_old_file_and_its_leftover_is_cleaned(tmp_path):
    target = tmp_path / "m.npz"
    model().save(target)
    old = target.read_bytes()
    for _ in range(5):
        p = subprocess.Popen([sys.executable, "-c", KILLED_SAVER, str(target)], stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"writing"
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=10)
        p.stdout.close()
        assert target.read_bytes() == old  # the previous file survives a kill
        assert len(os.listdir(tmp_path)) == 2  # one leftover: each writer removed the dead one's
    with atomic_open(target) as f:  # the next write beside it removes the last one
        f.write(old)
    assert os.listdir(tmp_path) == ["m.npz"]


def test_datasets_leave_numpys_global_random_state_alone():
    state = np.random.get_state()
    X, Y = nn.datasets.planar_flower()
    nn.TwoLayerNet(2, 4, 1, seed=3)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    np.random.seed(1)  # the course's own draws: the same numbers
    ref = np.random.randn(200) * 0.2
    assert np.allclose(X[:, :5], nn.datasets.planar_flower()[0][:, :5]) and ref.shape == (200,)


@pytest.mark.parametrize("m", [401, 1, 0, -4, 2.5, "400", None, True])
def test_planar_flower_refuses_what_it_cannot_draw(m):
    with pytest.raises(ValueError, match="planar_flower"):
        nn.datasets.planar_flower(m)


def test_planar_flower_small_even_m_has_both_classes():
    X, Y = nn.datasets.planar_flower(2)
    assert X.shape == (2, 2) and Y.tolist() == [[0.0, 1.0]]
