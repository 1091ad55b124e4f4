"""The daily cost and risk fold over decoded events (no broker).

Needs the generated protobuf modules: $PMO_ANALYTICS_PROTOS names their folder.
"""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.environ.get("PMO_ANALYTICS_PROTOS", ""))

from pmo_analytics.cloudevents import Envelope  # noqa: E402
from pmo_analytics.daily_table import DailyCostAndRiskTable  # noqa: E402
from pmo.projects.v1 import events_pb2 as projects  # noqa: E402
from pmo.risks.v1 import events_pb2 as risks  # noqa: E402
from pmo.risks.v1 import risk_pb2  # noqa: E402

DAY1 = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.timezone.utc)
DAY2 = DAY1 + datetime.timedelta(days=1)


class Feed:
    """Wraps messages in envelopes with increasing positions and versions."""

    def __init__(self, table):
        self.table = table
        self.position = 0
        self.versions = {}

    def add(self, message, subject, when=DAY1, version=None):
        self.position += 1
        if version is None:
            version = self.versions.get(subject, 0) + 1
        self.versions[subject] = version
        envelope = Envelope(event_id=str(self.position), source="", type=message.DESCRIPTOR.full_name,
                            time=when, subject=subject, stream_type="s", stream_version=version,
                            position=self.position, actor="")
        return self.table.add(envelope, message)


def cost(project, day, amount):
    m = projects.ActualCostRecorded(project_id=project, amount_minor=amount)
    m.cost_date.year, m.cost_date.month, m.cost_date.day = day
    return m


def assessed(risk_id, ev, stage=risks.ASSESSMENT_STAGE_INHERENT):
    return risks.RiskAssessed(risk_id=risk_id, stage=stage,
                              rating=risk_pb2.Rating(expected_value_minor=ev))


class DailyTableTest(unittest.TestCase):
    def setUp(self):
        self.table = DailyCostAndRiskTable()
        self.feed = Feed(self.table)
        self.feed.add(projects.ProjectCreated(project_id="p1", code="ERP"), "p1")
        budget = projects.BudgetSet(project_id="p1")
        budget.budget.currency = "EUR"
        self.feed.add(budget, "p1")

    def identify(self, risk_id, kind=risk_pb2.RISK_KIND_THREAT, level=risk_pb2.RISK_LEVEL_PROJECT):
        self.feed.add(risks.RiskIdentified(risk_id=risk_id, level=level, scope_id="p1", kind=kind),
                      risk_id)

    def test_costs_are_summed_per_business_date_with_a_running_total(self):
        self.feed.add(cost("p1", (2027, 3, 1), 100), "p1")
        self.feed.add(cost("p1", (2027, 3, 1), 50), "p1")
        self.feed.add(cost("p1", (2027, 3, 4), 25), "p1")
        rows = self.table.rows()
        self.assertEqual([(r["date"], r["actual_cost_minor"], r["actual_cost_to_date_minor"])
                          for r in rows], [("2027-03-01", 150, 150), ("2027-03-04", 25, 175)])
        self.assertEqual(rows[0]["project_code"], "ERP")
        self.assertEqual(rows[0]["currency"], "EUR")

    def test_residual_replaces_inherent_and_closing_removes_the_risk(self):
        self.identify("r1")
        self.feed.add(assessed("r1", 5000), "r1")
        self.identify("r2", kind=risk_pb2.RISK_KIND_OPPORTUNITY)
        self.feed.add(assessed("r2", 700), "r2")
        self.feed.add(assessed("r1", 1000, risks.ASSESSMENT_STAGE_RESIDUAL), "r1", when=DAY2)
        self.feed.add(risks.RiskRerated(risk_id="r1", stage=risks.ASSESSMENT_STAGE_INHERENT,
                                        rating=risk_pb2.Rating(expected_value_minor=9000)),
                      "r1", when=DAY2)
        rows = self.table.rows()
        self.assertEqual([(r["date"], r["open_threats"], r["open_threat_expected_value_minor"],
                           r["open_opportunities"], r["open_opportunity_expected_value_minor"])
                          for r in rows],
                         [("2027-03-01", 1, 5000, 1, 700), ("2027-03-02", 1, 1000, 1, 700)])
        self.feed.add(risks.RiskStatusChanged(risk_id="r1", status=risk_pb2.RISK_STATUS_CLOSED),
                      "r1", when=DAY2 + datetime.timedelta(days=1))
        self.assertEqual(self.table.rows()[-1]["open_threat_expected_value_minor"], 0)
        self.assertEqual(self.table.rows()[-1]["open_threats"], 0)

    def test_a_cost_day_carries_the_risk_state_of_its_end(self):
        self.identify("r1")
        self.feed.add(assessed("r1", 5000), "r1")
        self.feed.add(cost("p1", (2027, 3, 5), 10), "p1")
        last = self.table.rows()[-1]
        self.assertEqual((last["date"], last["open_threat_expected_value_minor"]),
                         ("2027-03-05", 5000))

    def test_portfolio_risks_belong_to_no_project_row(self):
        self.identify("r9", level=risk_pb2.RISK_LEVEL_PORTFOLIO)
        self.feed.add(assessed("r9", 5000), "r9")
        self.assertEqual(self.table.rows(), [])

    def test_a_redelivered_event_counts_once(self):
        self.assertTrue(self.feed.add(cost("p1", (2027, 3, 1), 100), "p1", version=3))
        self.assertFalse(self.feed.add(cost("p1", (2027, 3, 1), 100), "p1", version=3))
        self.assertEqual(self.table.duplicates, 1)
        self.assertEqual(self.table.rows()[0]["actual_cost_minor"], 100)


if __name__ == "__main__":
    unittest.main()
