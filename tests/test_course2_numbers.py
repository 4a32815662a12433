"""Course 2's published numbers, reproduced through the public API (the examples print these tables).
The course rounds; each number is held within a point or two of its value, to the pattern the
lessons teach (zeros never break symmetry, He beats randn × 10, regularization trades training
accuracy for test accuracy, Adam and learning-rate decay beat plain mini-batch descent). The bands
hold under every BLAS kernel measured (OPENBLAS_CORETYPE Prescott, Core2, Nehalem, Sandybridge and
Haswell on an AMD EPYC, SkylakeX and Haswell as reported from an AVX-512 machine; .ci/run runs this
file under several): docs/course2.md says how far they move."""

import pytest
from course2_initialization import initialization_table
from course2_optimization import optimization_table
from course2_regularization import regularization_table


def test_initialization_numbers():
    got = {init: (train, test) for init, train, test in initialization_table()}
    assert got["zeros"] == (50.0, 50.0)
    assert got["random"] == pytest.approx((83, 86), abs=1.5)
    assert got["he"] == pytest.approx((99, 96), abs=1.5)


def test_regularization_numbers():
    """30,000 steps of lr 0.3 amplify the last bits in which BLAS kernels differ: measured, none and L2
    do not move (96.7 / 91.5-92, 92.9 / 94) while dropout's masks let its accuracies wander by two
    examples of 211 in training (95.3-96.2) and three of 200 in the test (93.5-95)."""
    got = {name: (train, test) for name, train, test in regularization_table()}
    none, l2, dropout = got["none"], got["L2 λ=0.7"], got["dropout 0.86"]
    assert none == pytest.approx((94.8, 91.5), abs=2.5) and l2 == pytest.approx((93.8, 93), abs=1.5)
    assert dropout[0] == pytest.approx(93, abs=4) and dropout[1] == pytest.approx(95, abs=2.5)
    assert l2[1] > none[1] and dropout[1] > none[1]  # better on test ...
    assert l2[0] < none[0] and dropout[0] <= none[0]  # ... for fitting the training set less


def test_optimization_numbers():
    got = {name: accuracy for name, accuracy, _ in optimization_table()}
    assert got["gd"] == pytest.approx(72, abs=1.5) and got["momentum"] == pytest.approx(72, abs=1.5)
    assert got["adam"] == pytest.approx(94, abs=1.5)
    assert got["gd + decay"] == pytest.approx(94, abs=1.5) and got["momentum + decay"] == pytest.approx(94, abs=1.5)
