"""The product's closed vocabularies: statuses, kinds, themes, priorities, roles.

Every module and the schema use these (migration 007 turns them into CHECK constraints, and
`tests/test_vocabulary.py` keeps the two in step), so the database refuses what the code would
never write. Values are the stored words; their labels come from the locale files.
"""

from __future__ import annotations

from enum import StrEnum


class MembershipStatus(StrEnum):
    CANDIDATE = "candidate"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    ALUMNI = "alumni"


class ActivityKind(StrEnum):
    TALK_EXTERNAL = "talk_external"
    TALK_INTERNAL = "talk_internal"
    ARTICLE = "article"
    MENTORING = "mentoring"
    PRODUCT_LAUNCH = "product_launch"
    EVENT_HOSTING = "event_hosting"
    ONBOARDING_BUDDY = "onboarding_buddy"
    COMMUNITY_SESSION = "community_session"
    MEDIA = "media"
    OPEN_SOURCE = "open_source"


class EventKind(StrEnum):
    MEETUP = "meetup"
    GENERATION_SESSION = "generation_session"
    DEMO_DAY = "demo_day"
    ONBOARDING_DAY = "onboarding_day"
    OFFSITE = "offsite"
    CONFERENCE = "conference"


class AttendanceRole(StrEnum):
    ATTENDEE = "attendee"
    SPEAKER = "speaker"
    ORGANISER = "organiser"


class RecognitionKind(StrEnum):
    MERCH = "merch"
    AWARD = "award"
    THANKS = "thanks"
    SPONSORED_CONFERENCE = "sponsored_conference"


class FindingTheme(StrEnum):
    BARRIER = "barrier"
    NEED = "need"
    MOTIVATION = "motivation"
    IDEA = "idea"
    VALUE = "value"


class Priority(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"


class ClaimSource(StrEnum):
    SELF = "self"
    INTERVIEW = "interview"
    ACTIVITY = "activity"
    CURATOR = "curator"
    PEER = "peer"


class PlanLineStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class ValueDecision(StrEnum):
    """A curator's decision on a value of a categorical column in an imported file."""

    MAP = "map"
    KEEP = "keep"
    REJECT = "reject"


class SubmissionStatus(StrEnum):
    """A talk's way from an idea to the stage (lib/conferences/submissions.py moves it)."""

    IDEA = "idea"
    DRAFT = "draft"
    REVIEW = "review"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"


class Checklist(StrEnum):
    ONBOARDING = "onboarding"
    OFFBOARDING = "offboarding"


class ExitReason(StrEnum):
    """Why a member left, as the workbench records it (imported reasons stay free text)."""

    WORKLOAD = "workload"
    LEFT_BANK = "left_bank"
    ROLE_CHANGE = "role_change"
    LOST_INTEREST = "lost_interest"
    RELOCATION = "relocation"
    DECLINED = "declined"
    OTHER = "other"


class Role(StrEnum):
    """The roles the role map grants; members are recognised by their e-mail instead."""

    LEADERSHIP = "leadership"
    CURATOR = "curator"
    PLANNER = "planner"
    ADMIN = "admin"


class ContributionSource(StrEnum):
    """Where a contribution came from: logged by the member or by a curator for them, or
    taken from what the club already records (an event's speakers and organisers, a delivered
    conference talk, an imported activity)."""

    MEMBER = "member"
    EVENT = "event"
    CFP = "cfp"
    IMPORT = "import"
    CURATOR = "curator"


class ContributionStatus(StrEnum):
    """A contribution's verification: waiting for a curator, verified, or rejected."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Visibility(StrEnum):
    """Who sees a contribution: everyone in the public directory, or only the member and the
    club's staff."""

    PUBLIC = "public"
    CLUB = "club"


class ProposalStatus(StrEnum):
    """A member's proposed skill or level, as a curator answered it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The stored words of a vocabulary, in declaration order."""
    return tuple(member.value for member in vocabulary)


# Groups of statuses the domain speaks of.
CURRENT_STATUSES = (
    MembershipStatus.CANDIDATE,
    MembershipStatus.ONBOARDING,
    MembershipStatus.ACTIVE,
    MembershipStatus.PAUSED,
)
SCORED_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ONBOARDING, MembershipStatus.PAUSED)
# Members who sign in to their own page and appear in the public directory.
SELF_SERVICE_STATUSES = SCORED_STATUSES
EVER_MEMBER_STATUSES = (
    MembershipStatus.ONBOARDING,
    MembershipStatus.ACTIVE,
    MembershipStatus.PAUSED,
    MembershipStatus.ALUMNI,
)
# The lifecycle funnel's stages, in order.
FUNNEL_STATUSES = (
    MembershipStatus.CANDIDATE,
    MembershipStatus.ONBOARDING,
    MembershipStatus.ACTIVE,
    MembershipStatus.ALUMNI,
)
# Members an onboarding checklist is kept for (active ones only while recently joined).
ONBOARDING_STATUSES = (MembershipStatus.ONBOARDING, MembershipStatus.ACTIVE)
# Club gatherings that count as a community session.
SESSION_EVENT_KINDS = (
    EventKind.MEETUP,
    EventKind.GENERATION_SESSION,
    EventKind.DEMO_DAY,
    EventKind.OFFSITE,
)

# Columns whose values a vocabulary closes: (table, column) -> vocabulary.
CONSTRAINED_COLUMNS: dict[tuple[str, str], type[StrEnum]] = {
    ("memberships", "status"): MembershipStatus,
    ("membership_events", "to_status"): MembershipStatus,
    ("membership_events", "from_status"): MembershipStatus,
    ("activities", "kind"): ActivityKind,
    ("events", "kind"): EventKind,
    ("attendance", "role"): AttendanceRole,
    ("recognitions", "kind"): RecognitionKind,
    ("interview_findings", "theme"): FindingTheme,
    ("target_profile", "priority"): Priority,
    ("person_skills", "source"): ClaimSource,
    ("plan_lines", "status"): PlanLineStatus,
    ("role_map", "role"): Role,
    ("value_mappings", "decision"): ValueDecision,
    ("submissions", "status"): SubmissionStatus,
    ("checklist_runs", "checklist"): Checklist,
    ("claim_rejections", "source"): ClaimSource,
    ("contributions", "kind"): ActivityKind,
    ("contributions", "source"): ContributionSource,
    ("contributions", "status"): ContributionStatus,
    ("contributions", "visibility"): Visibility,
    ("skill_proposals", "status"): ProposalStatus,
}
