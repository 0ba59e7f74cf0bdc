"""Offending networks the nominal index reveals: suspects named in the same referral are tied.

The co-suspect graph has one node per nominal named as a suspect and an edge between two
suspects for every referral naming both (its weight: how many referrals). Groups are its
connected components of two or more suspects, each divided into communities (Louvain,
seeded, so the same data gives the same communities); a group spanning several forces is what
no single force could see. Complainants and witnesses are never in the graph.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import InvalidRequest, NotFound
from beaconport.people import names
from beaconport.people.models import NominalRecord
from beaconport.referrals.models import PersonRecord, Referral

#: Nodes are nominal ids (text); node and edge attributes as built below.
SuspectGraph: TypeAlias = "nx.Graph[str]"


@dataclass(slots=True)
class Group:
    """Suspects tied to one another through the referrals that name them together."""

    id: str  # the smallest nominal id in it: stable while its members are
    nominals: list[str]
    referrals: list[str]
    forces: list[str]
    communities: list[list[str]] = field(default_factory=list)


def co_suspect_graph(session: Session, principal: Principal | None) -> SuspectGraph:
    """The graph of the suspects in the referrals the principal may read (a force's users see
    only their force's referrals, so only the ties those show); None: every referral (the
    command line, run by the operation's administrators)."""
    query = (select(NominalRecord.nominal_id, NominalRecord.referral_id, Referral.force_code,
                    Referral.force_reference, PersonRecord.forenames, PersonRecord.surname)
             .join(Referral, Referral.id == NominalRecord.referral_id)
             .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
             .where(NominalRecord.role == "suspect"))
    if principal is not None:
        query = query.where(visible(principal, Permission.PERSON_READ, Referral.force_code))
    return _graph(session.execute(query))


def _graph(rows: Any) -> SuspectGraph:
    graph: SuspectGraph = nx.Graph()
    suspects_of: dict[uuid.UUID, list[str]] = defaultdict(list)
    for nominal, referral, force, _reference, forenames, surname in rows:
        node = str(nominal)
        if node not in graph:
            graph.add_node(node, name=names.display(forenames, surname) or "?",
                           referrals=set(), forces=set())
        graph.nodes[node]["referrals"].add(str(referral))
        graph.nodes[node]["forces"].add(force)
        suspects_of[referral].append(node)
    for referral, suspects in suspects_of.items():
        for a, b in itertools.combinations(sorted(set(suspects)), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["referrals"].append(str(referral))
            else:
                graph.add_edge(a, b, weight=1, referrals=[str(referral)])
    return graph


def groups(graph: SuspectGraph, *, several_forces: bool = False) -> list[Group]:
    """Connected groups of two or more suspects, largest first, with their communities."""
    found = []
    for members in nx.connected_components(graph):
        if len(members) < 2:
            continue
        sub = graph.subgraph(members)
        referrals = sorted({r for n in members for r in graph.nodes[n]["referrals"]})
        forces = sorted({f for n in members for f in graph.nodes[n]["forces"]})
        if several_forces and len(forces) < 2:
            continue
        communities = nx.community.louvain_communities(sub, weight="weight", seed=1)
        found.append(Group(min(members), sorted(members), referrals, forces,
                           sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))))
    return sorted(found, key=lambda g: (-len(g.nominals), g.id))


def around(graph: SuspectGraph, nominal: str, *, radius: int = 2) -> SuspectGraph:
    """A person's network: the suspects within ``radius`` ties of them."""
    if nominal not in graph:
        raise NotFound("This person is not named as a suspect in any referral you may see.")
    found: SuspectGraph = nx.ego_graph(graph, nominal, radius=radius)
    return found


def as_view(graph: SuspectGraph, centre: str) -> dict[str, Any]:
    """A network as the page draws and lists it: people (the centre marked), ties, groups."""
    return {
        "centre": centre,
        "nodes": [{"id": n, "name": graph.nodes[n]["name"], "centre": n == centre,
                   "referrals": len(graph.nodes[n]["referrals"]),
                   "forces": sorted(graph.nodes[n]["forces"])}
                  for n in sorted(graph.nodes,
                                  key=lambda n: (n != centre, graph.nodes[n]["name"]))],
        "edges": [{"source": a, "target": b, "weight": graph.edges[a, b]["weight"],
                   "names": [graph.nodes[a]["name"], graph.nodes[b]["name"]]}
                  for a, b in sorted(tuple(sorted(e)) for e in graph.edges)],
    }


def _plain(graph: SuspectGraph) -> SuspectGraph:
    """The graph with every attribute a plain value (GraphML holds no sets or lists)."""
    out: SuspectGraph = nx.Graph()
    for node, data in graph.nodes(data=True):
        out.add_node(node, name=data["name"], referrals=len(data["referrals"]),
                     forces=";".join(sorted(data["forces"])))
    for a, b, data in graph.edges(data=True):
        out.add_edge(a, b, weight=data["weight"], referrals=";".join(data["referrals"]))
    return out


