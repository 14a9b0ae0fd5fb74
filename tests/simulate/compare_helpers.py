"""Hand-built straggler processes for the comparison tests (no fit: independent of it)."""

import numpy as np

from sgc_theory.simulate.processes import StragglerProcess


def stationary(A) -> np.ndarray:
    """The stationary law of a transition matrix (left eigenvector for eigenvalue 1)."""
    w, v = np.linalg.eig(np.asarray(A, float).T)
    pi = np.real(v[:, np.argmin(abs(w - 1))])
    return pi / pi.sum()


def ge(n=16, q=0.03, stay=0.5, slow=1.2, sd=0.08, **meta) -> StragglerProcess:
    """A Gilbert-Elliott process started from its stationary law (normal -> slow ``q``, slow
    stays ``stay``; slow rounds ``exp(slow)`` times longer)."""
    A = np.array([[1 - q, q], [1 - stay, stay]])
    p = StragglerProcess(
        n=n,
        startprob=stationary(A),
        transmat=A,
        means=np.array([0.0, slow]),
        sds=np.array([sd, sd]),
        factor={"mean": 0.0, "sd": 0.0, "phi": 0.0},
    )
    p.meta.update(meta)
    return p
