"""The analyse stage: one incident to its review, through classification and the timeline.

Pure: typed records in, typed records out.
"""

from __future__ import annotations

from datetime import date

from pir_reviews.core import classify
from pir_reviews.core import completeness as review
from pir_reviews.core import timeline
from pir_reviews.core.models import RCA_METHODS, Incident, Review

def analyse(incident: Incident, as_of: date, rca_methods: tuple[str, ...] = RCA_METHODS,
            owners: tuple[tuple[str, str], ...] = ()) -> Review:
    """Classify, reconstruct the timeline against the filed severity, and assemble the review.

    `owners` (service, team) come from services.yaml: the response plan names those teams.
    """
    found = classify.classify(classify.classify_input_from_incident(incident, owners))
    found = classify.check_declared(found, incident.severity)
    events = timeline.reconstruct(incident, incident.severity or found.severity)
    return review.assemble(incident, found, events, as_of, rca_methods)
