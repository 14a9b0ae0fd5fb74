"""The credibility verdict (issue 26): a long stationary run of the process against the trace,
with stated tolerances; outlier rounds (a cold start) dropped with a note; too few rounds."""

import json

import numpy as np
import pytest
from process_truths import gilbert_elliott, three_state

from sgc_theory.cli import main
from sgc_theory.errors import SGCError
from sgc_theory.simulate.processes import (
    StragglerProcess,
    assess_credibility,
    fit_process,
    outlier_rounds,
    stationary_law,
    write_delay_csv,
)


def _cold_start(n=256, rounds=200, seed=3):
    """A Gilbert-Elliott trace at a 7.6 s median whose first round is a cold start: 40 of the
    256 workers at about 168 s (as in a real resnet18 probe)."""
    D = 7.6 * gilbert_elliott(n).generate(rounds, seed=seed)
    rng = np.random.default_rng(0)
    D[rng.choice(n, 40, replace=False), 0] = 168 * np.exp(0.05 * rng.standard_normal(40))
    return D


def test_cold_start_round_is_detected_and_dropped_with_a_note():
    D = _cold_start()
    out = outlier_rounds(D)
    assert out["rounds"] == [0] and out["counts"] == [40] and out["droppable"]
    proc, rep = fit_process(D, mu=1.0, quality=False)
    cred = proc.meta["credibility"]
    assert cred is not None and cred == rep["credibility"]
    assert any("dropped round 0 (40 of 256 workers)" in note for note in cred["notes"])
    assert proc.meta["rounds"] == 199
    assert cred["credible"], cred["reasons"]
    # the slowest/median quantile of the process is the trace's, not 170 s stragglers
    q9 = cred["checks"]["slowest_over_median_q0.9"]
    assert q9["model"] < 5 and abs(q9["model"] - q9["trace"]) <= q9["tolerance"]


def test_cold_start_kept_on_request_is_said():
    D = _cold_start(rounds=120)
    proc, rep = fit_process(D, mu=1.0, states=2, keep_outliers=True, quality=False)
    cred = rep["credibility"]
    assert any(note.startswith("kept round 0") for note in cred["notes"])
    assert not cred["credible"]  # two states cannot hold the cold start and the bursts
    assert any("slowest over median q0.9" in r for r in cred["reasons"])


def test_a_well_fitted_process_is_credible_and_an_iid_misfit_is_not():
    """The fit of a Gilbert-Elliott trace is credible; the same process with its persistence
    removed (each row the stationary law: the iid misfit a user can force) is not, because of
    its mean burst (about 1 round for a truth of 2.2) and its distinct stragglers per window."""
    D = gilbert_elliott(64).generate(1500, seed=7)
    proc, rep = fit_process(D, mu=1.0, states=2, quality=False)
    assert rep["credibility"]["credible"], rep["credibility"]["reasons"]
    pi = stationary_law(proc.transmat)
    iid = StragglerProcess.from_emissions(64, np.tile(pi, (2, 1)), proc.emissions,
                                          factor=proc.factor)  # fmt: skip
    cred = assess_credibility(iid, D, 1.0)
    assert not cred["credible"]
    assert not cred["checks"]["mean_burst"]["ok"]
    assert not cred["checks"]["distinct_per_window"]["ok"]
    assert any(r.startswith("mean burst") for r in cred["reasons"])
    c = cred["checks"]["straggler_rate"]
    assert {"trace", "model", "tolerance", "ok"} <= set(c) and c["ok"]
    assert cred["model_rounds"] >= 2000


def test_too_few_rounds_for_the_parameters():
    p = three_state(8)
    D = p.generate(12, seed=1)
    cred = assess_credibility(p, D, 1.0)
    assert not cred["credible"]
    assert any(r.startswith("too few") for r in cred["reasons"])


def test_assess_credibility_checks_its_arguments():
    p = gilbert_elliott(8)
    D = p.generate(30, seed=1)
    with pytest.raises(SGCError, match="workers"):
        assess_credibility(p, D[:4], 1.0)
    with pytest.raises(SGCError, match="mu"):
        assess_credibility(p, D, float("nan"))
    with pytest.raises(SGCError, match="proc"):
        assess_credibility("p", D, 1.0)
    with pytest.raises(SGCError, match="seed"):
        assess_credibility(p, D, 1.0, seed=-1)


def test_cli_fit_prints_the_verdict_the_choice_and_the_probe_load(tmp_path, capsys):
    write_delay_csv(_cold_start(n=64, rounds=300), tmp_path / "t.csv")
    args = ["traces", "fit", "--process", "markov", "--trace", str(tmp_path / "t.csv")]
    assert main(args + ["--states", "2", "--probe-load", "0.25"]) == 0
    text = capsys.readouterr().out
    assert "credibility: CREDIBLE" in text and "tolerance" in text
    assert "model choice" in text and "note: dropped round 0" in text
    assert "probe load 0.25" in text
    assert main(args + ["--states", "2", "--json", "--out", str(tmp_path / "m.json")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["credibility"]["credible"] is True
    assert set(out["model_choice"]) >= {"chosen", "runner_up", "candidates", "criterion"}
    saved = json.loads((tmp_path / "m.json").read_text())
    assert saved["meta"]["credibility"]["credible"] is True
    assert saved["meta"]["probe_load"] == 0.0
