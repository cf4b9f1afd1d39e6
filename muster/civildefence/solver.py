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
    position i to supply position j; inf: no arc), the shortfall as flows from supply -1."""
    rows = [i for i, n in enumerate(needs) if n.demand > 0]
    cols = [j for j, s in enumerate(supplies) if s.capacity > 0]
    if not rows:
        return []
    solver = min_cost_flow.SimpleMinCostFlow()
    n_s, n_t = len(cols), len(rows)
    shortfall, sink = n_s + n_t, n_s + n_t + 1
    arcs: dict[int, tuple[int, int]] = {}
    for t, s in _arcs(km, rows, cols):
        need, supply = needs[rows[t]], supplies[cols[s]]
        metres = round(float(km[rows[t], cols[s]]) * 1000)
        arc = solver.add_arc_with_capacity_and_unit_cost(
            s, n_s + t, min(supply.capacity, need.demand), metres
        )
        arcs[arc] = (t, s)
    short_arcs: dict[int, int] = {}
    for t, i in enumerate(rows):
        arc = solver.add_arc_with_capacity_and_unit_cost(
            shortfall, n_s + t, needs[i].demand, SHORTFALL_COST
        )
        short_arcs[arc] = t
    total_demand = sum(needs[i].demand for i in rows)
    total_capacity = sum(supplies[j].capacity for j in cols)
    for s, j in enumerate(cols):
        solver.add_arc_with_capacity_and_unit_cost(s, sink, supplies[j].capacity, 0)
        solver.set_node_supply(s, supplies[j].capacity)
    solver.add_arc_with_capacity_and_unit_cost(shortfall, sink, total_demand, 0)
    for t, i in enumerate(rows):
        solver.set_node_supply(n_s + t, -needs[i].demand)
    solver.set_node_supply(shortfall, total_demand)
    solver.set_node_supply(sink, -total_capacity)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: status {status}")
    flows = []
    for arc, (t, s) in arcs.items():
        amount = int(solver.flow(arc))
        if amount:
            i, j = rows[t], cols[s]
            flows.append(Flow(needs[i].index, supplies[j].index, amount, float(km[i, j])))
    for arc, t in short_arcs.items():
        amount = int(solver.flow(arc))
        if amount:
            flows.append(Flow(needs[rows[t]].index, -1, amount, None))
    return flows


def _arcs(km: np.ndarray[Any, Any], rows: list[int], cols: list[int]) -> list[tuple[int, int]]:
    """(need position, supply position) pairs among `rows` × `cols` to connect: all when few
    enough, else each need's nearest supplies (at least 50); never an unreachable (inf) pair."""
    if not cols:
        return []
    sub = km[np.ix_(rows, cols)]
    keep = max(50, MAX_ARCS // max(1, len(rows)))
    pairs = []
    for t in range(len(rows)):
        row = sub[t]
        order = np.argsort(row)[:keep] if len(cols) > keep else np.arange(len(cols))
        pairs += [(t, int(s)) for s in order if np.isfinite(row[s])]
    return pairs