def as_graphml(graph: SuspectGraph) -> str:
    return "\n".join(nx.generate_graphml(_plain(graph)))


def as_json(graph: SuspectGraph, found: list[Group] | None = None) -> str:
    """Nodes, edges (and groups, when given) as JSON, for tools and the network view."""
    body: dict[str, Any] = {
        "nodes": [{"id": n, "name": graph.nodes[n]["name"],
                   "referrals": sorted(graph.nodes[n]["referrals"]),
                   "forces": sorted(graph.nodes[n]["forces"])} for n in sorted(graph.nodes)],
        "edges": [{"source": a, "target": b, "weight": graph.edges[a, b]["weight"],
                   "referrals": sorted(graph.edges[a, b]["referrals"])}
                  for a, b in sorted(tuple(sorted(e)) for e in graph.edges)],
    }
    if found is not None:
        body["groups"] = [{"id": g.id, "nominals": g.nominals, "referrals": g.referrals,
                           "forces": g.forces, "communities": g.communities} for g in found]
    return json.dumps(body, indent=1)


def export_to(session: Session, path: Path, *, actor: str | audit.Actor, justification: str,
              recipient: str, several_forces: bool = False,
              nominal: str | None = None) -> tuple[int, int]:
    """Write the co-suspect graph (all of it, the groups spanning several forces, or one
    person's network) as GraphML or JSON by the file's suffix; a disclosure in the audit log
    (suspects' names leave the system). Returns (suspects, ties) written."""
    if path.suffix.lower() not in (".graphml", ".json"):
        raise InvalidRequest(f"Write the network to a .graphml or .json file, not {path.name}.")
    if len(justification.strip()) < 10 or not recipient.strip():
        raise InvalidRequest("Say why the network leaves the system (at least 10 characters) "
                             "and who receives it: the export is a disclosure.")
    graph = co_suspect_graph(session, None)
    found = groups(graph, several_forces=several_forces)
    if nominal is not None:
        graph = around(graph, nominal)
    elif several_forces:
        graph = graph.subgraph({n for g in found for n in g.nominals})
    text = as_graphml(graph) if path.suffix.lower() == ".graphml" else as_json(
        graph, None if nominal else found)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    audit.record(session, actor=actor, action=AuditAction.NETWORK_EXPORTED,
                 subject=audit.Subject("network_export", path.name),
                 data={"suspects": graph.number_of_nodes(), "ties": graph.number_of_edges(),
                       "several_forces": several_forces, "nominal": nominal},
                 justification=justification.strip(), recipient=recipient.strip())
    partial.replace(path)
    return graph.number_of_nodes(), graph.number_of_edges()


def neighbourhood(session: Session, principal: Principal, nominal: uuid.UUID, *,
                  radius: int = 2, limit: int = 300) -> SuspectGraph:
    """A person's network read from the referrals around them only (not the whole graph): the
    suspects within ``radius`` ties, in referrals the principal may read, at most ``limit``."""
    allowed = visible(principal, Permission.PERSON_READ, NominalRecord.force_code)
    people, referrals = {nominal}, set[uuid.UUID]()
    for _ in range(radius):
        theirs = set(session.scalars(select(NominalRecord.referral_id).where(
            NominalRecord.nominal_id.in_(people), NominalRecord.role == "suspect", allowed)))
        referrals |= theirs
        found = set(session.scalars(select(NominalRecord.nominal_id).where(
            NominalRecord.referral_id.in_(theirs), NominalRecord.role == "suspect", allowed)))
        if found <= people or len(found) > limit:
            break
        people = found
    if not referrals:
        raise NotFound("This person is not named as a suspect in any referral you may see.")
    graph = _graph(session.execute(
        select(NominalRecord.nominal_id, NominalRecord.referral_id, Referral.force_code,
               Referral.force_reference, PersonRecord.forenames, PersonRecord.surname)
        .join(Referral, Referral.id == NominalRecord.referral_id)
        .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
        .where(NominalRecord.referral_id.in_(referrals), NominalRecord.role == "suspect",
               allowed)))
    return around(graph, str(nominal), radius=radius)


def group_graph(session: Session, principal: Principal, actor: str | audit.Actor,
                group_id: str) -> SuspectGraph:
    """One group (by its id: its smallest nominal id) as the principal may see it; looking at
    its people's names is a consultation, audited."""
    graph = co_suspect_graph(session, principal)
    if group_id not in graph:
        raise NotFound("There is no group with this id among the referrals you may see.")
    members = nx.node_connected_component(graph, group_id)
    if len(members) < 2 or min(members) != group_id:
        raise NotFound("There is no group with this id among the referrals you may see.")
    audit.record(session, actor=actor, action=AuditAction.PERSON_CONSULTED,
                 subject=audit.Subject("group", group_id),
                 records=[audit.Subject("nominal", n) for n in sorted(members)],
                 data={"suspects": len(members)})
    found: SuspectGraph = graph.subgraph(members).copy()
    return found
