"""The application life cycle under any sequence of requested moves (Hypothesis stateful testing):
an illegal move raises IllegalTransition and changes nothing, and no illegal state is reachable —
nothing is decided before it was paid and screened, nothing leaves a final state, a withdrawal
happens only before screening, and an approval after a refusal only through that refusal.

The allowed moves are written out here from the module docstring's diagram, independently of
`TRANSITIONS`, so a change to the table that the diagram does not show fails this test.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from keta.domain.applications import Status, transition
from keta.domain.errors import IllegalTransition

S = Status
DIAGRAM = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.PAID, S.WITHDRAWN},
    S.PAID: {S.SCREENING, S.WITHDRAWN},
    S.SCREENING: {S.APPROVED, S.REFUSED, S.IN_REVIEW},
    S.IN_REVIEW: {S.APPROVED, S.REFUSED},
    S.APPROVED: {S.REVOKED, S.ANNULLED, S.EXPIRED},
    S.REFUSED: {S.APPROVED},
}
FINAL = {S.REVOKED, S.ANNULLED, S.EXPIRED, S.WITHDRAWN}
DECISIONS = {S.APPROVED, S.REFUSED, S.IN_REVIEW, S.REVOKED, S.ANNULLED, S.EXPIRED}


class LifeCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.status = S.DRAFT
        self.path = [S.DRAFT]

    @rule(requested=st.sampled_from(list(Status)))
    def request(self, requested: Status) -> None:
        before = self.status
        try:
            self.status = transition(before, requested)
        except IllegalTransition:
            assert requested not in DIAGRAM.get(before, set()), (before, requested)
            assert self.status == before
            return
        assert requested in DIAGRAM.get(before, set()), (before, requested)
        self.path.append(self.status)

    @invariant()
    def nothing_is_decided_before_it_was_paid_and_screened(self) -> None:
        for index, step in enumerate(self.path):
            if step in DECISIONS:
                assert S.PAID in self.path[:index] and S.SCREENING in self.path[:index], self.path

    @invariant()
    def a_final_state_is_the_last(self) -> None:
        for step in self.path[:-1]:
            assert step not in FINAL, self.path

    @invariant()
    def a_withdrawal_comes_only_before_screening(self) -> None:
        if S.WITHDRAWN in self.path:
            assert S.SCREENING not in self.path and self.path[-2] in (S.SUBMITTED, S.PAID), self.path

    @invariant()
    def an_approval_follows_screening_review_or_a_refusal(self) -> None:
        for before, after in zip(self.path, self.path[1:], strict=False):
            if after is S.APPROVED:
                assert before in (S.SCREENING, S.IN_REVIEW, S.REFUSED), self.path
            if before is S.REFUSED:
                assert after is S.APPROVED, self.path  # overturned on redress, nothing else

    @invariant()
    def each_state_is_visited_at_most_once_except_through_redress(self) -> None:
        repeated = {step for step in self.path if self.path.count(step) > 1}
        assert not repeated, self.path  # the graph has no cycle: refused → approved ends the loop


LifeCycle.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None, derandomize=True, database=None
)
test_no_illegal_state_is_reachable = LifeCycle.TestCase
