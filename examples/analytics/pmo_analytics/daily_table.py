"""The daily cost and risk table: a fold of decoded events, per project and day.

Projects events give the projects (code, currency) and the actual costs, by
their business date (cost_date). Risks events give each project risk's status
and expected value; a risk's change counts on the UTC day of its ce_time.

Columns are described in README.md; this module is the reference for them.
"""

import collections
import dataclasses
import datetime

# Enum numbers from protos/pmo/risks/v1/risk.proto and events.proto. Public
# contracts never renumber, so the numbers are as stable as the names.
RISK_LEVEL_PROJECT = 1
RISK_KIND_THREAT = 1
RISK_KIND_OPPORTUNITY = 2
CLOSED_STATUSES = {4, 5}  # RISK_STATUS_CLOSED, RISK_STATUS_OCCURRED
STAGE_RESIDUAL = 2  # ASSESSMENT_STAGE_RESIDUAL

COLUMNS = (
    "date", "project_id", "project_code", "currency",
    "actual_cost_minor", "actual_cost_to_date_minor",
    "open_threats", "open_threat_expected_value_minor",
    "open_opportunities", "open_opportunity_expected_value_minor",
)


@dataclasses.dataclass
class _Risk:
    project_id: str
    kind: int
    status: int = 1  # RISK_STATUS_IDENTIFIED
    inherent_ev: int = 0
    residual_ev: int = None  # None until a residual assessment

    @property
    def expected_value(self):
        # As the register's contingency reserve does: residual where
        # assessed, else inherent.
        return self.inherent_ev if self.residual_ev is None else self.residual_ev

    @property
    def open(self):
        return self.status not in CLOSED_STATUSES


class DailyCostAndRiskTable:
    def __init__(self):
        self._seen = set()
        self.duplicates = 0
        self._projects = {}  # project_id -> {"code":, "currency":}
        self._costs = collections.defaultdict(int)  # (project_id, date) -> minor
        self._risk_events = []  # (day, position, type, message), folded at the end

    def add(self, envelope, message):
        """Takes one decoded event. Returns False for a duplicate (at-least-once
        delivery: the same stream version seen before), True otherwise."""
        if envelope.dedup_key in self._seen:
            self.duplicates += 1
            return False
        self._seen.add(envelope.dedup_key)
        name = envelope.type.rsplit(".", 1)[-1]
        if envelope.type.startswith("pmo.projects.v1."):
            self._add_project_event(name, message)
        elif envelope.type.startswith("pmo.risks.v1."):
            # Risk events are folded in store order at the end: they arrive
            # ordered per partition only.
            self._risk_events.append((envelope.time.date(), envelope.position, name, message))
        return True

    def _project(self, project_id):
        return self._projects.setdefault(project_id, {"code": "", "currency": ""})

    def _add_project_event(self, name, message):
        if name == "ProjectCreated":
            self._project(message.project_id)["code"] = message.code
        elif name == "BudgetSet":
            self._project(message.project_id)["currency"] = message.budget.currency
        elif name == "ActualCostRecorded":
            d = message.cost_date
            day = datetime.date(d.year, d.month, d.day)
            self._costs[(message.project_id, day)] += message.amount_minor

    @staticmethod
    def _apply_risk_event(risks, name, message):
        """One risk event onto {risk_id: _Risk}; returns the project it touched."""
        if name == "RiskIdentified":
            if message.level != RISK_LEVEL_PROJECT:
                return None  # programme and portfolio risks belong to no one project
            risks[message.risk_id] = _Risk(project_id=message.scope_id, kind=message.kind)
            return message.scope_id
        risk = risks.get(message.risk_id) if hasattr(message, "risk_id") else None
        if risk is None:
            return None
        if name in ("RiskAssessed", "RiskRerated"):
            ev = message.rating.expected_value_minor
            if message.stage == STAGE_RESIDUAL:
                risk.residual_ev = ev
            else:
                risk.inherent_ev = ev
        elif name == "RiskStatusChanged":
            risk.status = message.status
        else:
            return None
        return risk.project_id

    def rows(self):
        """The table: one row per project and day on which a cost was incurred
        or one of its risks changed, ordered by project code, id and date."""
        # Risk state at the end of each day: events ordered by day, then by the
        # store position (the register's own order).
        events = sorted(self._risk_events, key=lambda e: (e[0], e[1]))
        return self._build_rows(events)

    def _build_rows(self, events):
        risks = {}  # risk_id -> _Risk
        snapshots = collections.defaultdict(dict)  # project -> day -> (counts)
        i = 0
        while i < len(events):
            day = events[i][0]
            touched = set()
            while i < len(events) and events[i][0] == day:
                project = self._apply_risk_event(risks, events[i][2], events[i][3])
                if project is not None:
                    touched.add(project)
                i += 1
            for project in touched:
                snapshots[project][day] = _snapshot(risks, project)

        days_by_project = collections.defaultdict(set)
        for (project, day) in self._costs:
            days_by_project[project].add(day)
        for project, days in snapshots.items():
            days_by_project[project].update(days)

        rows = []
        for project in sorted(days_by_project,
                              key=lambda p: (self._project(p)["code"], p)):
            info = self._project(project)
            to_date = 0
            state = (0, 0, 0, 0)
            for day in sorted(days_by_project[project]):
                cost = self._costs.get((project, day), 0)
                to_date += cost
                state = snapshots[project].get(day, state)
                rows.append({
                    "date": day.isoformat(),
                    "project_id": project,
                    "project_code": info["code"],
                    "currency": info["currency"],
                    "actual_cost_minor": cost,
                    "actual_cost_to_date_minor": to_date,
                    "open_threats": state[0],
                    "open_threat_expected_value_minor": state[1],
                    "open_opportunities": state[2],
                    "open_opportunity_expected_value_minor": state[3],
                })
        return rows


def _snapshot(risks, project):
    """(open threats, their EV, open opportunities, their EV) of one project."""
    threats = [r for r in risks.values()
               if r.project_id == project and r.open and r.kind == RISK_KIND_THREAT]
    opportunities = [r for r in risks.values()
                     if r.project_id == project and r.open and r.kind == RISK_KIND_OPPORTUNITY]
    return (len(threats), sum(r.expected_value for r in threats),
            len(opportunities), sum(r.expected_value for r in opportunities))
