import networkx as nx
import pytest

from sgc_theory.codes import cyclic_repetition, fractional_repetition, from_matrix


@pytest.mark.parametrize(
    "code",
    [cyclic_repetition(7, 3, seed=0), fractional_repetition(9, 2), cyclic_repetition(5, 4, seed=0)],
    ids=repr,
)
def test_constructions_cover(code):
    G = code.support_graph()
    assert nx.is_bipartite(G)
    assert {d["bipartite"] for v, d in G.nodes(data=True) if v[0] == "w"} == {0}
    assert {d["bipartite"] for v, d in G.nodes(data=True) if v[0] == "p"} == {1}
    # optimal codes: every partition held by exactly s + 1 workers
    assert all(G.degree[("p", j)] == code.s + 1 for j in range(code.n))
    assert code.covers()


def test_thin_matrix_does_not_cover_and_fails():
    # partition 3 is held by only one worker: losing worker 3 loses it (s = 1)
    E = [[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 0, 1]]
    code = from_matrix(E, 1)
    assert not code.covers()
    r = code.verify()
    assert not r.ok and [3] in [list(S) for S in r.failing_sets]


def test_draw_smoke():
    import matplotlib

    matplotlib.use("Agg")
    ax = fractional_repetition(4, 1).draw()
    assert ax.get_title().startswith("frc")
