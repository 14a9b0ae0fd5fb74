"""A table-driven grammar of ``sgc`` command lines, valid and invalid, for the fuzz tests.

One entry per sub-command: ``GRAMMAR[words] = {option: strategy of its value}`` (``None`` for a
flag). To cover a new sub-command, add an entry (the lead adds ``design``, ``simulate``,
``sweep``, ``traces``, ``reproduce`` after merging); :func:`argv_strategy` draws any subset of
its options, in any order, sometimes with junk.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: integers a user may type: ordinary, boundary, extreme and malformed
INTS = st.sampled_from(["0", "1", "2", "3", "4", "5", "6", "8", "12", "256", "-1", "-7",
                        "1000000000", "99999999999999999999999", "abc", "", "1.5", "1e3",
                        " 3", "0x10", "1_0"])
SMALL = st.sampled_from(["0", "1", "2", "3", "4", "-1", "x"])
ROUNDS = st.sampled_from(["0", "1", "2", "3", "5", "40", "1000", "1000000", "-2",
                          "99999999999999999999999", "two"])

MODELS = st.one_of(
    st.sampled_from([
        "per-round:s=1", "per-round:s=2", "bursty:B=1,W=2,lam=1", "bursty:B=2,W=3,lam=2",
        "arbitrary:N=2,W=3,lam=2", "bursty:B=1,W=2,lam=27", "bursty:B=3,W=8,lam=100",
        "bursty:B=2,W=40,lam=3", "arbitrary:N=3,W=10,lam=8", "bursty:B=1,W=1000000,lam=1",
        # malformed
        "bursty:B=2,W=3,lam=2,lam=3", "per-round:s=2,s=3", "bursty:B=2,W=3", "bursty:",
        "bursty", "foo:x=1", "", ":", "bursty:B=x,W=3,lam=2", "bursty:B=2,W=1,lam=2",
        "per-round:s=-1", "per-round:s=1e3", "bursty:B=1,,W=2,lam=1",
        "bursty:B=1,W=99999999999999999999999999999,lam=1", "BURSTY:B=1,W=2,lam=1",
        "arbitrary:N=0,W=2,lam=1", "per-round:s=" + "9" * 50,
    ]),
    st.text(alphabet="bursty:BWlam=,0123456789-", max_size=30),
)

PATTERNS = st.one_of(
    st.sampled_from(["", "0", "0,1;;2", ";;;", "0;1", "0,0", "-1", "a,b", "1.5", ";", "0;;;;;;;;",
                     "99999999999999999999", "0,1,2,3,4,5,6,7", " 1 ; 2 "]),
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
    (tmp / "dir").mkdir(exist_ok=True)
    return st.sampled_from([str(tmp / n) for n in
                            ("empty.csv", "junk.csv", "ok.csv", "ragged.csv", "nan.csv",
                             "frac.csv", "dir", "missing.csv")]
                           + ["/dev/null", "/dev/zero", "/", "", "/proc/self/mem"])


def out_dirs(tmp):
    (tmp / "a_file").write_text("x")
    return st.sampled_from([str(tmp / "figs"), str(tmp / "a_file"), "", "/dev/null",
                            "/proc/no/such", str(tmp / "a_file" / "sub")])


def grammar(tmp):
    """The table: sub-command words -> {option: value strategy or None for a flag}."""
    scheme = {"--scheme": st.sampled_from(["gc", "srsgc", "msgc", "SR-SGC", "m_sgc", "xyz", ""]),
              "--n": st.one_of(SMALL, INTS), "--s": SMALL, "--B": SMALL, "--W": SMALL,
              "--lam": SMALL}
    return {
        ("patterns", "count"): {"--n": INTS, "--model": MODELS, "--rounds": ROUNDS,
                                "--json": None},
        ("patterns", "sample"): {"--n": INTS, "--model": MODELS, "--rounds": ROUNDS,
                                 "--seed": INTS, "--json": None},
        ("gc", "verify"): {"--n": INTS, "--s": SMALL,
                           "--construction": st.sampled_from(["cyclic", "frc", "rs", ""]),
                           "--seed": INTS, "--matrix": files(tmp), "--json": None},
        ("verify",): {**scheme, "--model": MODELS, "--rounds": ROUNDS, "--all-horizons": None,
                      "--method": st.sampled_from(["auto", "exhaustive", "automaton",
                                                   "symmetric", "magic"]),
                      "--json": None},
        ("show",): {**scheme, "--rounds": ROUNDS, "--pattern": PATTERNS, "--json": None},
        ("load",): {**scheme, "--json": None},
        ("bound",): {"--n": INTS, "--model": MODELS, "--json": None},
        ("demo",): {"--json": None},
        # --only always given (and never matching): running the real figures takes seconds
        ("figures",): {"--out": out_dirs(tmp),
                       "--only": st.sampled_from(["nosuchfigure", "", "zzz"]),
                       "--json": None, ALWAYS: ("--only",)},
    }


#: key of a grammar entry listing the options always given
ALWAYS = "__always__"

JUNK = st.sampled_from(["--bogus", "extra", "--n", "--json=1", "-x", "--max-work", "--max-work=0",
                        "--max-work=abc", "--debug"])


@st.composite
def argv_strategy(draw, table):
    """One command line: a sub-command, a random subset of its options (valid or not), in a
    random order, sometimes a junk word; always a small ``--max-work``."""
    words = draw(st.sampled_from(sorted(table)))
    opts = {k: v for k, v in table[words].items() if k != ALWAYS}
    chosen = draw(st.lists(st.sampled_from(sorted(opts)), unique=True, max_size=len(opts)))
    chosen += [o for o in table[words].get(ALWAYS, ()) if o not in chosen]
    argv = list(words)
    for opt in chosen:
        argv.append(opt)
        if opts[opt] is not None:
            argv.append(draw(opts[opt]))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(JUNK))
    return argv + ["--max-work", "1e5"]
