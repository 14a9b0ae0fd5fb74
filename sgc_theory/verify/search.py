"""Breadth-first search of a verifier's reachable state space (shared by all-horizon methods).

A method supplies ``successors(node)``, yielding ``(label, next_node, failed_age, stragglers)``
for every transition, and ``describe(node)`` for readable graph labels. The search returns the
first failing transition reached, which is a shortest one since states are visited in order of
their distance from the start.
"""

from __future__ import annotations

from collections import deque

from ..budget import StateLimitError


def path_to(parent: dict, node) -> list:
    """Edge labels from the root to ``node`` in a BFS tree ``{node: (parent, label) | None}``."""
    labels = []
    while parent[node] is not None:
        node, label = parent[node]
        labels.append(label)
    labels.reverse()
    return labels


def bfs(root, successors, describe, progress=None, graph=False, max_states=None):
    """Explore every node reachable from ``root``.

    Returns ``(ok, states, labels, failed_age, digraph)``: ``labels`` is the path of transition
    labels to the first failure (``None`` if none). With ``graph=True`` the digraph has one node
    per state (attribute ``label``), edges carrying the set of straggler counts that take them
    (``straggler_counts``), and a ``"FAIL"`` node reached by the failing edge.
    """
    import networkx as nx

    parent = {root: None}
    index = {root: 0}
    queue = deque([root])
    G = nx.DiGraph() if graph else None
    if G is not None:
        G.add_node(0, start=True, label=describe(root))
    while queue:
        node = queue.popleft()
        for label, nxt, failed, k in successors(node):
            if failed is not None:
                if G is not None:
                    G.add_edge(index[node], "FAIL", stragglers=k, failing=True)
                return False, len(parent), path_to(parent, node) + [label], failed, G
            if nxt not in parent:
                parent[nxt] = (node, label)
                index[nxt] = len(index)
                queue.append(nxt)
                if G is not None:
                    G.add_node(index[nxt], label=describe(nxt))
                if progress is not None:
                    progress.update(1)
                if max_states is not None and len(parent) > max_states:
                    raise StateLimitError(
                        f"more than max_states={max_states} reachable "
                        "states; raise max_states (None: no limit)"
                    )
            if G is not None:
                u, v = index[node], index[nxt]
                if G.has_edge(u, v):
                    G[u][v]["straggler_counts"].add(k)
                else:
                    G.add_edge(u, v, straggler_counts={k}, stragglers=k, failing=False)
    return True, len(parent), None, None, G
