"""Issue 29, process files and the process API: every bad input ends with one SGCError naming
the argument (Python) or one stderr line and exit 2 with no partial output file (CLI)."""

import copy
import json
import os
import threading

import numpy as np
import pytest

from sgc_theory.cli import main
from sgc_theory.errors import SGCError
from sgc_theory.simulate.processes import (
    ProcessError,
    StragglerProcess,
    fit_process,
    fit_quality,
    load_process,
    straggler_stats,
    write_delay_csv,
)


def _good():
    return StragglerProcess.two_state(n=4, p_slow=0.2, p_stay=0.5).to_json()


def _edit(**changes):
    d = copy.deepcopy(_good())
    for key, value in changes.items():
        if "." in key:
            a, b = key.split(".")
            d[a][b] = value
        else:
            d[key] = value
    return d


BAD_FILES = {
    "n float": (_edit(n=16.7), "n must be"),
    "n bool": (_edit(n=True), "n must be"),
    "n string": (_edit(n="16"), "n must be"),
    "states mismatch": (_edit(states=7), "states=7"),
    "unknown kind": (_edit(kind="semi-markov"), "kind"),
    "prob strings": (_edit(startprob=["0.8", "0.2"]), "numbers only"),
    "rows": (_edit(transmat=[[0.5, 0.4], [0.5, 0.5]]), "summing to 1"),
    "huge mean": (_edit(means=[0.0, 1e300]), "means must lie"),
    "very negative mean": (_edit(means=[-1e6, 0.0]), "means must lie"),
    "huge sd": (_edit(sds=[0.1, 1e300]), "sds"),
    "probe load string": (_edit(**{"meta.probe_load": "x"}), "probe_load"),
    "probe load list": (_edit(**{"meta.probe_load": [1]}), "probe_load"),
    "probe load negative": (_edit(**{"meta.probe_load": -5}), "probe_load"),
    "factor sd": (_edit(**{"factor.sd": 1e300}), "factor"),
    "emission family": (_edit(emissions=[{"family": "cauchy"}, {"family": "cauchy"}]), "family"),
    "unknown field": (_edit(colour="red"), "unknown field"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_process_files_are_refused(case, tmp_path, capsys):
    data, match = BAD_FILES[case]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ProcessError, match=match):
        load_process(path)
    out = tmp_path / "g.csv"
    rc = main(["traces", "generate", "--process", str(path), "--rounds", "5", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and not out.exists(), err


def test_non_finite_constants_deep_nesting_and_too_many_states(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_good()).replace('"n": 4', '"n": Infinity'))
    with pytest.raises(ProcessError, match="Infinity"):
        load_process(path)
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProcessError, match="nested deeper"):
        load_process(path)
    K = 129
    A = np.full((K, K), 1.0 / K).tolist()
    big = _edit(states=K, transmat=A, startprob=[1.0 / K] * K, means=[0.0] * K, sds=[0.1] * K)
    path.write_text(json.dumps(big))
    with pytest.raises(ProcessError, match="128"):
        load_process(path)


def test_128_states_generate_without_overflow():
    K = 128
    A = np.full((K, K), 1.0 / K)
    p = StragglerProcess(n=3, startprob=np.full(K, 1.0 / K), transmat=A,
                         means=np.linspace(0, 2, K), sds=np.full(K, 0.1),
                         factor={"mean": 0.0, "sd": 0.0, "phi": 0.0})  # fmt: skip
    z = p.states_path(400, np.random.default_rng(0))
    assert z.max() > 120 and z.min() >= 0
    D = p.generate(20, seed=1)
    assert np.isfinite(D).all() and (D > 0).all()


def test_not_regular_files_are_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    done = []
    t = threading.Thread(target=lambda: done.append(pytest.raises(SGCError, load_process, fifo)))
    t.start()
    t.join(5)
    assert done, "a FIFO blocked load_process"
    assert "not a file" in str(done[0].value)
    with pytest.raises(ProcessError, match="not a file"):
        load_process("/dev/zero")
    with pytest.raises(ProcessError, match="must be a path"):
        load_process(None)
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(64 * 2**20 + 1)
    with pytest.raises(ProcessError, match="more than the 67108864"):
        load_process(big)


def test_generated_delays_are_finite_and_positive_at_the_bounds():
    p = StragglerProcess.from_emissions(
        4,
        [[0.5, 0.5], [0.5, 0.5]],
        [{"family": "lognormal", "mean": -50.0, "sd": 10.0},
         {"family": "pareto", "scale": 1.0, "alpha": 0.05}],
    )  # fmt: skip
    D = p.generate(200, seed=0)
    assert np.isfinite(D).all() and (D > 0).all()


def test_generate_refuses_bad_seeds_and_n():
    p = StragglerProcess.two_state(n=4, p_slow=0.2, p_stay=0.5)
    for seed in (-1, 1.5, "a", True):
        with pytest.raises(SGCError, match="seed"):
            p.generate(5, seed=seed)
    with pytest.raises(SGCError, match="n"):
        p.generate(5, n=4.5)
    with pytest.raises(SGCError, match="rounds"):
        p.generate(0)


def test_constructor_and_two_state_validate():
    kw = dict(startprob=[0.5, 0.5], transmat=[[0.9, 0.1], [0.5, 0.5]], means=[0, 1],
              sds=[0.1, 0.1], factor={"mean": 0.0, "sd": 0.0, "phi": 0.0})  # fmt: skip
    for n in (16.7, True, "16", 0):
        with pytest.raises(SGCError, match="n must be"):
            StragglerProcess(n=n, **kw)
    with pytest.raises(SGCError, match="transmat"):
        StragglerProcess(n=4, **(kw | {"transmat": [["a", 1], [0, 1]]}))
    with pytest.raises(SGCError, match="p_slow"):
        StragglerProcess.two_state(n=4, p_slow=2, p_stay=0.5)
    with pytest.raises(SGCError, match="p_stay"):
        StragglerProcess.two_state(n=4, p_slow=0.1, p_stay=float("nan"))


def test_straggler_stats_validates():
    D = np.ones((3, 4)) + np.arange(4)
    with pytest.raises(SGCError, match=r"D\[0, 0\]"):
        straggler_stats(np.where(D == 1, np.nan, D), 1.0)
    with pytest.raises(SGCError, match="mu"):
        straggler_stats(D, -1.0)
    with pytest.raises(SGCError, match="window"):
        straggler_stats(D, 1.0, window=0)
    with pytest.raises(SGCError, match=">= 0"):
        straggler_stats(-D, 1.0)
    with pytest.raises(SGCError, match="matrix"):
        straggler_stats(np.ones(4), 1.0)


def test_write_delay_csv_validates(tmp_path):
    out = tmp_path / "d.csv"
    for D in (np.array([[1.0, np.nan]]), np.ones(3), [["a"]], -np.ones((2, 2))):
        with pytest.raises(SGCError):
            write_delay_csv(D, out)
        assert not out.exists()
    with pytest.raises(SGCError, match="--out"):
        write_delay_csv(np.ones((2, 2)), None)


def test_fit_quality_and_fit_process_options():
    p = StragglerProcess.two_state(n=8, p_slow=0.2, p_stay=0.5)
    D = p.generate(40, seed=1)
    with pytest.raises(SGCError, match="workers"):
        fit_quality(p, D[:5], 1.0)
    bad = [
        ({"mu": float("nan")}, "mu"),
        ({"states": 7}, "states"),
        ({"states": True}, "states"),
        ({"marginal": "bogus"}, "marginal"),
        ({"seed": -1}, "seed"),
        ({"n_iter": 0}, "n_iter"),
        ({"quality": "yes"}, "quality"),
        ({"probe_load": -1.0}, "probe_load"),
        ({"keep_outliers": 2}, "keep_outliers"),
    ]
    for kw, match in bad:
        with pytest.raises(SGCError, match=match):
            fit_process(D, **kw)


def test_no_fewer_states_advice_at_the_minimum():
    D = StragglerProcess.two_state(n=16, p_slow=0.1, p_stay=0.5).generate(40, seed=3)
    with pytest.raises(ProcessError, match="did not converge") as exc:
        fit_process(D, mu=1.0, states=2, n_iter=1, tol=0.0)
    assert "fewer" not in str(exc.value)


def test_cli_refusals_one_line_exit_2(tmp_path, capsys):
    model = tmp_path / "m.json"
    StragglerProcess.two_state(n=4, p_slow=0.2, p_stay=0.5).save(model)
    out = tmp_path / "g.csv"
    cases = [
        (["traces", "generate", "--process", str(model), "--rounds", "50000000",
          "--out", str(out)], "--max-work"),
        (["traces", "generate", "--process", "/dev/zero", "--rounds", "5", "--out", str(out)],
         "not a file"),
        (["traces", "fit", "--process", "markov", "--trace", "nosuchtrace", "--seed", "-1"],
         "--seed"),
        (["traces", "fit", "--family", "desktop_long", "--mu", "2"], "--mu"),
        (["traces", "fit", "--family", "desktop_long", "--states", "3", "--seed", "1"],
         "--states, --seed"),
        (["traces", "fit", "--family", "desktop_long", "--marginal", "pareto"], "--marginal"),
    ]  # fmt: skip
    for argv, match in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and match in err, (argv, err)
        assert not out.exists()


def test_fit_shows_progress_on_request(capsys):
    D = StragglerProcess.two_state(n=16, p_slow=0.1, p_stay=0.5).generate(60, seed=3)
    fit_process(D, mu=1.0, states=2, quality=False, progress=True)
    assert "fit" in capsys.readouterr().err
    fit_process(D, mu=1.0, states=2, quality=False)
    assert capsys.readouterr().err == ""
