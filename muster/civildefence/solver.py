"""Assigning resources to a plan's tasks as a minimum-cost flow (OR-Tools), and travel.

Pure: dataclasses in, dataclasses out; no ORM. Each task kind is its own problem (a shelter
takes people to evacuate, a boat carries people, a militia unit rescues, a medical team
serves people): resources of the kind supply their capacity, tasks demand their need, and an
arc resource → task costs the travel in metres. A shortfall node can meet any task's demand at
a cost above any travel, so the flow meets what the resources can and leaves the rest as
shortfall, never hidden; resources and the shortfall node send what they do not give to a
sink at no cost. No resource gives more than its capacity (the arc capacities).

Travel is the straight-line distance × a terrain factor (labelled so), or the shortest path
over a road graph (networkx, from a GraphML file whose nodes carry `lat`/`lon` and edges
`km`), plus the straight line from each point to its nearest road node.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from muster.civildefence.rules import EARTH_KM

SHORTFALL_COST = 100_000_000  # metres: more than any travel in the country
MAX_ARCS = 400_000  # per task kind; past it each task keeps its nearest resources


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Need:
    index: int  # the caller's task index
    demand: int
    at: Point


@dataclass(frozen=True)
class Supply:
    index: int  # the caller's resource index
    capacity: int
    at: Point


@dataclass(frozen=True)
class Flow:
    need: int
    supply: int  # -1: shortfall
    amount: int
    km: float | None


def km_matrix(needs: Sequence[Point], supplies: Sequence[Point]) -> np.ndarray[Any, Any]:
    """Great-circle km from each need (rows) to each supply (columns)."""
    lat1 = np.radians([p.lat for p in needs])[:, None]
    lon1 = np.radians([p.lon for p in needs])[:, None]
    lat2 = np.radians([p.lat for p in supplies])[None, :]
    lon2 = np.radians([p.lon for p in supplies])[None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    found: np.ndarray[Any, Any] = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return found


class RoadGraph:
    """A road network to measure travel on (GraphML: nodes `lat`, `lon`; edges `km`)."""

    def __init__(self, path: Path) -> None:
        import networkx as nx  # type: ignore[import-untyped]

        graph = nx.read_graphml(path)
        self.graph = nx.Graph()
        self.nodes: list[Any] = []
        points = []
        for node, data in graph.nodes(data=True):
            lat, lon = float(data["lat"]), float(data["lon"])
            self.nodes.append(node)
            points.append(Point(lat, lon))
        for a, b, data in graph.edges(data=True):
            km = float(data["km"])
            if km < 0 or math.isnan(km):
                raise ValueError(f"edge {a}-{b}: km {km}")
            self.graph.add_edge(a, b, km=km)
        if not self.nodes:
            raise ValueError("no nodes")
        self.points = points

    def km(self, needs: Sequence[Point], supplies: Sequence[Point]) -> np.ndarray[Any, Any]:
        """Road km from each need to each supply: to the nearest node, along the roads, from
        the nearest node; inf where no road joins them."""
        import networkx as nx

        to_need = km_matrix(needs, self.points)
        to_supply = km_matrix(supplies, self.points)
        need_nodes = to_need.argmin(axis=1)
        supply_nodes = to_supply.argmin(axis=1)
        found = np.full((len(needs), len(supplies)), np.inf)
        by_source: dict[int, dict[Any, float]] = {}
        for i, node in enumerate(need_nodes):
            if int(node) not in by_source:
                by_source[int(node)] = nx.single_source_dijkstra_path_length(
                    self.graph, self.nodes[int(node)], weight="km"
                )
            lengths = by_source[int(node)]
            for j, target in enumerate(supply_nodes):
                road = lengths.get(self.nodes[int(target)])
                if road is not None:
                    found[i, j] = to_need[i, node] + road + to_supply[j, target]
        return found


def solve(
    needs: Sequence[Need], supplies: Sequence[Supply], km: np.ndarray[Any, Any]
) -> list[Flow]:
    """The flows meeting `needs` from `supplies` at least total travel (`km[i, j]` from need
    position i to supply position j; inf: no arc), the shortfall as flows from supply -1.

    The network is handed to OR-Tools as arrays (one call for every arc, one for every node's
    supply, one for every flow): with 2,000 resources a task kind has hundreds of thousands of
    arcs, which one Python call each made the bulk of a plan's time (docs/PERFORMANCE.md)."""
    rows = np.array([i for i, n in enumerate(needs) if n.demand > 0], dtype=np.int64)
    cols = np.array([j for j, s in enumerate(supplies) if s.capacity > 0], dtype=np.int64)
    if not len(rows):
        return []
    demand = np.array([needs[i].demand for i in rows], dtype=np.int64)
    capacity = np.array([supplies[j].capacity for j in cols], dtype=np.int64)
    n_s, n_t = len(cols), len(rows)
    shortfall, sink = n_s + n_t, n_s + n_t + 1
    t_pos, s_pos = _arcs(km, rows, cols)
    travel = km[rows[t_pos], cols[s_pos]] if len(t_pos) else np.zeros(0)
    total_demand, total_capacity = int(demand.sum()), int(capacity.sum())
    # Arcs in this order: resource → task, shortfall → task, resource → sink, shortfall → sink.
    tails = np.concatenate([s_pos, np.full(n_t, shortfall), np.arange(n_s), [shortfall]]).astype(
        np.int32
    )
    heads = np.concatenate([n_s + t_pos, n_s + np.arange(n_t), np.full(n_s, sink), [sink]]).astype(
        np.int32
    )
    capacities = np.concatenate(
        [np.minimum(capacity[s_pos], demand[t_pos]), demand, capacity, [total_demand]]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.rint(travel * 1000).astype(np.int64),
            np.full(n_t, SHORTFALL_COST),
            np.zeros(n_s),
            [0],
        ]
    ).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(
        np.arange(n_s + n_t + 2, dtype=np.int32),
        np.concatenate([capacity, -demand, [total_demand], [-total_capacity]]).astype(np.int64),
    )
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: status {status}")
    n_arcs = len(t_pos)
    amounts = solver.flows(np.arange(n_arcs + n_t, dtype=np.int32))
    flows = [
        Flow(
            needs[int(rows[t_pos[a]])].index,
            supplies[int(cols[s_pos[a]])].index,
            int(amounts[a]),
            float(travel[a]),
        )
        for a in np.flatnonzero(amounts[:n_arcs])
    ]
    flows += [
        Flow(needs[int(rows[t])].index, -1, int(amounts[n_arcs + t]), None)
        for t in np.flatnonzero(amounts[n_arcs:])
    ]
    return flows


def _arcs(
    km: np.ndarray[Any, Any], rows: np.ndarray[Any, Any], cols: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(need positions, supply positions) of the pairs among `rows` × `cols` to connect, need
    by need: all when few enough, else each need's nearest supplies (at least 50), nearest
    first; never an unreachable (inf) pair."""
    empty = np.zeros(0, dtype=np.int64)
    if not len(cols):
        return empty, empty
    sub = km[np.ix_(rows, cols)]
    keep = max(50, MAX_ARCS // max(1, len(rows)))
    if len(cols) > keep:
        order = np.argsort(sub, axis=1)[:, :keep]
    else:
        order = np.broadcast_to(np.arange(len(cols)), sub.shape)
    t_pos = np.repeat(np.arange(len(rows), dtype=np.int64), order.shape[1])
    s_pos = order.reshape(-1).astype(np.int64)
    reachable = np.isfinite(sub[t_pos, s_pos])
    return t_pos[reachable], s_pos[reachable]
