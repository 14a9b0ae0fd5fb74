"""A table-driven grammar of ``sgc`` command lines, valid and invalid, for the fuzz tests.

One entry per sub-command: ``GRAMMAR[words] = {option: strategy of its value}`` (``None`` for a
flag; a key in angle brackets, such as ``"<scheme>"``, draws several words at once: a scheme
with parameters that fit together). To cover a new sub-command, add an entry; :func:`argv_strategy` draws any subset of its
options, in any order, sometimes with junk. Every sub-command has an entry (a test checks it).
Work stays small: every command line ends with ``--max-work 1e5`` (simulate, sweep, reproduce
and design draw their own budgets too: ``--max-dp-work``, ``--max-orbits``, ``--time-limit``),
and the traces are tiny files or the shortest shipped probes.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: integers a user may type: ordinary, boundary, extreme and malformed
INTS = st.sampled_from(
    [
        *"0 1 2 3 4 5 6 8 12 256 -1 -7 1000000000 99999999999999999999999 abc".split(),
        "",
        "1.5",
        "1e3",
        " 3",
        "0x10",
        "1_0",
    ]
)
SMALL = st.sampled_from(["0", "1", "2", "3", "4", "-1", "x"])
ROUNDS = st.sampled_from(
    ["0", "1", "2", "3", "5", "40", "1000", "1000000", "-2", "99999999999999999999999", "two"]
)

MODELS = st.one_of(
    st.sampled_from(
        [
            *"per-round:s=1 per-round:s=2 bursty:B=1,W=2,lam=1 bursty:B=2,W=3,lam=2 arbitrary:N=2,W=3,lam=2 bursty:B=1,W=2,lam=27 bursty:B=3,W=8,lam=100 bursty:B=2,W=40,lam=3 arbitrary:N=3,W=10,lam=8 bursty:B=1,W=1000000,lam=1 bursty:B=2,W=3,lam=2,lam=3 per-round:s=2,s=3 bursty:B=2,W=3 bursty: bursty foo:x=1".split(),
            "",
            *": bursty:B=x,W=3,lam=2 bursty:B=2,W=1,lam=2 per-round:s=-1 per-round:s=1e3 bursty:B=1,,W=2,lam=1 bursty:B=1,W=99999999999999999999999999999,lam=1 BURSTY:B=1,W=2,lam=1 arbitrary:N=0,W=2,lam=1 bursty:b=1,w=2,LAM=1 Per_Round:S=1 arbitrary:N=2,W=3,lam=200 arbitrary:N=3,W=4,lam=16".split(),
            "per-round:s=" + "9" * 50,
        ]
    ),
    st.text(alphabet="bursty:BWlam=,0123456789-", max_size=30),
)

PATTERNS = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "0,1;;2",
            ";;;",
            "0;1",
            "0,0",
            "-1",
            "a,b",
            "1.5",
            ";",
            "0;;;;;;;;",
            "99999999999999999999",
            "0,1,2,3,4,5,6,7",
            " 1 ; 2 ",
        ]
    ),
    st.text(alphabet="0123;,-", max_size=20),
)


def files(tmp):
    """Odd and ordinary files for ``--matrix``/``--out`` (``tmp`` a pathlib folder)."""
    (tmp / "empty.csv").write_text("")
    (tmp / "junk.csv").write_bytes(bytes(range(256)) * 4)
    (tmp / "ok.csv").write_text("1,1\n1,1\n")
    (tmp / "ragged.csv").write_text("1,2\n3\n")
    (tmp / "nan.csv").write_text("nan,1\n1,inf\n")
    (tmp / "frac.csv").write_text("1/2,1\n0,1/0\n")
    # issue 20: exact numbers of absurd size, a byte-order mark, a header, the long format
    (tmp / "hugeexp.csv").write_text("1e99999999,1\n1,1\n")
    (tmp / "tinyexp.csv").write_text("1e-99999999,1\n1,1\n")
    (tmp / "bom.csv").write_bytes(b"\xef\xbb\xbf1,1\n1,1\n")
    (tmp / "header.csv").write_text("w0,w1\n1,1\n1,1\n")
    (tmp / "long.csv").write_text("time,worker,delay\n0,0,1\n0,1,2\n1,0,1\n")
    (tmp / "dir").mkdir(exist_ok=True)
    return st.sampled_from(
        [
            str(tmp / n)
            for n in (
                "empty.csv",
                "junk.csv",
                "ok.csv",
                "ragged.csv",
                "nan.csv",
                "frac.csv",
                "hugeexp.csv",
                "tinyexp.csv",
                "bom.csv",
                "header.csv",
                "long.csv",
                "dir",
                "missing.csv",
            )
        ]
        + ["/dev/null", "/dev/zero", "/", "", "/proc/self/mem"]
    )


#: the shortest shipped probes (10 rounds of 256 workers), by full name and by unique prefix
TOKYO = "sam-gc-cnn_profile_est-mbp__w256-n10-l0_000-b256-cno_forloop-Tokyo"
SYDNEY_PREFIX = "sam-gc-cnn_profile_est-mbp__w256-n10-l0_250-b256-cno_forloop-Sydney"


def trace_files(tmp):
    """Trace arguments: tiny CSV files (ordinary and odd), shipped names, junk."""
    good = "w0,w1,w2,w3\n1,1,1,1\n1,3,1,1\n1,1,4,1\n2,1,1,5\n1,1,1,1\n1,6,1,1\n"
    (tmp / "t_ok.csv").write_text(good)
    (tmp / "t_noheader.csv").write_text("1,2\n3,1\n1,1\n2,2\n")
    (tmp / "t_one.csv").write_text("w0\n1\n2\n3\n")
    (tmp / "t_nan.csv").write_text("w0,w1\n1,nan\n1,1\n")
    (tmp / "t_inf.csv").write_text("w0,w1\n1,inf\n1,1\n")
    (tmp / "t_huge.csv").write_text("w0,w1\n1,1.7e308\n1.7e308,1\n1,1\n")
    (tmp / "t_neg.csv").write_text("w0,w1\n1,-1\n1,1\n")
    (tmp / "t_zero.csv").write_text("w0,w1\n0,0\n0,0\n0,0\n")
    (tmp / "t_ragged.csv").write_text("w0,w1\n1,2\n3\n")
    (tmp / "t_header.csv").write_text("w0,w1\n")
    (tmp / "t_text.csv").write_text("w0,w1\n1,abc\n")
    (tmp / "t_empty.csv").write_text("")
    (tmp / "t_junk.csv").write_bytes(bytes(range(256)) * 4)
    (tmp / "t_bom.csv").write_bytes(b"\xef\xbb\xbf1,2\n3,1\n1,1\n2,2\n")
    (tmp / "t_bomheader.csv").write_bytes(b"\xef\xbb\xbfw0,w1\n1,2\n3,1\n")
    (tmp / "t_long.csv").write_text("time,worker,delay\n0,0,1\n0,1,2\n1,0,1\n")
    (tmp / "t_mixed.csv").write_text("w0,1\n1,2\n")
    (tmp / "t_dir").mkdir(exist_ok=True)
    names = "t_ok.csv t_noheader.csv t_one.csv t_nan.csv t_inf.csv t_huge.csv t_neg.csv t_zero.csv t_ragged.csv t_header.csv t_text.csv t_empty.csv t_junk.csv t_bom.csv t_bomheader.csv t_long.csv t_mixed.csv t_dir t_missing.csv".split()
    odd = st.sampled_from(
        [str(tmp / n) for n in names]
        + [TOKYO, SYDNEY_PREFIX, "sam-gc", "nosuchtrace", "", "/dev/null", "/", "/dev/zero"]
    )
    return st.one_of(st.sampled_from([str(tmp / "t_ok.csv"), TOKYO, SYDNEY_PREFIX]), odd)


def process_files(tmp):
    """``--process`` arguments: a small straggler process (n = 4), odd files, junk."""
    from sgc_theory.simulate.processes import StragglerProcess

    StragglerProcess.two_state(n=4, p_slow=0.2, p_stay=0.5).save(tmp / "p4.json")
    (tmp / "p_bad.json").write_text('{"format": "sgc-straggler-process/1", "n": 4}')
    (tmp / "p_junk.json").write_text("{not json")
    return st.sampled_from(
        [str(tmp / "p4.json")] * 3
        + [str(tmp / "p_bad.json"), str(tmp / "p_junk.json"), str(tmp / "nope.json"), "", "/"]
    )


def csv_outs(tmp):
    (tmp / "a_dir").mkdir(exist_ok=True)
    return st.sampled_from(
        [str(tmp / "g.csv"), str(tmp / "m.json"), "", "/dev/null", "/proc/no/such/x.csv",
         str(tmp / "a_dir")]
    )  # fmt: skip


#: floats a user may type for --mu, --probe-load, --slope, --time-limit
FLOATS = st.sampled_from(
    [*"0 1 0.5 2.2013 -1 nan inf -inf 1e308 1e-320 abc".split(), "", "1,5", "0x10"]
)
SLOPES = st.one_of(FLOATS, st.sampled_from(["paper", "default", "PAPER", "papers"]))
BUDGETS = st.sampled_from(
    ["1", "100", "1e4", "1e5", "0", "-5", "inf", "abc", "1.5", "1e400", "99999999999999999999999"]
)
#: a scheme with parameters that fit (mostly valid; some break a rule of the family)
SCHEME_BUNDLES = st.sampled_from(
    [
        ["--scheme", "gc", "--s", "1"],
        ["--scheme", "gc", "--s", "3"],
        ["--scheme", "srsgc", "--B", "1", "--W", "2", "--lam", "2"],
        ["--scheme", "srsgc", "--B", "2", "--W", "4", "--lam", "3"],
        ["--scheme", "msgc", "--B", "1", "--W", "2", "--lam", "2"],
        ["--scheme", "msgc", "--B", "2", "--W", "3", "--lam", "4"],
        ["--scheme", "msgc", "--B", "1", "--W", "2", "--lam", "256"],
        ["--scheme", "brsgc", "--B", "1", "--W", "2", "--lam", "1"],
        ["--scheme", "BR-SGC", "--B", "2", "--W", "3", "--lam", "3"],
        ["--scheme", "brsgc", "--B", "1", "--W", "5", "--lam", "4"],
        ["--scheme", "nocoding"],
        ["--scheme", "brsgc", "--B", "3", "--W", "3", "--lam", "1"],
        ["--scheme", "msgc", "--B", "1", "--W", "2", "--lam", "9999"],
        ["--scheme", "gc", "--s", "300"],
    ]
)
#: a scheme with parameters and a number of workers
SCHEME_N_BUNDLES = st.builds(
    lambda b, n: b + ["--n", n],
    SCHEME_BUNDLES,
    st.sampled_from(["3", "4", "5", "6", "8", "70", "256"]),
)
SIM_SCHEMES = st.sampled_from(
    ["nocoding", "gc", "srsgc", "msgc", "brsgc", "BR-SGC", "no-coding", "xyz", ""]
)


def out_dirs(tmp):
    (tmp / "a_file").write_text("x")
    return st.sampled_from(
        [
            str(tmp / "figs"),
            str(tmp / "a_file"),
            "",
            "/dev/null",
            "/proc/no/such",
            str(tmp / "a_file" / "sub"),
        ]
    )


def grammar(tmp):
    """The table: sub-command words -> {option: value strategy or None for a flag}."""
    scheme = {
        "--scheme": st.sampled_from(
            ["gc", "srsgc", "msgc", "brsgc", "SR-SGC", "m_sgc", "BR-SGC", "xyz", ""]
        ),
        "--n": st.one_of(SMALL, INTS),
        "--s": SMALL,
        "--B": SMALL,
        "--W": SMALL,
        "--lam": SMALL,
    }
    traces = trace_files(tmp)
    sim = {
        "--trace": traces,
        "--jobs": st.one_of(st.sampled_from(["1", "2", "3", "5"]), INTS),
        "--mu": st.one_of(st.sampled_from(["1", "0.5"]), FLOATS),
        "--policy": st.sampled_from(["paper", "minimal", "optimal", "best", ""]),
        "--slope": SLOPES,
        "--probe-load": FLOATS,
        "--json": None,
    }
    procs = process_files(tmp)
    outs = csv_outs(tmp)
    long_run = {
        "--trace": st.one_of(traces, procs),
        "--process": procs,
        "--rounds": st.sampled_from(["0", "2", "5", "8", "40", "1000000", "x"]),
        "--replications": SMALL,
        "--mu": FLOATS,
        "--schemes": SIM_SCHEMES,
        "--pilot-jobs": SMALL,
        "--max-delay": SMALL,
        "--seed": SMALL,
        "--probe-load": FLOATS,
        "--states": SMALL,
        "--target-halfwidth": st.sampled_from(
            ["0.01", "0.5", "off", "none", "0", "-1", "nan", "inf", "x", "1e-9", "OFF"]
        ),
        "--max-replications": st.sampled_from(["1", "2", "3", "0", "-1", "x", "100000"]),
        "--allow-not-credible": None,
        "--json": None,
        LIKELY: ("--process",),
    }
    return {
        ("patterns", "count"): {
            "--n": INTS,
            "--model": MODELS,
            "--rounds": ROUNDS,
            "--json": None,
            LIKELY: ("--n", "--model", "--rounds"),
        },
        ("patterns", "sample"): {
            "--n": INTS,
            "--model": MODELS,
            "--rounds": ROUNDS,
            "--seed": INTS,
            "--json": None,
            LIKELY: ("--n", "--model", "--rounds"),
        },
        ("gc", "verify"): {
            "--n": INTS,
            "--s": SMALL,
            "--construction": st.sampled_from(["cyclic", "frc", "rs", "", "RS", "Cyclic"]),
            "--seed": INTS,
            "--matrix": files(tmp),
            "--spot-checks": st.sampled_from(["1", "64", "100000", "0", "-1"]),
            "--json": None,
        },
        ("verify",): {
            **scheme,
            "--model": MODELS,
            "--rounds": ROUNDS,
            "--all-horizons": None,
            "--method": st.sampled_from(["auto", "exhaustive", "automaton", "symmetric", "magic"]),
            "--json": None,
            "<scheme>": SCHEME_N_BUNDLES,
            LIKELY: ("<scheme>", "--rounds"),
        },
        ("show",): {
            **scheme,
            "--rounds": ROUNDS,
            "--pattern": PATTERNS,
            "--json": None,
            "<scheme>": SCHEME_N_BUNDLES,
            LIKELY: ("<scheme>", "--rounds"),
        },
        ("load",): {**scheme, "--json": None, "<scheme>": SCHEME_N_BUNDLES, LIKELY: ("<scheme>",)},
        ("bound",): {"--n": INTS, "--model": MODELS, "--json": None, LIKELY: ("--n", "--model")},
        ("demo",): {"--json": None},
        ("design",): {
            "--n": st.one_of(SMALL, INTS),
            "--model": MODELS,
            # T <= 4 and junk: larger T (6, 8) on n = 6 can run for minutes inside the
            # type LP's initial columns, beyond --time-limit and --max-work (reported
            # to the owner of sgc_theory/design)
            "--T": st.sampled_from(
                ["0", "1", "2", "3", "4", "-1", "x", "256", "99999999999999999999999"]
            ),
            "--P": SMALL,
            "--partitions": st.sampled_from(
                ["1", "2", "3", "4", "0", "-1", "100", "99999999999999999999", "x"]
            ),
            "--max-replication": SMALL,
            "--solver": st.sampled_from(["highs", "cbc", "glpk", ""]),
            "--time-limit": st.sampled_from(["1", "2", "0", "-1", "nan", "inf", "x", "1e-9"]),
            "--max-orbits": st.sampled_from(["1", "10", "1000", "0", "-3", "x"]),
            "--max-variables": st.sampled_from(["1", "100", "5000", "0", "-3", "x"]),
            "--json": None,
            ALWAYS: ("--time-limit",),
            LIKELY: ("--n", "--model", "--T"),
        },
        ("simulate",): {
            **sim,
            "--scheme": SIM_SCHEMES,
            "--s": SMALL,
            "--B": SMALL,
            "--W": SMALL,
            "--lam": SMALL,
            "<scheme>": SCHEME_BUNDLES,
            LIKELY: ("--trace", "--jobs", "--mu", "<scheme>"),
        },
        ("sweep",): {
            **sim,
            "--max-delay": SMALL,
            "--max-dp-work": BUDGETS,
            "--scheduler": st.sampled_from(
                ["", "tcp://127.0.0.1:9", "nonsense", "tcp://", "inproc://x", "tcp://[::1"]
            ),
            LIKELY: ("--trace", "--jobs", "--mu", "--max-delay"),
        },
        ("traces", "list"): {"--json": None},
        ("traces", "fit"): {
            "--family": st.sampled_from(["desktop_long", "desktop", "mbp", "nosuch", "", "sam"]),
            "--region": st.sampled_from(["Canada", "Tokyo", "Mars", "", "canada", "TOKYO"]),
            "--process": st.sampled_from(["markov", "hmm", ""]),
            "--trace": traces,
            "--mu": FLOATS,
            "--states": SMALL,
            "--marginal": st.sampled_from(
                ["auto", "lognormal", "shiftexp", "pareto", "empirical", "x", "", "AUTO"]
            ),
            "--probe-load": FLOATS,
            "--keep-outliers": None,
            "--seed": SMALL,
            "--out": outs,
            "--json": None,
            LIKELY: ("--family",),
        },
        ("traces", "generate"): {
            "--process": procs,
            "--rounds": ROUNDS,
            "--seed": INTS,
            "--out": outs,
            "--n": SMALL,
            "--json": None,
            LIKELY: ("--process", "--rounds", "--out"),
        },
        ("compare",): {**long_run, "--policies": st.sampled_from(["paper", "minimal", "best"])},
        ("recommend",): {
            **long_run,
            "--top": SMALL,
            "--policy": st.sampled_from(["paper", "minimal", "x"]),
        },
        # --trace always given: one short probe (all seven load-0 probes take seconds)
        ("reproduce",): {
            "--trace": traces,
            "--slope": SLOPES,
            "--jobs": SMALL,
            "--mu": FLOATS,
            "--max-delay": SMALL,
            "--json": None,
            ALWAYS: ("--trace",),
        },
        # --local always given: a Dask cluster per command line would take seconds (the Dask
        # route has its own tests in tests/execute)
        ("run",): {
            "--scheme": SIM_SCHEMES,
            "--n": SMALL,
            "--s": SMALL,
            "--B": SMALL,
            "--W": SMALL,
            "--lam": SMALL,
            "<scheme>": SCHEME_BUNDLES,
            "--jobs": SMALL,
            "--model": st.sampled_from(["logistic", "lstsq", "LSTSQ", "svm", ""]),
            "--lr": FLOATS,
            "--trace": traces,
            "--time-scale": FLOATS,
            "--slope": SLOPES,
            "--mu": FLOATS,
            "--policy": st.sampled_from(["paper", "minimal", "optimal", "x"]),
            "--workers": SMALL,
            "--threads": SMALL,
            "--block": SMALL,
            "--local": None,
            "--construction": st.sampled_from(["auto", "frc", "rs", "stable", "x", ""]),
            "--json": None,
            ALWAYS: ("--local",),
            LIKELY: ("--n", "<scheme>"),
        },
        # --only always given (and never matching): running the real figures takes seconds
        ("figures",): {
            "--out": out_dirs(tmp),
            "--only": st.sampled_from(["nosuchfigure", "", "zzz"]),
            "--json": None,
            ALWAYS: ("--only",),
        },
    }


#: key of a grammar entry listing the options always given
ALWAYS = "__always__"
#: key of a grammar entry listing the options given nine times in ten (the required ones: a
#: command line missing one is refused at once, so without this few lines would run)
LIKELY = "__likely__"

JUNK = st.sampled_from(
    "--bogus extra --n --json=1 -x --max-work --max-work=0 --max-work=abc --debug --js --max-work=-inf".split()
)


@st.composite
def argv_strategy(draw, table):
    """One command line: a sub-command, a random subset of its options (valid or not), in a
    random order, sometimes a junk word; always a small ``--max-work``."""
    words = draw(st.sampled_from(sorted(table)))
    opts = {k: v for k, v in table[words].items() if k not in (ALWAYS, LIKELY)}
    chosen = draw(st.lists(st.sampled_from(sorted(opts)), unique=True, max_size=len(opts)))
    chosen += [o for o in table[words].get(ALWAYS, ()) if o not in chosen]
    # nine in ten (a middle value of 0..9 skips: hypothesis favours the ends of a range)
    chosen += [
        o for o in table[words].get(LIKELY, ()) if o not in chosen and draw(st.integers(0, 9)) != 4
    ]
    chosen = draw(st.permutations(chosen))
    argv = list(words)
    for opt in chosen:
        if opt.startswith("<"):
            argv.extend(draw(opts[opt]))
            continue
        argv.append(opt)
        if opts[opt] is not None:
            argv.append(draw(opts[opt]))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(JUNK))
    return argv + ["--max-work", "1e5"]
