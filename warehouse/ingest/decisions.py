"""A decision on a match proposal taken in the app, written by the owner on behalf of a viewer.

The app's database role may not write, so the decision runs as the warehouse owner, as a
delivery does. The owner sees every proposal; what this viewer may decide is checked again here,
in a transaction as the app role with the viewer's agency and role set (scoped), so the check is
the database's own need-to-know and fails closed: a proposal the viewer cannot see is refused
exactly like one that does not exist. The decision itself is `resolve.decide`, as on the command
line, and its audit entry commits with it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from warehouse import audit
from warehouse.ingest import resolve
from warehouse.queries import matches
from warehouse.scoped import scoped
from warehouse.viewer import Role, Viewer

DECIDERS = frozenset({Role.analyst, Role.steward})


class DecisionRefused(Exception):
    """The viewer may not take this decision; `reason` is `not_found` (absent or not visible),
    `role`, `decided` (someone decided it in the meantime), `open` (nothing to undo) or
    `other_agency` (the decision to undo was taken by another agency or on the command line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    match_id: int
    entity_id: int
    candidate_id: int
    status: str


def decide_for(
    *, owner: Engine, app: Engine, viewer: Viewer, match_id: int, confirm: bool
) -> Decision:
    """Confirm or reject an open proposal on behalf of `viewer`: the owner writes, the app role
    with the viewer's settings decides whether it may. A refusal is audited and raised."""
    return _audited(owner, app, viewer, match_id, confirm)


def undo_for(*, owner: Engine, app: Engine, viewer: Viewer, match_id: int) -> Decision:
    """Undo a decision on behalf of `viewer`: the proposal is open again and a confirmed merge is
    taken apart. Only a decision taken in the app by the viewer's own agency can be undone there
    (`other_agency` otherwise); the agency that decided answers for it. Refusals are audited."""
    return _audited(owner, app, viewer, match_id, None)


def _audited(
    owner: Engine, app: Engine, viewer: Viewer, match_id: int, confirm: bool | None
) -> Decision:
    try:
        return _decide(owner, app, viewer, match_id, confirm)
    except DecisionRefused as refused:
        audit.record(
            owner,
            action="access_refused",
            viewer=viewer,
            details={"what": "match_decision", "match": match_id, "reason": refused.reason},
        )
        raise


def _decide(
    owner: Engine, app: Engine, viewer: Viewer, match_id: int, confirm: bool | None
) -> Decision:
    """`confirm` True or False decides an open proposal; None undoes a decision."""
    if viewer.role not in DECIDERS:
        raise DecisionRefused("role")
    with owner.begin() as conn:
        # Lock the proposal first: two viewers deciding at once are taken one after the other.
        current = conn.execute(
            text("select status, decided_agency from entity_match where id = :id for update"),
            {"id": match_id},
        ).one_or_none()
        with scoped(viewer, engine=app) as visible:
            seen = matches.proposal(conn=visible, viewer=viewer, match_id=match_id)
        if current is None or seen is None:
            raise DecisionRefused("not_found")
        if confirm is None:
            if current.status == "proposed":
                raise DecisionRefused("open")
            if current.decided_agency != viewer.agency:
                raise DecisionRefused("other_agency")
            done = resolve.reopen(conn=conn, match_id=match_id)
            outcome = {"decision": "reopened", "previous": current.status}
        else:
            if current.status != "proposed":
                raise DecisionRefused("decided")
            done = resolve.decide(
                conn=conn,
                match_id=match_id,
                confirm=confirm,
                decided_by=viewer.subject,
                agency=viewer.agency,
                role=str(viewer.role),
            )
            outcome = {"decision": done.status}
        audit.append(
            conn,
            action="match_decision",
            viewer=viewer,
            details={
                "match": done.id,
                **outcome,
                "entity": done.entity_id,
                "candidate": done.candidate_id,
                "rule": done.rule,
                "score": done.score,
            },
        )
    return Decision(done.id, done.entity_id, done.candidate_id, done.status)
